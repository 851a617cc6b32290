package io.herald.core.objects;

import java.util.Map;

/**
 * The initial value of a map (Ably's MapCreate): its conflict semantics (0, last write wins, is the only one) and its
 * entries in insertion order.
 */
public record MapCreate(int semantics, Map<String, MapEntry> entries) {
    /** Last write wins, the only map semantics. */
    public static final int LWW = 0;

    public MapCreate {
        entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
    }
}
