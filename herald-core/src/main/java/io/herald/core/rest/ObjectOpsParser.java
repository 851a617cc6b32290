package io.herald.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import io.herald.core.objects.ObjectAction;
import io.herald.core.objects.ObjectId;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.objects.ObjectPath;
import io.herald.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of {@code POST /channels/{name}/object} (docs/liveobjects.md, "REST objects API"): one operation or
 * an array of them. Each names its kind by the one payload field it carries ({@code mapSet}, {@code mapRemove},
 * {@code mapCreate}, {@code counterCreate}, {@code counterInc}, {@code mapCreateWithObjectId},
 * {@code counterCreateWithObjectId}), its target by {@code objectId} or {@code path}, and may carry an {@code id} for
 * idempotency. The payload is checked by the same reader as a realtime OBJECT message (92000 when malformed); the
 * envelope's mistakes (no payload, two payloads, both targets, wrong types) are 40003.
 */
final class ObjectOpsParser {
    /** Most operations one request may carry. */
    static final int MAX_OPERATIONS = 100;

    /** Longest idempotency id accepted. */
    static final int MAX_ID_LENGTH = 256;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Placeholder ids that let the payload be checked before its target is known. */
    private static final String SOME_MAP = "map:placeholder@0";

    private static final String SOME_COUNTER = "counter:placeholder@0";

    private static final Map<String, Integer> KINDS = Map.of(
            "mapCreate", ObjectAction.MAP_CREATE,
            "mapSet", ObjectAction.MAP_SET,
            "mapRemove", ObjectAction.MAP_REMOVE,
            "counterCreate", ObjectAction.COUNTER_CREATE,
            "counterInc", ObjectAction.COUNTER_INC,
            "mapCreateWithObjectId", ObjectAction.MAP_CREATE,
            "counterCreateWithObjectId", ObjectAction.COUNTER_CREATE);

    private ObjectOpsParser() {}

    /**
     * One operation of a request.
     *
     * @param id        the client's idempotency id, or null
     * @param field     the payload field that named the kind ({@code mapSet}, ...)
     * @param objectId  the target (or, for the {@code *WithObjectId} creates, the new object's id), or null
     * @param path      the target path, or null
     * @param operation the checked operation; for a target yet to be resolved, or a create whose id the server
     *                  assigns, its objectId is a placeholder of the right type
     */
    record Op(
            @Nullable String id,
            String field,
            @Nullable String objectId,
            @Nullable ObjectPath path,
            ObjectOperation operation) {

        boolean isCreate() {
            return operation.action() == ObjectAction.MAP_CREATE || operation.action() == ObjectAction.COUNTER_CREATE;
        }

        /** Whether the new object's id came with the operation ({@code *WithObjectId}). */
        boolean hasOwnId() {
            return field.endsWith("WithObjectId");
        }
    }

    /** The operations of a request body. */
    static List<Op> parse(JsonNode body) {
        if (body.isArray()) {
            if (body.isEmpty()) {
                throw bad("The request has no operations");
            }
            if (body.size() > MAX_OPERATIONS) {
                throw new AblyException(
                        ErrorCode.INVALID_REQUEST_BODY,
                        "A request may carry at most " + MAX_OPERATIONS + " operations, this one has " + body.size());
            }
            List<Op> ops = new ArrayList<>(body.size());
            for (int i = 0; i < body.size(); i++) {
                ops.add(parseOne(body.get(i), i));
            }
            return ops;
        }
        return List.of(parseOne(body, 0));
    }

    static Op parseOne(JsonNode n, int index) {
        String where = "Operation " + index;
        if (!n.isObject()) {
            throw bad(where + " must be an object");
        }
        String field = null;
        int action = -1;
        for (Map.Entry<String, Integer> k : KINDS.entrySet()) {
            JsonNode v = n.get(k.getKey());
            if (v != null && !v.isNull()) {
                if (field != null) {
                    throw bad(where + " has both " + field + " and " + k.getKey() + "; send one operation per element");
                }
                field = k.getKey();
                action = k.getValue();
            }
        }
        if (field == null) {
            throw bad(where + " names no operation: it needs one of mapSet, mapRemove, mapCreate, counterCreate,"
                    + " counterInc, mapCreateWithObjectId or counterCreateWithObjectId");
        }
        String id = text(n, "id", where);
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
            throw bad(where + ": id must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        String objectId = text(n, "objectId", where);
        String pathText = text(n, "path", where);
        ObjectPath path = pathText == null ? null : ObjectPath.parse(pathText);
        boolean create = action == ObjectAction.MAP_CREATE || action == ObjectAction.COUNTER_CREATE;
        boolean ownId = field.endsWith("WithObjectId");
        if (objectId != null && path != null && !ownId) {
            throw bad(where + " names both objectId and path; target one");
        }
        if (!create && objectId == null && path == null) {
            throw bad(where + " (" + field + ") needs a target: objectId or path");
        }
        if (create && !ownId && objectId != null) {
            throw bad(where + ": " + field + " takes no objectId (the server assigns it); use " + field
                    + "WithObjectId to choose it");
        }
        if (ownId && objectId == null) {
            throw bad(where + ": " + field + " needs the objectId it was generated for");
        }
        if (create && path != null && path.isEmpty()) {
            throw new AblyException(
                    ErrorCode.OBJECT_PATH_NOT_PROCESSABLE,
                    where + ": a create with a path sets the new object at that key, so the path cannot be empty");
        }
        if (objectId != null) {
            ObjectId.typeOf(objectId);
        }
        if (ownId) {
            JsonNode with = n.get(field);
            if (!with.isObject()
                    || !with.path("nonce").isTextual()
                    || !with.path("initialValue").isTextual()) {
                throw bad(where + ": " + field + " needs initialValue and nonce, both strings");
            }
        }
        ObjectNode wire = NODES.objectNode();
        wire.put("action", action);
        wire.put("objectId", placeholder(action, objectId));
        wire.set(field, normalise(field, n.get(field), where));
        ObjectOperation op = ObjectMessages.readOperation(wire);
        return new Op(id, field, objectId, path, op);
    }

    /** The objectId to check the payload with: the target when known, else a placeholder of the right type. */
    private static String placeholder(int action, @Nullable String objectId) {
        if (objectId != null) {
            return objectId;
        }
        return action == ObjectAction.COUNTER_CREATE || action == ObjectAction.COUNTER_INC ? SOME_COUNTER : SOME_MAP;
    }

    /** The payload as the realtime reader takes it: a map's semantics may be named ({@code "lww"}) instead of 0. */
    private static JsonNode normalise(String field, JsonNode payload, String where) {
        if (!payload.isObject()) {
            throw bad(where + ": " + field + " must be an object");
        }
        if (field.equals("mapCreate")) {
            JsonNode sem = payload.get("semantics");
            if (sem != null && sem.isTextual()) {
                if (!sem.asText().equalsIgnoreCase("lww")) {
                    throw new AblyException(
                            ErrorCode.OBJECT_INVALID_MESSAGE,
                            where + ": unknown map semantics '" + clip(sem.asText()) + "'");
                }
                ObjectNode copy = ((ObjectNode) payload).deepCopy();
                copy.put("semantics", 0);
                return copy;
            }
        }
        return payload;
    }

    private static @Nullable String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(where + ": " + field + " must be a string");
        }
        return v.asText();
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static AblyException bad(String message) {
        return new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }
}
