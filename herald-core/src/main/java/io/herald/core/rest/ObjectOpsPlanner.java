package io.herald.core.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.objects.ObjectAction;
import io.herald.core.objects.ObjectData;
import io.herald.core.objects.ObjectId;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.objects.ObjectPath;
import io.herald.core.objects.ObjectState;
import io.herald.core.objects.ObjectsTree;
import io.herald.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns one parsed REST operation into the realtime operations it stands for, as Ably's REST objects API does:
 *
 * <ul>
 *   <li>a target path is resolved against the channel's objects when the request arrives; a wildcard segment matches
 *       every object one level down, of the operation's type (a map for map operations, a counter for
 *       {@code counterInc}); a path that matches nothing is 92005, one that names a value, or an object of the wrong
 *       type, 92007;
 *   <li>a create gets an id the way a client makes one ({@code type:hash@timestamp} over its initial value and a
 *       fresh nonce), and with a path it is also set at that key of the parent map(s): {@code a.b} creates the object
 *       and sets {@code b} of the map at {@code a} to it;
 *   <li>{@code *WithObjectId} creates keep the client's id, nonce and initial value (the pool checks that they
 *       match).
 * </ul>
 */
final class ObjectOpsPlanner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectOpsPlanner() {}

    /** The operations one REST operation stands for, and the objects it creates or changes. */
    record Planned(List<ObjectOperation> operations, List<String> objectIds) {}

    /** Plans one operation; {@code tree} is needed when the operation has a path. */
    static Planned plan(ObjectOpsParser.Op op, @Nullable ObjectsTree tree, long now) {
        if (op.isCreate()) {
            return planCreate(op, tree, now);
        }
        ObjectOperation template = op.operation();
        String objectId = op.objectId();
        if (objectId != null) {
            return new Planned(List.of(template), List.of(objectId));
        }
        ObjectPath path = java.util.Objects.requireNonNull(op.path());
        List<String> targets = targets(require(tree), path, template.action());
        List<ObjectOperation> ops = new ArrayList<>(targets.size());
        for (String t : targets) {
            ops.add(retarget(template, t));
        }
        return new Planned(ops, targets);
    }

    private static Planned planCreate(ObjectOpsParser.Op op, @Nullable ObjectsTree tree, long now) {
        ObjectPath path = op.path();
        List<String> parents = List.of();
        String key = null;
        if (path != null) {
            if (path.last().wildcard()) {
                throw new AblyException(
                        ErrorCode.OBJECT_PATH_NOT_PROCESSABLE,
                        "A create's path must end in a key, not a wildcard: '" + clip(path) + "'");
            }
            key = path.last().key();
            parents = targets(require(tree), path.parent(), ObjectAction.MAP_SET);
        }
        List<ObjectOperation> ops = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        if (op.hasOwnId()) {
            ops.add(op.operation());
            ids.add(op.operation().objectId());
        }
        int creates = op.hasOwnId() ? 0 : Math.max(1, parents.size());
        for (int i = 0; i < creates; i++) {
            ObjectOperation create = assignId(op.operation(), now);
            ops.add(create);
            ids.add(create.objectId());
        }
        for (int i = 0; i < parents.size(); i++) {
            String created = ids.get(op.hasOwnId() ? 0 : i);
            ops.add(ObjectOperation.mapSet(
                    parents.get(i), java.util.Objects.requireNonNull(key), ObjectData.reference(created)));
        }
        return new Planned(ops, ids);
    }

    /**
     * The objects a path targets for an operation of {@code action}: exactly the one it names (which must be an object
     * of the right type), or, with wildcards, every match of the right type (at least one).
     */
    private static List<String> targets(ObjectsTree tree, ObjectPath path, int action) {
        String type = action == ObjectAction.COUNTER_INC ? ObjectId.COUNTER : ObjectId.MAP;
        List<ObjectsTree.Node> matches = tree.match(ObjectId.ROOT, path);
        List<String> out = new ArrayList<>(matches.size());
        for (ObjectsTree.Node n : matches) {
            String id = n.objectId();
            ObjectState s = id == null ? null : tree.live(id);
            boolean fits = s != null && ObjectsTree.typeOf(s).equals(type);
            if (fits) {
                out.add(id);
            } else if (!path.hasWildcard()) {
                throw new AblyException(
                        ErrorCode.OBJECT_PATH_NOT_PROCESSABLE,
                        ObjectAction.name(action) + " cannot apply at path '" + clip(path) + "': it holds "
                                + (s == null ? "a value" : "a " + ObjectsTree.typeOf(s)) + ", not a " + type);
            }
        }
        if (out.isEmpty()) {
            throw new AblyException(
                    ErrorCode.OBJECT_PATH_NO_MATCH, "Path '" + clip(path) + "' matches no " + type + " on the channel");
        }
        return out;
    }

    /** A create with a server-made id: the hash of its initial value (as JSON text) and a fresh nonce. */
    static ObjectOperation assignId(ObjectOperation template, long now) {
        boolean map = template.action() == ObjectAction.MAP_CREATE;
        JsonNode payload = ObjectMessages.writeOperation(template).get(map ? "mapCreate" : "counterCreate");
        String initialValue;
        try {
            initialValue = JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
        String nonce = Ids.urlSafe(16);
        String id = ObjectId.derive(map ? ObjectId.MAP : ObjectId.COUNTER, initialValue, nonce, now);
        return new ObjectOperation(
                template.action(), id, template.mapCreate(), null, null, template.number(), nonce, initialValue);
    }

    static ObjectOperation retarget(ObjectOperation op, String objectId) {
        return new ObjectOperation(
                op.action(),
                objectId,
                op.mapCreate(),
                op.key(),
                op.value(),
                op.number(),
                op.nonce(),
                op.initialValue());
    }

    private static ObjectsTree require(@Nullable ObjectsTree tree) {
        if (tree == null) {
            throw new IllegalStateException("a path operation is planned with the channel's objects");
        }
        return tree;
    }

    private static String clip(ObjectPath path) {
        String s = path.toString();
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
