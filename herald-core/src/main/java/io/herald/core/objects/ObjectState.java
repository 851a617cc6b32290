package io.herald.core.objects;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One object's state as OBJECT_SYNC carries it (Ably's ObjectState): its id, the last serial applied per site, whether
 * it was deleted, the operation that created it (when known), and either {@code map} or {@code counter}. As Ably
 * defines it, the state excludes the create operation's initial value: a counter's {@code count} is the sum of its
 * increments, and a client adds {@code createOp}'s count to it; map entries merged from the create operation are
 * included, which is harmless because a client merging them again keeps the newer serial of each key.
 */
public record ObjectState(
        String objectId,
        Map<String, String> siteTimeserials,
        boolean tombstone,
        @Nullable ObjectOperation createOp,
        @Nullable ObjectsMap map,
        @Nullable Double counterCount) {
    public ObjectState {
        siteTimeserials = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(siteTimeserials));
    }
}
