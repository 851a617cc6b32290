package io.herald.core.channel;

import io.herald.core.config.AppConfig;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Per-channel rules that come from the app's namespaces: how long history is kept (ordinary channels
 * {@link Timings#historyRetention()}, channels of a {@code persisted} namespace {@link Timings#persistedRetention()}).
 */
public final class ChannelPolicy {
    private final Function<String, AppConfig> apps;
    private final Timings timings;

    private final Predicate<ChannelName> alwaysMutable;

    public ChannelPolicy(Function<String, AppConfig> apps, Timings timings) {
        this(apps, timings, name -> false);
    }

    private ChannelPolicy(Function<String, AppConfig> apps, Timings timings, Predicate<ChannelName> alwaysMutable) {
        this.apps = apps;
        this.timings = timings;
        this.alwaysMutable = alwaysMutable;
    }

    /**
     * This policy, where the channels {@code names} accepts also have mutable messages whatever their namespace says
     * (a feature built on channels whose names it owns, such as chat rooms, turns them on for its channels).
     */
    public ChannelPolicy withMutable(Predicate<ChannelName> names) {
        Predicate<ChannelName> before = alwaysMutable;
        return new ChannelPolicy(apps, timings, n -> before.test(n) || names.test(n));
    }

    public Duration retention(String appId, ChannelName name) {
        return isPersisted(appId, name) ? timings.persistedRetention() : timings.historyRetention();
    }

    /** Whether the channel's namespace has {@code mutableMessages}: its messages may be updated, deleted, appended. */
    public boolean isMutable(String appId, ChannelName name) {
        if (alwaysMutable.test(name)) {
            return true;
        }
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
