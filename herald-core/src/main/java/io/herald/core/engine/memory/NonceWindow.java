package io.herald.core.engine.memory;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The nonces of recent TokenRequests, compact: each (keyName, nonce) is kept as a seeded 64-bit hash in a primitive
 * open-addressing set, one set per 30-second bucket of its expiry, and whole buckets are dropped when they expire, so
 * memory is about 16 bytes per nonce and nothing is scanned. A false "replayed" needs a 64-bit collision within the
 * window (about 1 in 10^8 with a million live nonces).
 */
final class NonceWindow {
    private static final long BUCKET_MILLIS = 30_000;

    private final long seed = ThreadLocalRandom.current().nextLong();
    private final TreeMap<Long, LongSet> buckets = new TreeMap<>();
    private final int maxEntries;
    private int size;

    NonceWindow(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Outcome of a claim. */
    enum Claim {
        FIRST,
        REPLAYED,
        FULL
    }

    synchronized Claim claim(String keyName, String nonce, long forgetAfter, long now) {
        expire(now);
        long h = hash(keyName, nonce);
        for (LongSet s : buckets.values()) {
            if (s.contains(h)) {
                return Claim.REPLAYED;
            }
        }
        if (size >= maxEntries) {
            return Claim.FULL;
        }
        buckets.computeIfAbsent(Math.max(forgetAfter, now) / BUCKET_MILLIS + 1, b -> new LongSet())
                .add(h);
        size++;
        return Claim.FIRST;
    }

    synchronized void expire(long now) {
        for (Iterator<Map.Entry<Long, LongSet>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, LongSet> e = it.next();
            if (e.getKey() * BUCKET_MILLIS > now) {
                break;
            }
            size -= e.getValue().size;
            it.remove();
        }
    }

    synchronized int size() {
        return size;
    }

    private long hash(String keyName, String nonce) {
        long h = seed ^ 0xcbf29ce484222325L;
        h = mixIn(h, keyName);
        h = (h ^ '\n') * 0x100000001b3L;
        h = mixIn(h, nonce);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private static long mixIn(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** A set of non-zero longs: open addressing, linear probing, kept at most half full. */
    private static final class LongSet {
        long[] slots = new long[64];
        int size;

        boolean contains(long v) {
            int mask = slots.length - 1;
            for (int i = (int) (v ^ (v >>> 32)) & mask; ; i = (i + 1) & mask) {
                long s = slots[i];
                if (s == 0) {
                    return false;
                }
                if (s == v) {
                    return true;
                }
            }
        }

        void add(long v) {
            if ((size + 1) * 2 > slots.length) {
                long[] old = slots;
                slots = new long[old.length * 2];
                size = 0;
                for (long o : old) {
                    if (o != 0) {
                        insert(o);
                    }
                }
            }
            insert(v);
        }

        private void insert(long v) {
            int mask = slots.length - 1;
            for (int i = (int) (v ^ (v >>> 32)) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == 0) {
                    slots[i] = v;
                    size++;
                    return;
                }
                if (slots[i] == v) {
                    return;
                }
            }
        }

        @Override
        public String toString() {
            return "LongSet" + Arrays.toString(Arrays.copyOf(slots, Math.min(4, slots.length)));
        }
    }
}
