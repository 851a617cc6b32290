package io.herald.core.config;

/**
 * Rules for the channels whose name starts with {@code id + ":"} (docs/protocol.md §14).
 *
 * @param id              namespace id, e.g. {@code persisted}
 * @param persisted       history is kept for {@link Timings#persistedRetention()} instead of the default
 * @param pushEnabled     push notifications are not implemented: the configuration file refuses {@code true}; a
 *                        sandbox app's namespaces keep what was posted, as Ably's provisioning API does
 * @param mutableMessages the channels' messages may be updated, deleted and appended to (docs/protocol.md §7.8);
 *                        elsewhere those operations are refused with 93002
 */
public record NamespaceConfig(String id, boolean persisted, boolean pushEnabled, boolean mutableMessages) {
    public NamespaceConfig {
        if (id == null || id.isEmpty() || id.indexOf(':') >= 0) {
            throw new IllegalArgumentException("namespace id must be non-empty and contain no ':', got " + id);
        }
    }
}
