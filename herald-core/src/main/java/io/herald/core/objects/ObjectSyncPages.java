package io.herald.core.objects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a pool's object states into OBJECT_SYNC pages no larger than the connection's maximum message size, by Ably's
 * size rules (OST3: a map's keys and entry values, 8 for a counter's count, the create operation). A map too large
 * for one page is sent as several partial states with the same objectId, each with a share of its entries; a client
 * merges them (RTO5f2a: no key appears in two parts). Only the first part carries the create operation, and a state
 * larger than the limit on its own (one huge entry, a counter with a huge create operation) gets a page to itself.
 */
public final class ObjectSyncPages {
    private ObjectSyncPages() {}

    /** Bytes a state counts for by Ably's rules (OST3). */
    public static long size(ObjectState s) {
        long n = 0;
        if (s.map() != null) {
            for (Map.Entry<String, MapEntry> e : s.map().entries().entrySet()) {
                n += entrySize(e.getKey(), e.getValue());
            }
        }
        if (s.counterCount() != null) {
            n += 8;
        }
        if (s.createOp() != null) {
            n += s.createOp().size();
        }
        return n;
    }

    private static long entrySize(String key, MapEntry entry) {
        ObjectData d = entry.data();
        return key.length() + (d == null ? 0 : d.size());
    }

    /**
     * The pages, in order: each holds at most {@code maxObjects} states and at most {@code maxBytes} bytes unless a
     * single state or entry is larger on its own. An empty pool makes one empty page.
     */
    public static List<List<ObjectMessage>> split(List<ObjectMessage> states, long maxBytes, int maxObjects) {
        List<List<ObjectMessage>> pages = new ArrayList<>();
        List<ObjectMessage> page = new ArrayList<>();
        long used = 0;
        for (ObjectMessage m : states) {
            ObjectState s = m.object();
            long size = s == null ? 0 : size(s);
            if (s == null || size <= maxBytes || s.map() == null) {
                if (!page.isEmpty() && (used + size > maxBytes || page.size() >= maxObjects)) {
                    pages.add(page);
                    page = new ArrayList<>();
                    used = 0;
                }
                page.add(m);
                used += size;
                continue;
            }
            for (ObjectState part : parts(s, maxBytes)) {
                long partSize = size(part);
                if (!page.isEmpty() && (used + partSize > maxBytes || page.size() >= maxObjects)) {
                    pages.add(page);
                    page = new ArrayList<>();
                    used = 0;
                }
                page.add(new ObjectMessage(
                        m.id(),
                        m.clientId(),
                        m.connectionId(),
                        m.timestamp(),
                        m.serial(),
                        m.serialTimestamp(),
                        m.siteCode(),
                        m.extras(),
                        null,
                        part));
                used += partSize;
            }
        }
        pages.add(page);
        return pages;
    }

    /** A map state cut into parts of at most {@code maxBytes} each (an entry larger than that is a part alone). */
    static List<ObjectState> parts(ObjectState s, long maxBytes) {
        ObjectsMap map = java.util.Objects.requireNonNull(s.map());
        List<ObjectState> parts = new ArrayList<>();
        Map<String, MapEntry> entries = new LinkedHashMap<>();
        long used = s.createOp() == null ? 0 : s.createOp().size();
        for (Map.Entry<String, MapEntry> e : map.entries().entrySet()) {
            long size = entrySize(e.getKey(), e.getValue());
            if ((!entries.isEmpty() || (parts.isEmpty() && s.createOp() != null)) && used + size > maxBytes) {
                parts.add(part(s, parts.isEmpty(), entries));
                entries = new LinkedHashMap<>();
                used = 0;
            }
            entries.put(e.getKey(), e.getValue());
            used += size;
        }
        if (!entries.isEmpty() || parts.isEmpty()) {
            parts.add(part(s, parts.isEmpty(), entries));
        }
        return parts;
    }

    private static ObjectState part(ObjectState s, boolean first, Map<String, MapEntry> entries) {
        ObjectsMap map = java.util.Objects.requireNonNull(s.map());
        return new ObjectState(
                s.objectId(),
                s.siteTimeserials(),
                s.tombstone(),
                first ? s.createOp() : null,
                new ObjectsMap(map.semantics(), entries, map.clearTimeserial()),
                s.counterCount());
    }
}
