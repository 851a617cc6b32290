package io.herald.core.objects;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A map's state in a snapshot (Ably's ObjectsMap): semantics, entries (removed ones included, as tombstones), and
 * the serial of the last MAP_CLEAR, if any.
 */
public record ObjectsMap(
        int semantics,
        Map<String, MapEntry> entries,
        @Nullable String clearTimeserial) {
    public ObjectsMap {
        entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
    }
}
