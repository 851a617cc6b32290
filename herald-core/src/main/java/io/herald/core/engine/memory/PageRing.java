package io.herald.core.engine.memory;

/**
 * The pages of one stream in an {@link EventLog}, in stream order: a ring of page numbers of the engine's
 * {@link HistoryPages}, added at the end and dropped from the front. Not thread-safe: the channel's lock guards it.
 */
final class PageRing {
    private static final int[] NONE = new int[0];
    /** An emptied ring gives its array back when it is longer than this. */
    private static final int KEEP = 64;

    private int[] ids = NONE;
    private int first;
    private int count;

    int count() {
        return count;
    }

    /** The {@code k}th page, front first. */
    int get(int k) {
        int s = first + k;
        return ids[s >= ids.length ? s - ids.length : s];
    }

    void add(int page) {
        if (count == ids.length) {
            int[] grown = new int[Math.max(4, ids.length * 2)];
            for (int k = 0; k < count; k++) {
                grown[k] = get(k);
            }
            ids = grown;
            first = 0;
        }
        int s = first + count;
        ids[s >= ids.length ? s - ids.length : s] = page;
        count++;
    }

    /** Removes the front page and returns it. */
    int removeFirst() {
        int page = ids[first];
        first = first + 1 == ids.length ? 0 : first + 1;
        count--;
        return page;
    }

    /** Gives every page back to {@code pool}. */
    void clear(HistoryPages pool) {
        while (count > 0) {
            pool.give(removeFirst());
        }
        first = 0;
        if (ids.length > KEEP) {
            ids = NONE;
        }
    }
}
