package io.herald.core.objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Read-only JSON views of a channel's objects, the bodies of the REST objects API (ably-js {@code RestObject.get}).
 *
 * <ul>
 *   <li><b>compact</b>: a map as a JSON object of its live entries, a counter as its number, leaf values as
 *       themselves ({@code json} values parsed, {@code bytes} as a binary node: base64 text in JSON, {@code bin} in
 *       msgpack); a reference back to an object already on the path is shown as {@code {"objectId": id}};
 *   <li><b>full</b>: {@code {objectId, map: {semantics: "LWW", entries: {key: {data: value}}}}} for a map and
 *       {@code {objectId, counter: {data: {number}}}} for a counter, where a value is a nested object in the same
 *       shape or a wire value ({@code {string}}, {@code {number}}, {@code {boolean}}, {@code {bytes}}, {@code {json}}
 *       as JSON text); a cycle again ends in {@code {objectId}}.
 * </ul>
 *
 * Removed entries and references to deleted objects are left out. An unknown or deleted object id is 92004.
 */
public final class ObjectsView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectsView() {}

    /** The compact view of {@code objectId} ({@link ObjectId#ROOT} for the whole tree). */
    public static JsonNode compact(ObjectsState state, String objectId) {
        return compact(state, live(state, objectId), new HashSet<>());
    }

    /** The full view of {@code objectId}. */
    public static JsonNode full(ObjectsState state, String objectId) {
        return full(state, live(state, objectId), new HashSet<>());
    }

    private static PoolObject live(ObjectsState state, String objectId) {
        PoolObject o = state.object(objectId);
        if (o == null || o.tombstone) {
            throw new AblyException(
                    ErrorCode.OBJECT_NOT_FOUND, "No object " + ObjectId.clip(objectId) + " on the channel");
        }
        return o;
    }

    private static JsonNode compact(ObjectsState state, PoolObject o, Set<String> path) {
        if (!o.isMap) {
            return ObjectMessages.number(o.count());
        }
        if (!path.add(o.objectId)) {
            return NODES.objectNode().put("objectId", o.objectId);
        }
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, MapEntry> e : o.entries.entrySet()) {
            ObjectData d = e.getValue().data();
            if (e.getValue().tombstone() || d == null) {
                continue;
            }
            JsonNode v = d.objectId() != null ? compactRef(state, d.objectId(), path) : compactLeaf(d);
            if (v != null) {
                out.set(e.getKey(), v);
            }
        }
        path.remove(o.objectId);
        return out;
    }

    private static @Nullable JsonNode compactRef(ObjectsState state, String ref, Set<String> path) {
        PoolObject target = state.object(ref);
        if (target == null || target.tombstone) {
            return null;
        }
        return compact(state, target, path);
    }

    private static @Nullable JsonNode compactLeaf(ObjectData d) {
        if (d.string() != null) {
            return NODES.textNode(d.string());
        }
        if (d.number() != null) {
            return ObjectMessages.number(d.number());
        }
        if (d.bool() != null) {
            return NODES.booleanNode(d.bool());
        }
        byte[] b = d.bytes();
        if (b != null) {
            return NODES.binaryNode(b);
        }
        if (d.json() != null) {
            try {
                return JSON.readTree(d.json());
            } catch (JsonProcessingException e) {
                return NODES.textNode(d.json());
            }
        }
        return null;
    }

    private static JsonNode full(ObjectsState state, PoolObject o, Set<String> path) {
        ObjectNode out = NODES.objectNode().put("objectId", o.objectId);
        if (!path.add(o.objectId)) {
            return out;
        }
        if (o.isMap) {
            ObjectNode map = out.putObject("map");
            map.put("semantics", "LWW");
            ObjectNode entries = map.putObject("entries");
            for (Map.Entry<String, MapEntry> e : o.entries.entrySet()) {
                ObjectData d = e.getValue().data();
                if (e.getValue().tombstone() || d == null) {
                    continue;
                }
                JsonNode v;
                if (d.objectId() != null) {
                    PoolObject target = state.object(d.objectId());
                    if (target == null || target.tombstone) {
                        continue;
                    }
                    v = full(state, target, path);
                } else {
                    v = ObjectMessages.writeData(d);
                }
                entries.putObject(e.getKey()).set("data", v);
            }
        } else {
            out.putObject("counter").putObject("data").set("number", ObjectMessages.number(o.count()));
        }
        path.remove(o.objectId);
        return out;
    }
}
