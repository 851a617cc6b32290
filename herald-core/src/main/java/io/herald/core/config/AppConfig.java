package io.herald.core.config;

import io.herald.protocol.PresenceMessage;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An app: its keys, channel namespaces, its own limits ({@code null}: the node's) and (sandbox only) channels seeded
 * with presence members.
 */
public record AppConfig(
        String appId,
        List<KeyConfig> keys,
        List<NamespaceConfig> namespaces,
        List<ChannelFixture> fixtures,
        @Nullable Limits limits) {

    /** A channel whose presence set starts with these members (the ably-js suite's presence fixtures). */
    public record ChannelFixture(String channel, List<PresenceMessage> presence) {}

    public AppConfig {
        Objects.requireNonNull(appId, "appId");
        if (appId.isEmpty() || appId.indexOf('.') >= 0 || appId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("app id must be non-empty without '.' or ':', got " + appId);
        }
        keys = List.copyOf(keys);
        namespaces = List.copyOf(namespaces);
        fixtures = fixtures == null ? List.of() : List.copyOf(fixtures);
        for (KeyConfig k : keys) {
            if (!k.appId().equals(appId)) {
                throw new IllegalArgumentException("key " + k.keyName() + " does not belong to app " + appId);
            }
        }
    }

    public AppConfig(
            String appId, List<KeyConfig> keys, List<NamespaceConfig> namespaces, List<ChannelFixture> fixtures) {
        this(appId, keys, namespaces, fixtures, null);
    }

    public AppConfig(String appId, List<KeyConfig> keys) {
        this(appId, keys, List.of(), List.of(), null);
    }

    public @Nullable NamespaceConfig namespace(String id) {
        for (NamespaceConfig n : namespaces) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }
}
