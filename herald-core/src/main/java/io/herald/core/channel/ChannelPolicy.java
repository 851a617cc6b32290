package io.herald.core.channel;

import io.herald.core.config.AppConfig;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import java.time.Duration;
import java.util.function.Function;

/**
 * Per-channel rules that come from the app's namespaces: how long history is kept (ordinary channels
 * {@link Timings#historyRetention()}, channels of a {@code persisted} namespace {@link Timings#persistedRetention()}).
 */
public final class ChannelPolicy {
    private final Function<String, AppConfig> apps;
    private final Timings timings;

    public ChannelPolicy(Function<String, AppConfig> apps, Timings timings) {
        this.apps = apps;
        this.timings = timings;
    }

    public Duration retention(String appId, ChannelName name) {
        return isPersisted(appId, name) ? timings.persistedRetention() : timings.historyRetention();
    }

    /** Whether the channel's namespace has {@code mutableMessages}: its messages may be updated, deleted, appended. */
    public boolean isMutable(String appId, ChannelName name) {
        String ns = name.namespace();
        if (ns == null) {
            return false;
        }
        AppConfig app = apps.apply(appId);
        NamespaceConfig n = app == null ? null : app.namespace(ns);
        return n != null && n.mutableMessages();
    }

    public boolean isPersisted(String appId, ChannelName name) {
        String ns = name.namespace();
        if (ns == null) {
            return false;
        }
        AppConfig app = apps.apply(appId);
        NamespaceConfig n = app == null ? null : app.namespace(ns);
        return n != null && n.persisted();
    }
}
