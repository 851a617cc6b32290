package io.herald.core.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nested Stats form of protocol version 2 and lower (docs/protocol.md §10.6), which ably-java 1.5 reads:
 * {@code inbound.realtime.messages.count} where ably-js 2 reads the flat entry
 * {@code messages.inbound.realtime.messages.count}. Message entries lose their {@code messages.} prefix
 * ({@code all}, {@code inbound}, {@code outbound}, {@code persisted}); {@code connections} and {@code channels} keep
 * their paths; {@code apiRequests.other} becomes {@code apiRequests} and {@code apiRequests.tokenRequests} becomes
 * {@code tokenRequests}. Entries the old form has no place for are left out.
 */
final class LegacyStats {
    private LegacyStats() {}

    /** Adds the nested form of {@code entries} to {@code stats}. */
    static void nest(Map<String, Long> entries, Map<String, Object> stats) {
        for (Map.Entry<String, Long> e : entries.entrySet()) {
            String path = path(e.getKey());
            if (path != null) {
                put(stats, path, e.getValue());
            }
        }
    }

    static @org.jspecify.annotations.Nullable String path(String key) {
        if (key.startsWith("messages.")) {
            return key.substring("messages.".length());
        }
        if (key.startsWith("connections.") || key.startsWith("channels.")) {
            return key;
        }
        if (key.startsWith("apiRequests.other.")) {
            return "apiRequests." + key.substring("apiRequests.other.".length());
        }
        if (key.startsWith("apiRequests.tokenRequests.")) {
            return "tokenRequests." + key.substring("apiRequests.tokenRequests.".length());
        }
        return null;
    }

    @SuppressWarnings("unchecked") // every inner node is created here as a Map<String, Object>
    private static void put(Map<String, Object> root, String path, long value) {
        String[] parts = path.split("\\.", -1);
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.get(parts[i]);
            if (!(child instanceof Map)) {
                if (child != null) {
                    return; // a leaf already sits where a branch would go
                }
                child = new LinkedHashMap<String, Object>();
                node.put(parts[i], child);
            }
            node = (Map<String, Object>) child;
        }
        if (!(node.get(parts[parts.length - 1]) instanceof Map)) {
            node.put(parts[parts.length - 1], value);
        }
    }
}
