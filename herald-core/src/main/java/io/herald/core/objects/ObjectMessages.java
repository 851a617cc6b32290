package io.herald.core.objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Object messages to and from the {@code state} tree of a ProtocolMessage (herald-protocol keeps {@code state} as a
 * JSON tree in both formats: msgpack {@code bin} becomes a binary node, which is written back as {@code bin} in msgpack
 * and as base64 text in JSON). Reading accepts {@code bytes} as either, {@code json} values as JSON text, the create
 * operations as {@code mapCreate}/{@code counterCreate} or as the {@code *CreateWithObjectId} form ably-js 2.x
 * sends (whose {@code initialValue} is the create payload as JSON text), and the older {@code mapOp}/{@code counterOp}
 * names. Anything malformed is a 92000 {@link AblyException} naming what was wrong. Writing uses the current names
 * only.
 */
public final class ObjectMessages {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers JavaScript holds exactly: written as integers when whole. */
    private static final double MAX_SAFE = 9_007_199_254_740_991d;

    private ObjectMessages() {}

    /** The messages of a {@code state} array; 92000 when it is not an array of objects. */
    public static List<ObjectMessage> read(@Nullable JsonNode state) {
        if (state == null || !state.isArray()) {
            throw ObjectId.invalid("An OBJECT ProtocolMessage needs a state array of object messages");
        }
        List<ObjectMessage> out = new ArrayList<>(state.size());
        for (JsonNode m : state) {
            out.add(readMessage(m));
        }
        return out;
    }

    public static ObjectMessage readMessage(JsonNode m) {
        if (!m.isObject()) {
            throw ObjectId.invalid("An object message must be an object");
        }
        JsonNode extras = m.get("extras");
        if (extras != null && !extras.isNull() && !extras.isObject()) {
            throw ObjectId.invalid("extras must be an object");
        }
        JsonNode op = m.get("operation");
        JsonNode obj = m.get("object");
        return new ObjectMessage(
                text(m, "id"),
                text(m, "clientId"),
                text(m, "connectionId"),
                integer(m, "timestamp"),
                text(m, "serial"),
                integer(m, "serialTimestamp"),
                text(m, "siteCode"),
                extras == null || extras.isNull() ? null : extras,
                op == null || op.isNull() ? null : readOperation(op),
                obj == null || obj.isNull() ? null : readState(obj));
    }

    public static ObjectOperation readOperation(JsonNode op) {
        if (!op.isObject()) {
            throw ObjectId.invalid("operation must be an object");
        }
        JsonNode a = op.get("action");
        if (a == null || !a.isIntegralNumber() || !ObjectAction.isKnown(a.asInt(-1))) {
            throw ObjectId.invalid(
                    "Unknown object operation action " + (a == null ? "(none)" : ObjectId.clip(a.toString())));
        }
        int action = a.asInt();
        String objectId = text(op, "objectId");
        if (objectId == null || objectId.isEmpty()) {
            throw ObjectId.invalid("An object operation needs an objectId");
        }
        ObjectId.typeOf(objectId);
        MapCreate mapCreate = null;
        String key = null;
        ObjectData value = null;
        Double number = null;
        String nonce = text(op, "nonce");
        String initialValue = text(op, "initialValue");
        switch (action) {
            case ObjectAction.MAP_CREATE -> {
                JsonNode with = obj(op, "mapCreateWithObjectId");
                if (with != null) {
                    nonce = text(with, "nonce");
                    initialValue = text(with, "initialValue");
                }
                if (initialValue != null) {
                    mapCreate = readMapCreate(parse(initialValue));
                } else {
                    JsonNode mc = obj(op, "mapCreate");
                    mc = mc != null ? mc : obj(op, "map");
                    mapCreate = mc == null ? new MapCreate(MapCreate.LWW, Map.of()) : readMapCreate(mc);
                }
            }
            case ObjectAction.MAP_SET, ObjectAction.MAP_REMOVE -> {
                String field = action == ObjectAction.MAP_SET ? "mapSet" : "mapRemove";
                JsonNode p = obj(op, field);
                JsonNode legacy = obj(op, "mapOp");
                JsonNode body = p != null ? p : legacy;
                if (body == null) {
                    throw ObjectId.invalid(ObjectAction.name(action) + " needs " + field);
                }
                key = text(body, "key");
                if (key == null) {
                    throw ObjectId.invalid(ObjectAction.name(action) + " needs a key");
                }
                if (action == ObjectAction.MAP_SET) {
                    JsonNode v = body.get(p != null ? "value" : "data");
                    if (v == null || !v.isObject()) {
                        throw ObjectId.invalid("map.set needs a value");
                    }
                    value = readData(v);
                    if (value.isEmpty()) {
                        throw ObjectId.invalid("map.set on key '" + ObjectId.clip(key) + "' has an empty value");
                    }
                }
            }
            case ObjectAction.COUNTER_CREATE -> {
                JsonNode with = obj(op, "counterCreateWithObjectId");
                if (with != null) {
                    nonce = text(with, "nonce");
                    initialValue = text(with, "initialValue");
                }
                JsonNode cc = initialValue != null ? parse(initialValue) : obj(op, "counterCreate");
                cc = cc != null ? cc : obj(op, "counter");
                number = cc == null ? null : finite(cc, "count");
            }
            case ObjectAction.COUNTER_INC -> {
                JsonNode ci = obj(op, "counterInc");
                JsonNode legacy = obj(op, "counterOp");
                number = ci != null ? finite(ci, "number") : legacy != null ? finite(legacy, "amount") : null;
                if (number == null) {
                    throw ObjectId.invalid("counter.inc needs counterInc.number");
                }
            }
            default -> {}
        }
        return new ObjectOperation(action, objectId, mapCreate, key, value, number, nonce, initialValue);
    }

    static ObjectState readState(JsonNode s) {
        if (!s.isObject()) {
            throw ObjectId.invalid("object must be an object");
        }
        String objectId = text(s, "objectId");
        if (objectId == null) {
            throw ObjectId.invalid("An object state needs an objectId");
        }
        Map<String, String> sites = new TreeMap<>();
        JsonNode st = obj(s, "siteTimeserials");
        if (st != null) {
            st.properties().forEach(e -> sites.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode createOp = obj(s, "createOp");
        JsonNode map = obj(s, "map");
        JsonNode counter = obj(s, "counter");
        ObjectsMap m = null;
        if (map != null) {
            MapCreate mc = readMapCreate(map);
            m = new ObjectsMap(mc.semantics(), mc.entries(), text(map, "clearTimeserial"));
        }
        return new ObjectState(
                objectId,
                sites,
                s.path("tombstone").asBoolean(false),
                createOp == null ? null : readOperation(createOp),
                m,
                counter == null ? null : finite(counter, "count"));
    }

    private static MapCreate readMapCreate(JsonNode mc) {
        if (!mc.isObject()) {
            throw ObjectId.invalid("A map's initial value must be an object");
        }
        JsonNode sem = mc.get("semantics");
        if (sem != null && !sem.isNull() && sem.asInt(-1) != MapCreate.LWW) {
            throw ObjectId.invalid("Unknown map semantics " + ObjectId.clip(sem.toString()));
        }
        Map<String, MapEntry> entries = new LinkedHashMap<>();
        JsonNode es = mc.get("entries");
        if (es != null && !es.isNull()) {
            if (!es.isObject()) {
                throw ObjectId.invalid("Map entries must be an object");
            }
            es.properties().forEach(e -> entries.put(e.getKey(), readEntry(e.getKey(), e.getValue())));
        }
        return new MapCreate(MapCreate.LWW, entries);
    }

    private static MapEntry readEntry(String key, JsonNode e) {
        if (!e.isObject()) {
            throw ObjectId.invalid("Map entry '" + ObjectId.clip(key) + "' must be an object");
        }
        boolean tombstone = e.path("tombstone").asBoolean(false);
        JsonNode d = e.get("data");
        ObjectData data = d == null || d.isNull() ? null : readData(d);
        if (!tombstone && (data == null || data.isEmpty())) {
            throw ObjectId.invalid("Map entry '" + ObjectId.clip(key) + "' has no value");
        }
        return new MapEntry(tombstone ? null : data, text(e, "timeserial"), tombstone, integer(e, "serialTimestamp"));
    }

    /** A value: {@code bytes} as base64 text (JSON) or binary (msgpack), {@code json} as JSON text. */
    public static ObjectData readData(JsonNode d) {
        if (!d.isObject()) {
            throw ObjectId.invalid("An object value must be an object");
        }
        byte[] bytes = null;
        JsonNode b = d.get("bytes");
        if (b != null && !b.isNull()) {
            if (b.isBinary()) {
                try {
                    bytes = b.binaryValue();
                } catch (java.io.IOException e) {
                    throw ObjectId.invalid("Unreadable bytes value");
                }
            } else if (b.isTextual()) {
                try {
                    bytes = Base64.getDecoder().decode(b.asText());
                } catch (IllegalArgumentException e) {
                    throw ObjectId.invalid("A bytes value must be base64 in JSON");
                }
            } else {
                throw ObjectId.invalid("A bytes value must be binary or base64 text");
            }
        }
        JsonNode bool = d.get("boolean");
        if (bool != null && !bool.isNull() && !bool.isBoolean()) {
            throw ObjectId.invalid("A boolean value must be true or false");
        }
        JsonNode str = d.get("string");
        if (str != null && !str.isNull() && !str.isTextual()) {
            throw ObjectId.invalid("A string value must be text");
        }
        JsonNode json = d.get("json");
        String jsonText = null;
        if (json != null && !json.isNull()) {
            jsonText = json.isTextual() ? json.asText() : json.toString();
            JsonNode parsed = json.isTextual() ? parse(jsonText) : json;
            if (!parsed.isContainerNode()) {
                throw ObjectId.invalid("A json value must be an object or an array");
            }
        }
        return ObjectData.of(
                text(d, "objectId"),
                (bool == null || bool.isNull()) ? null : bool.asBoolean(),
                bytes,
                finite(d, "number"),
                str == null || str.isNull() ? null : str.asText(),
                jsonText);
    }

    /** The {@code state} array for messages. */
    public static ArrayNode write(List<ObjectMessage> messages) {
        ArrayNode a = NODES.arrayNode(messages.size());
        for (ObjectMessage m : messages) {
            a.add(writeMessage(m));
        }
        return a;
    }

    public static ObjectNode writeMessage(ObjectMessage m) {
        ObjectNode n = NODES.objectNode();
        put(n, "id", m.id());
        put(n, "clientId", m.clientId());
        put(n, "connectionId", m.connectionId());
        if (m.timestamp() != null) {
            n.put("timestamp", m.timestamp());
        }
        if (m.operation() != null) {
            n.set("operation", writeOperation(m.operation()));
        }
        if (m.object() != null) {
            n.set("object", writeState(m.object()));
        }
        put(n, "serial", m.serial());
        if (m.serialTimestamp() != null) {
            n.put("serialTimestamp", m.serialTimestamp());
        }
        put(n, "siteCode", m.siteCode());
        if (m.extras() != null) {
            n.set("extras", m.extras());
        }
        return n;
    }

    public static ObjectNode writeOperation(ObjectOperation op) {
        ObjectNode n = NODES.objectNode();
        n.put("action", op.action());
        n.put("objectId", op.objectId());
        switch (op.action()) {
            case ObjectAction.MAP_CREATE -> {
                MapCreate mc = op.mapCreate() == null ? new MapCreate(MapCreate.LWW, Map.of()) : op.mapCreate();
                ObjectNode c = n.putObject("mapCreate");
                c.put("semantics", mc.semantics());
                c.set("entries", writeEntries(mc.entries()));
            }
            case ObjectAction.MAP_SET -> {
                ObjectNode s = n.putObject("mapSet");
                put(s, "key", op.key());
                if (op.value() != null) {
                    s.set("value", writeData(op.value()));
                }
            }
            case ObjectAction.MAP_REMOVE -> put(n.putObject("mapRemove"), "key", op.key());
            case ObjectAction.COUNTER_CREATE ->
                n.putObject("counterCreate").set("count", number(op.number() == null ? 0 : op.number()));
            case ObjectAction.COUNTER_INC ->
                n.putObject("counterInc").set("number", number(op.number() == null ? 0 : op.number()));
            case ObjectAction.OBJECT_DELETE -> n.putObject("objectDelete");
            case ObjectAction.MAP_CLEAR -> n.putObject("mapClear");
            default -> {}
        }
        return n;
    }

    public static ObjectNode writeState(ObjectState s) {
        ObjectNode n = NODES.objectNode();
        n.put("objectId", s.objectId());
        ObjectNode sites = n.putObject("siteTimeserials");
        s.siteTimeserials().forEach(sites::put);
        n.put("tombstone", s.tombstone());
        if (s.createOp() != null) {
            n.set("createOp", writeOperation(s.createOp()));
        }
        if (s.map() != null) {
            ObjectNode m = n.putObject("map");
            m.put("semantics", s.map().semantics());
            m.set("entries", writeEntries(s.map().entries()));
            put(m, "clearTimeserial", s.map().clearTimeserial());
        }
        if (s.counterCount() != null) {
            n.putObject("counter").set("count", number(s.counterCount()));
        }
        return n;
    }

    private static ObjectNode writeEntries(Map<String, MapEntry> entries) {
        ObjectNode es = NODES.objectNode();
        entries.forEach((k, e) -> {
            ObjectNode en = es.putObject(k);
            if (e.tombstone()) {
                en.put("tombstone", true);
            }
            put(en, "timeserial", e.timeserial());
            if (e.serialTimestamp() != null) {
                en.put("serialTimestamp", e.serialTimestamp());
            }
            if (e.data() != null) {
                en.set("data", writeData(e.data()));
            }
        });
        return es;
    }

    /** A value as the wire carries it: bytes as a binary node, json as its text. */
    public static ObjectNode writeData(ObjectData d) {
        ObjectNode n = NODES.objectNode();
        put(n, "objectId", d.objectId());
        if (d.bool() != null) {
            n.put("boolean", d.bool());
        }
        byte[] bytes = d.bytes();
        if (bytes != null) {
            n.set("bytes", NODES.binaryNode(bytes));
        }
        if (d.number() != null) {
            n.set("number", number(d.number()));
        }
        put(n, "string", d.string());
        put(n, "json", d.json());
        return n;
    }

    /** A number node: an integer when the value is whole and JavaScript holds it exactly, else a double. */
    static JsonNode number(double v) {
        if (v == Math.rint(v) && Math.abs(v) <= MAX_SAFE) {
            return NODES.numberNode((long) v);
        }
        return NODES.numberNode(v);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ObjectId.invalid("initialValue is not valid JSON");
        }
    }

    private static @Nullable JsonNode obj(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ObjectId.invalid(field + " must be an object");
        }
        return v;
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ObjectId.invalid(field + " must be a string");
        }
        return v.asText();
    }

    private static @Nullable Long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw ObjectId.invalid(field + " must be a number");
        }
        return v.asLong();
    }

    private static @Nullable Double finite(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ObjectId.invalid(field + " must be a finite number");
        }
        return v.asDouble();
    }

    private static void put(ObjectNode n, String field, @Nullable String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** Thrown for malformed input; kept for callers that want the type. */
    static AblyException invalid(String message) {
        return ObjectId.invalid(message);
    }
}
