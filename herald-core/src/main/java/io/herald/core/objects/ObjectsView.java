package io.herald.core.objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The compact and full JSON views of a pool's objects, for callers that hold an {@link ObjectsState}: the same views
 * as {@link ObjectsTree} (whose rules they are, as the REST objects API returns them), taken over the pool's
 * {@link ObjectsState#snapshot()}. An unknown or deleted object id is 92004.
 */
public final class ObjectsView {
    private ObjectsView() {}

    /** The compact view of {@code objectId} ({@link ObjectId#ROOT} for the whole tree). */
    public static JsonNode compact(ObjectsState state, String objectId) {
        ObjectsTree tree = ObjectsTree.of(state.snapshot());
        return tree.compact(tree.resolve(objectId, ObjectPath.parse("")));
    }

    /** The full view of {@code objectId}. */
    public static JsonNode full(ObjectsState state, String objectId) {
        ObjectsTree tree = ObjectsTree.of(state.snapshot());
        return tree.full(tree.resolve(objectId, ObjectPath.parse("")));
    }
}
