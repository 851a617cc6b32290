package io.herald.core.objects;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a map (Ably's ObjectsMapEntry): its value, the serial of the operation that last wrote it (absent for
 * an entry that came with the map's create operation: the earliest possible serial), and whether it was removed. A
 * removed entry keeps no data and carries the time of its removal, {@code serialTimestamp}, until it is collected.
 */
public record MapEntry(
        @Nullable ObjectData data,
        @Nullable String timeserial,
        boolean tombstone,
        @Nullable Long serialTimestamp) {

    /** A live entry. */
    public static MapEntry of(ObjectData data, @Nullable String timeserial) {
        return new MapEntry(data, timeserial, false, null);
    }

    /** A removed entry. */
    public static MapEntry removed(@Nullable String timeserial, long removedAt) {
        return new MapEntry(null, timeserial, true, removedAt);
    }
}
