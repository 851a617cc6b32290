package io.herald.core.objects;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** One object of an {@link ObjectsState}: mutable, confined to the pool (which its owner guards). */
final class PoolObject {
    final String objectId;
    final boolean isMap;
    final Map<String, String> siteTimeserials = new TreeMap<>();
    boolean tombstone;
    long tombstonedAt;

    @Nullable
    ObjectOperation createOp;
    /** Map: entries, removed ones included until they are collected. */
    final LinkedHashMap<String, MapEntry> entries = new LinkedHashMap<>();

    @Nullable
    String clearTimeserial;
    /** Counter: the sum of the increments, and the create operation's count once it is merged. */
    double incremented;

    double created;
    /** This object's size by the limit rules, kept up to date as entries change. */
    long size;

    PoolObject(String objectId) {
        this.objectId = objectId;
        this.isMap = ObjectId.MAP.equals(ObjectId.typeOf(objectId));
        this.size = baseSize();
    }

    long baseSize() {
        return (long) objectId.length() + (isMap ? 0 : 8);
    }

    /** The counter's value: its initial count plus its increments. */
    double count() {
        return created + incremented;
    }

    /** Replaces (or adds) an entry, keeping {@link #size} right; returns the change in size. */
    long put(String key, MapEntry entry) {
        MapEntry old = entries.put(key, entry);
        long delta = entrySize(key, entry) - (old == null ? 0 : entrySize(key, old));
        size += delta;
        return delta;
    }

    /** Removes an entry; returns the change in size. */
    long remove(String key) {
        MapEntry old = entries.remove(key);
        long delta = old == null ? 0 : -entrySize(key, old);
        size += delta;
        return delta;
    }

    static long entrySize(String key, MapEntry e) {
        return key.length() + (e.data() == null ? 0 : e.data().size());
    }

    /** Whether the create operation's initial value had this key (such entries are never collected). */
    boolean createdWith(String key) {
        ObjectOperation c = createOp;
        return c != null && c.mapCreate() != null && c.mapCreate().entries().containsKey(key);
    }

    ObjectState state() {
        ObjectsMap map = isMap ? new ObjectsMap(MapCreate.LWW, entries, clearTimeserial) : null;
        return new ObjectState(objectId, siteTimeserials, tombstone, createOp, map, isMap ? null : incremented);
    }
}
