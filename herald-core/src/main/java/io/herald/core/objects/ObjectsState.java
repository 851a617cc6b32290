package io.herald.core.objects;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The objects of one channel (Ably's objects pool) and the rules that change them. Not thread-safe: its owner (an
 * engine's channel) guards it and applies one batch at a time.
 *
 * <p>Use: {@link #check} a batch of operations (it throws the Ably error and changes nothing), stamp each message with
 * its serial and siteCode, then {@link #apply} them in order; a checked batch always applies. The rules are the ones
 * every client applies, so a client that receives the same operations in the same order reaches the same state:
 *
 * <ul>
 *   <li>an operation is applied to an object only when its serial is greater than the last one applied from the same
 *       site ({@code siteTimeserials}); a deleted object takes no more operations;
 *   <li>map entries are last-write-wins by serial (an absent serial, from a create's initial value, is the earliest);
 *       MAP_CLEAR removes every entry older than it and keeps later writes older than it from landing;
 *   <li>counters add up their increments; a create merges its initial value once (a map's entries, a counter's count);
 *   <li>an operation on an object the pool does not know yet creates that object with a zero value (an empty map, a
 *       counter at 0), as does a map entry that refers to one; the root map {@value ObjectId#ROOT} always exists.
 * </ul>
 *
 * Removed entries and deleted objects stay as tombstones for {@link ObjectsLimits#gcGracePeriod()} after their
 * removal's serial timestamp, then {@link #collect} drops them.
 */
public final class ObjectsState {
    private final ObjectsLimits limits;
    private final LinkedHashMap<String, PoolObject> objects = new LinkedHashMap<>();
    private long bytes;

    public ObjectsState(ObjectsLimits limits) {
        this.limits = limits;
        add(ObjectId.ROOT);
    }

    /**
     * A pool rebuilt from a {@link #snapshot()} (or any OBJECT_SYNC states): for an engine that stores snapshots, and
     * for reading an engine's {@code ObjectsSnapshot} with {@link ObjectsView}. A deleted object's removal time is not
     * in its state, so a restored tombstone is collected at the next {@link #collect}. 92000 for a state that is not
     * an object state or whose id is malformed.
     */
    public static ObjectsState restore(List<ObjectMessage> states, ObjectsLimits limits) {
        ObjectsState pool = new ObjectsState(limits);
        for (ObjectMessage m : states) {
            ObjectState s = m.object();
            if (s == null) {
                throw ObjectId.invalid("Only object states can be restored");
            }
            PoolObject o = pool.getOrCreate(s.objectId());
            o.siteTimeserials.putAll(s.siteTimeserials());
            o.tombstone = s.tombstone();
            o.createOp = s.createOp();
            if (o.isMap) {
                if (s.map() != null) {
                    o.clearTimeserial = s.map().clearTimeserial();
                    s.map().entries().forEach((k, e) -> pool.bytes += o.put(k, e));
                }
            } else {
                ObjectOperation c = s.createOp();
                o.created = c == null || c.number() == null ? 0 : c.number();
                o.incremented = s.counterCount() == null ? 0 : s.counterCount();
            }
        }
        return pool;
    }

    public ObjectsLimits limits() {
        return limits;
    }

    /** Objects in the pool, the root and uncollected deleted objects included. */
    public int objectCount() {
        return objects.size();
    }

    /** The pool's size by the limit rules. */
    public long bytes() {
        return bytes;
    }

    /** Whether the pool holds only an empty root (nothing was ever set, or everything was collected). */
    public boolean isEmpty() {
        return objects.size() == 1
                && root().entries.isEmpty()
                && root().siteTimeserials.isEmpty();
    }

    /** One object's state, or {@code null} when the pool does not hold it. */
    public @Nullable ObjectState state(String objectId) {
        PoolObject o = objects.get(objectId);
        return o == null ? null : o.state();
    }

    /** Every object's state as OBJECT_SYNC messages, the root first. */
    public List<ObjectMessage> snapshot() {
        List<ObjectMessage> out = new ArrayList<>(objects.size());
        for (PoolObject o : objects.values()) {
            out.add(ObjectMessage.ofState(o.state()));
        }
        return out;
    }

    /**
     * Checks a batch of operations against the pool without changing it: each operation's shape and type (92000: an
     * operation of the wrong type for its object, a create whose id does not match its initial value, deleting the
     * root), deleted targets (92002), and the limits the batch would cross (92001).
     */
    public void check(List<ObjectOperation> ops) {
        Set<String> added = new HashSet<>();
        long growth = 0;
        for (ObjectOperation op : ops) {
            checkOne(op);
            PoolObject target = objects.get(op.objectId());
            if (target != null && target.tombstone) {
                throw new AblyException(ErrorCode.OBJECT_TOMBSTONED, "Object " + op.objectId() + " has been deleted");
            }
            if (target == null && added.add(op.objectId())) {
                growth += op.objectId().length() + 8;
            }
            for (String ref : references(op)) {
                if (!objects.containsKey(ref) && added.add(ref)) {
                    growth += ref.length() + 8;
                }
            }
            if (op.action() == ObjectAction.MAP_SET
                    || op.action() == ObjectAction.MAP_CREATE
                    || op.action() == ObjectAction.COUNTER_CREATE) {
                growth += op.size();
            }
        }
        if (objects.size() + added.size() > limits.maxObjects()) {
            throw new AblyException(
                    ErrorCode.OBJECT_LIMIT_EXCEEDED, "A channel may hold at most " + limits.maxObjects() + " objects");
        }
        if (bytes + growth > limits.maxBytes()) {
            throw new AblyException(
                    ErrorCode.OBJECT_LIMIT_EXCEEDED,
                    "A channel's objects may take at most " + limits.maxBytes() + " bytes");
        }
    }

    private static void checkOne(ObjectOperation op) {
        String type = ObjectId.typeOf(op.objectId());
        int a = op.action();
        if ((ObjectAction.isMapAction(a) && !ObjectId.MAP.equals(type))
                || (ObjectAction.isCounterAction(a) && !ObjectId.COUNTER.equals(type))) {
            throw ObjectId.invalid(
                    "Operation " + ObjectAction.name(a) + " cannot apply to object " + ObjectId.clip(op.objectId()));
        }
        if (a == ObjectAction.OBJECT_DELETE && ObjectId.ROOT.equals(op.objectId())) {
            throw ObjectId.invalid("The root object cannot be deleted");
        }
        if ((a == ObjectAction.MAP_CREATE || a == ObjectAction.COUNTER_CREATE)) {
            if (ObjectId.ROOT.equals(op.objectId())) {
                throw ObjectId.invalid("The root object cannot be created");
            }
            if (op.initialValue() != null || op.nonce() != null) {
                if (op.initialValue() == null || op.nonce() == null) {
                    throw ObjectId.invalid("A create operation needs both initialValue and nonce");
                }
                ObjectId.checkDerived(op.objectId(), type, op.initialValue(), op.nonce());
            }
        }
        for (String ref : references(op)) {
            ObjectId.typeOf(ref);
        }
    }

    /** The objects an operation's values refer to. */
    private static List<String> references(ObjectOperation op) {
        List<String> refs = new ArrayList<>(1);
        if (op.value() != null && op.value().objectId() != null) {
            refs.add(op.value().objectId());
        }
        if (op.mapCreate() != null) {
            for (MapEntry e : op.mapCreate().entries().values()) {
                if (e.data() != null && e.data().objectId() != null) {
                    refs.add(e.data().objectId());
                }
            }
        }
        return refs;
    }

    /**
     * Applies one stamped operation message (it must carry {@code serial} and {@code siteCode}, and should have
     * passed {@link #check}). Returns whether the pool changed (false for an operation older than the object's last
     * one from its site, on a deleted object, or a create already merged).
     */
    public boolean apply(ObjectMessage message) {
        ObjectOperation op = message.operation();
        String serial = message.serial();
        String site = message.siteCode();
        if (op == null || serial == null || site == null) {
            throw new IllegalArgumentException("apply needs an operation with its serial and siteCode");
        }
        PoolObject o = getOrCreate(op.objectId());
        String last = o.siteTimeserials.get(site);
        if (last != null && serial.compareTo(last) <= 0) {
            return false;
        }
        o.siteTimeserials.put(site, serial);
        if (o.tombstone) {
            return false;
        }
        long at = message.serialTimestamp() != null
                ? message.serialTimestamp()
                : message.timestamp() != null ? message.timestamp() : 0L;
        return switch (op.action()) {
            case ObjectAction.MAP_CREATE -> mergeMapCreate(o, op, at);
            case ObjectAction.MAP_SET -> set(o, op.key(), op.value(), serial);
            case ObjectAction.MAP_REMOVE -> remove(o, op.key(), serial, at);
            case ObjectAction.COUNTER_CREATE -> {
                if (o.createOp != null) {
                    yield false;
                }
                o.createOp = op;
                o.created = op.number() == null ? 0 : op.number();
                yield true;
            }
            case ObjectAction.COUNTER_INC -> {
                o.incremented += op.number() == null ? 0 : op.number();
                yield true;
            }
            case ObjectAction.OBJECT_DELETE -> delete(o, at);
            case ObjectAction.MAP_CLEAR -> clear(o, serial);
            default -> false;
        };
    }

    private boolean mergeMapCreate(PoolObject o, ObjectOperation op, long at) {
        if (o.createOp != null || op.mapCreate() == null) {
            return false;
        }
        o.createOp = ObjectOperation.mapCreate(op.objectId(), op.mapCreate());
        op.mapCreate().entries().forEach((k, e) -> {
            if (e.tombstone()) {
                remove(o, k, e.timeserial(), e.serialTimestamp() != null ? e.serialTimestamp() : at);
            } else {
                set(o, k, e.data(), e.timeserial());
            }
        });
        return true;
    }

    private boolean set(PoolObject o, @Nullable String key, @Nullable ObjectData value, @Nullable String serial) {
        if (key == null || value == null || !writable(o, key, serial)) {
            return false;
        }
        if (value.objectId() != null) {
            getOrCreate(value.objectId());
        }
        bytes += o.put(key, MapEntry.of(value, serial));
        return true;
    }

    private boolean remove(PoolObject o, @Nullable String key, @Nullable String serial, long at) {
        if (key == null || !writable(o, key, serial)) {
            return false;
        }
        bytes += o.put(key, MapEntry.removed(serial, at));
        return true;
    }

    /** Last write wins: whether an operation with {@code serial} may write {@code key}. */
    private static boolean writable(PoolObject o, String key, @Nullable String serial) {
        if (o.clearTimeserial != null && (serial == null || o.clearTimeserial.compareTo(serial) >= 0)) {
            return false;
        }
        MapEntry e = o.entries.get(key);
        if (e == null) {
            return true;
        }
        String current = e.timeserial();
        if (serial == null) {
            return false;
        }
        return current == null || serial.compareTo(current) > 0;
    }

    private boolean clear(PoolObject o, String serial) {
        if (o.clearTimeserial != null && o.clearTimeserial.compareTo(serial) > 0) {
            return false;
        }
        o.clearTimeserial = serial;
        Iterator<Map.Entry<String, MapEntry>> it = o.entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, MapEntry> e = it.next();
            String ts = e.getValue().timeserial();
            if (ts == null || serial.compareTo(ts) > 0) {
                long s = PoolObject.entrySize(e.getKey(), e.getValue());
                o.size -= s;
                bytes -= s;
                it.remove();
            }
        }
        return true;
    }

    private boolean delete(PoolObject o, long at) {
        if (ObjectId.ROOT.equals(o.objectId)) {
            return false;
        }
        o.tombstone = true;
        o.tombstonedAt = at;
        bytes -= o.size - o.baseSize();
        o.size = o.baseSize();
        o.entries.clear();
        o.incremented = 0;
        o.created = 0;
        return true;
    }

    /**
     * Drops deleted objects and removed map entries whose removal is at least the grace period older than
     * {@code nowMs} (never the root, nor entries the map was created with). Returns how many it dropped.
     */
    public int collect(long nowMs) {
        long before = nowMs - limits.gcGracePeriod().toMillis();
        int dropped = 0;
        Iterator<PoolObject> it = objects.values().iterator();
        while (it.hasNext()) {
            PoolObject o = it.next();
            if (o.tombstone && o.tombstonedAt <= before && !ObjectId.ROOT.equals(o.objectId)) {
                bytes -= o.size;
                it.remove();
                dropped++;
                continue;
            }
            List<String> gone = new ArrayList<>();
            o.entries.forEach((k, e) -> {
                if (e.tombstone()
                        && e.serialTimestamp() != null
                        && e.serialTimestamp() <= before
                        && !o.createdWith(k)) {
                    gone.add(k);
                }
            });
            for (String k : gone) {
                bytes += o.remove(k);
                dropped++;
            }
        }
        return dropped;
    }

    private PoolObject getOrCreate(String objectId) {
        PoolObject o = objects.get(objectId);
        return o != null ? o : add(objectId);
    }

    private PoolObject add(String objectId) {
        PoolObject o = new PoolObject(objectId);
        objects.put(objectId, o);
        bytes += o.size;
        return o;
    }

    PoolObject root() {
        PoolObject r = objects.get(ObjectId.ROOT);
        if (r == null) {
            throw new IllegalStateException("the root object is never removed");
        }
        return r;
    }

    @Nullable
    PoolObject object(String objectId) {
        return objects.get(objectId);
    }

    Collection<PoolObject> all() {
        return objects.values();
    }
}
