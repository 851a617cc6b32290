package io.herald.core.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A read-only index of a channel's objects as a snapshot gives them (the OBJECT_SYNC states an engine's objects store
 * returns), for the REST objects API: finding what a path points at, and the two JSON views of it (ably-js 2.26
 * {@code RestObject.get}).
 *
 * <ul>
 *   <li><b>compact</b>: a map as a JSON object of its live entries, a counter as its number, leaf values as themselves,
 *       except that {@code bytes} is a binary node (base64 text in JSON, {@code bin} in msgpack) and {@code json} stays
 *       its JSON text (the SDK cannot tell it from a string otherwise, so it never parses it);
 *   <li><b>full</b>: {@code {objectId, map: {semantics: "LWW", entries: {key: {data: value}}}}} for a map,
 *       {@code {objectId, counter: {data: {number}}}} for a counter; a value is a nested object in the same shape or a
 *       wire value ({@code {string}}, {@code {number}}, {@code {boolean}}, {@code {bytes}}, {@code {json}} as text).
 * </ul>
 *
 * In both, an object already on the way down (a cycle) or deeper than {@link #MAX_DEPTH} is shown as
 * {@code {"objectId": id}}, so no tree makes the answer unbounded. Removed entries, and entries that refer to deleted
 * objects, are left out; an unknown or deleted object is 92004, a path that leads nowhere 92005.
 */
public final class ObjectsTree {
    /** Objects nested deeper than this are shown by reference. */
    public static final int MAX_DEPTH = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, ObjectState> objects;

    private ObjectsTree(Map<String, ObjectState> objects) {
        this.objects = objects;
    }

    /** The tree of a snapshot's OBJECT_SYNC messages (messages without an object state are ignored). */
    public static ObjectsTree of(List<ObjectMessage> snapshot) {
        Map<String, ObjectState> m = new LinkedHashMap<>();
        for (ObjectMessage msg : snapshot) {
            ObjectState s = msg.object();
            if (s != null) {
                m.put(s.objectId(), s);
            }
        }
        return new ObjectsTree(m);
    }

    /** What a path points at: an object (by id) or a leaf value of a map entry. */
    public record Node(@Nullable String objectId, @Nullable ObjectData leaf) {
        static Node object(String id) {
            return new Node(id, null);
        }
    }

    /** The live (not deleted) object with this id, or null. */
    public @Nullable ObjectState live(String objectId) {
        ObjectState s = objects.get(objectId);
        return s == null || s.tombstone() ? null : s;
    }

    /** The object's type ({@link ObjectId#MAP} or {@link ObjectId#COUNTER}). */
    public static String typeOf(ObjectState s) {
        return s.map() != null ? ObjectId.MAP : ObjectId.COUNTER;
    }

    /** A counter's value: its create operation's count plus its increments. */
    public static double count(ObjectState s) {
        double n = s.counterCount() == null ? 0 : s.counterCount();
        ObjectOperation c = s.createOp();
        if (c != null && c.number() != null) {
            n += c.number();
        }
        return n;
    }

    /**
     * The one node a wildcard-free path from {@code objectId} points at; 92004 when the object is unknown or deleted,
     * 92005 when a key is missing or the path goes through a value that is not a map.
     */
    public Node resolve(String objectId, ObjectPath path) {
        if (live(objectId) == null) {
            throw notFound(objectId);
        }
        Node at = Node.object(objectId);
        for (ObjectPath.Segment seg : path.segments()) {
            if (seg.wildcard()) {
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE, "A wildcard path cannot be read; name every key");
            }
            Node next = at.objectId() == null ? null : child(at.objectId(), seg.key());
            if (next == null) {
                throw noMatch(path);
            }
            at = next;
        }
        return at;
    }

    /**
     * The nodes a path, wildcards allowed, points at from {@code objectId}; a wildcard matches every live entry of a
     * map. Empty when nothing matches (the caller decides whether that is an error); 92004 for an unknown start.
     */
    public List<Node> match(String objectId, ObjectPath path) {
        if (live(objectId) == null) {
            throw notFound(objectId);
        }
        List<Node> at = List.of(Node.object(objectId));
        for (ObjectPath.Segment seg : path.segments()) {
            List<Node> next = new ArrayList<>();
            for (Node n : at) {
                if (n.objectId() == null) {
                    continue;
                }
                if (seg.wildcard()) {
                    next.addAll(children(n.objectId()));
                } else {
                    Node c = child(n.objectId(), seg.key());
                    if (c != null) {
                        next.add(c);
                    }
                }
            }
            at = next;
        }
        return at;
    }

    private @Nullable Node child(String mapId, String key) {
        ObjectState s = live(mapId);
        if (s == null || s.map() == null) {
            return null;
        }
        MapEntry e = s.map().entries().get(key);
        return e == null ? null : node(e);
    }

    private List<Node> children(String mapId) {
        ObjectState s = live(mapId);
        List<Node> out = new ArrayList<>();
        if (s != null && s.map() != null) {
            for (MapEntry e : s.map().entries().values()) {
                Node n = node(e);
                if (n != null) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** The node of a live entry, or null for a removed one or one that refers to a deleted object. */
    private @Nullable Node node(MapEntry e) {
        ObjectData d = e.data();
        if (e.tombstone() || d == null) {
            return null;
        }
        if (d.objectId() != null) {
            return live(d.objectId()) == null ? null : Node.object(d.objectId());
        }
        return new Node(null, d);
    }

    /** The compact view of a node. */
    public JsonNode compact(Node n) {
        if (n.leaf() != null) {
            return compactLeaf(n.leaf());
        }
        return compactObject(java.util.Objects.requireNonNull(n.objectId()), new HashSet<>(), 0);
    }

    /** The full view of a node. */
    public JsonNode full(Node n) {
        if (n.leaf() != null) {
            return ObjectMessages.writeData(n.leaf());
        }
        return fullObject(java.util.Objects.requireNonNull(n.objectId()), new HashSet<>(), 0);
    }

    private JsonNode compactObject(String id, Set<String> path, int depth) {
        ObjectState s = live(id);
        if (s == null) {
            throw notFound(id);
        }
        if (s.map() == null) {
            return ObjectMessages.number(count(s));
        }
        if (depth >= MAX_DEPTH || !path.add(id)) {
            return NODES.objectNode().put("objectId", id);
        }
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, MapEntry> e : s.map().entries().entrySet()) {
            Node c = node(e.getValue());
            if (c != null) {
                out.set(
                        e.getKey(),
                        c.leaf() != null
                                ? compactLeaf(c.leaf())
                                : compactObject(java.util.Objects.requireNonNull(c.objectId()), path, depth + 1));
            }
        }
        path.remove(id);
        return out;
    }

    private static JsonNode compactLeaf(ObjectData d) {
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
        return d.json() != null ? NODES.textNode(d.json()) : NODES.nullNode();
    }

    private JsonNode fullObject(String id, Set<String> path, int depth) {
        ObjectState s = live(id);
        if (s == null) {
            throw notFound(id);
        }
        ObjectNode out = NODES.objectNode().put("objectId", id);
        if (depth >= MAX_DEPTH || !path.add(id)) {
            return out;
        }
        if (s.map() != null) {
            ObjectNode map = out.putObject("map");
            map.put("semantics", "LWW");
            ObjectNode entries = map.putObject("entries");
            for (Map.Entry<String, MapEntry> e : s.map().entries().entrySet()) {
                Node c = node(e.getValue());
                if (c != null) {
                    JsonNode v = c.leaf() != null
                            ? ObjectMessages.writeData(c.leaf())
                            : fullObject(java.util.Objects.requireNonNull(c.objectId()), path, depth + 1);
                    entries.putObject(e.getKey()).set("data", v);
                }
            }
        } else {
            out.putObject("counter").putObject("data").set("number", ObjectMessages.number(count(s)));
        }
        path.remove(id);
        return out;
    }

    static AblyException notFound(String objectId) {
        return new AblyException(
                ErrorCode.OBJECT_NOT_FOUND, "No object " + ObjectId.clip(objectId) + " on the channel");
    }

    static AblyException noMatch(ObjectPath path) {
        return new AblyException(
                ErrorCode.OBJECT_PATH_NO_MATCH, "No object or value at path '" + ObjectId.clip(path.toString()) + "'");
    }
}
