package io.herald.core.engine.memory;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nonces of recent TokenRequests, compact: each (keyName, nonce) is kept as a seeded 64-bit hash in a primitive
 * open-addressing set, one set per 30-second bucket of its expiry, and whole buckets are dropped when they expire, so
 * memory is about 16 bytes per nonce and nothing is scanned. A false "replayed" needs a 64-bit collision within the
 * window (about 1 in 10^8 with a million live nonces).
 */
final class NonceWindow {
    private static final long BUCKET_MILLIS = 30_000;
    /**
     * Independent parts, chosen by the hash's top bits: every event loop claims nonces, and one lock for all of them
     * was where requestToken threads queued (a holder descheduled on a busy machine held up every other loop).
     */
    private static final int STRIPES = 64;

    private final long seed = ThreadLocalRandom.current().nextLong();
    private final Stripe[] stripes = new Stripe[STRIPES];
    private final int maxEntries;
    /** Nonces held over all stripes, bounded by {@link #maxEntries}. */
    private final AtomicInteger size = new AtomicInteger();

    NonceWindow(int maxEntries) {
        this.maxEntries = maxEntries;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Outcome of a claim. */
    enum Claim {
        FIRST,
        REPLAYED,
        FULL
    }

    Claim claim(String keyName, String nonce, long forgetAfter, long now) {
        long h = hash(keyName, nonce);
        Stripe stripe = stripes[(int) (h >>> 58) & (STRIPES - 1)];
        Claim c = stripe.claim(h, forgetAfter, now);
        if (c == Claim.FULL) {
            // other stripes may hold expired buckets not dropped yet: drop them, then try once more
            expire(now);
            c = stripe.claim(h, forgetAfter, now);
        }
        return c;
    }

    void expire(long now) {
        for (Stripe s : stripes) {
            s.expire(now);
        }
    }

    /** Nonces held, including expired ones a part has not dropped yet ({@link #expire} drops them all). */
    int size() {
        return size.get();
    }

    /** One part of the window: its buckets by expiry, each a set of hashes. */
    private final class Stripe {
        private final TreeMap<Long, LongSet> buckets = new TreeMap<>();

        synchronized Claim claim(long h, long forgetAfter, long now) {
            expire(now);
            for (LongSet s : buckets.values()) {
                if (s.contains(h)) {
                    return Claim.REPLAYED;
                }
            }
            if (!reserve()) {
                return Claim.FULL;
            }
            buckets.computeIfAbsent(Math.max(forgetAfter, now) / BUCKET_MILLIS + 1, b -> new LongSet())
                    .add(h);
            return Claim.FIRST;
        }

        synchronized void expire(long now) {
            for (Iterator<Map.Entry<Long, LongSet>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, LongSet> e = it.next();
                if (e.getKey() * BUCKET_MILLIS > now) {
                    break;
                }
                size.addAndGet(-e.getValue().size);
                it.remove();
            }
        }
    }

    /** Counts one more nonce unless the window is full. */
    private boolean reserve() {
        while (true) {
            int n = size.get();
            if (n >= maxEntries) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                return true;
            }
        }
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
