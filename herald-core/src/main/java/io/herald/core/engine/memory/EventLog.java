package io.herald.core.engine.memory;

/**
 * One channel's history as bytes: every event's msgpack frame back to back on pages of the engine's
 * {@link HistoryPages} (outside the heap), and its sequence number, expiry and place in primitive arrays beside it (a
 * ring, oldest first). A retained event is then no object of its own and nothing the collector copies: a young
 * collection has nothing of the history to trace or copy, however many events the last two minutes hold. Events are
 * decoded again when a resume, rewind or history query reads them.
 *
 * <p>The frames form one stream of bytes: an event's place is its position in that stream (kept as an {@code int}
 * that wraps; a log never spans more than 2 GiB), the pages hold the stream from the page of the oldest event's first
 * byte to the page of the newest event's last byte, and a page goes back to the pool once no event is on it.
 *
 * <p>Not thread-safe: the channel's lock guards it.
 */
final class EventLog {
    /** What one event costs besides its frame: its sequence number, expiry, position and length. */
    static final int INDEX_BYTES = 8 + 8 + 4 + 4;

    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];
    /** An emptied log gives its index arrays back when they are longer than this. */
    private static final int KEEP_EVENTS = 1024;

    private static final long MAX_SPAN = Integer.MAX_VALUE - 16;

    private final HistoryPages pool;
    /** The pages, a ring: {@code pageCount} of them from slot {@code pageFirst}. */
    private int[] pages = NO_INTS;

    private int pageFirst;
    private int pageCount;
    /** Stream position of the first page's first byte, and after the last byte written. */
    private long base;

    private long end;
    private long[] seqs = NO_LONGS;
    private long[] expires = NO_LONGS;
    /** Each event's stream position, truncated to an int (see {@link #position}). */
    private int[] offsets = NO_INTS;

    private int[] lengths = NO_INTS;
    private int first; // ring slot of the oldest event
    private int size;

    EventLog(HistoryPages pool) {
        this(pool, 0);
    }

    /** A log whose stream starts at {@code position} (a multiple of the page size): tests of positions past 2^32. */
    EventLog(HistoryPages pool, long position) {
        if (position % HistoryPages.PAGE != 0 || position < 0) {
            throw new IllegalArgumentException("a log starts at a page boundary");
        }
        this.pool = pool;
        this.base = position;
        this.end = position;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The sequence number of the {@code i}th event, oldest first. */
    long seq(int i) {
        return seqs[slot(i)];
    }

    long firstSeq() {
        return seqs[first];
    }

    long firstExpiresAt() {
        return expires[first];
    }

    /** Pages this log holds. */
    int pages() {
        return pageCount;
    }

    /** A copy of the {@code i}th event's frame, oldest first. */
    byte[] frame(int i) {
        int s = slot(i);
        byte[] out = new byte[lengths[s]];
        long at = position(offsets[s]) - base;
        int done = 0;
        while (done < out.length) {
            int page = pages[pageSlot((int) (at >>> HistoryPages.PAGE_SHIFT))];
            int in = (int) (at & (HistoryPages.PAGE - 1));
            int n = Math.min(out.length - done, HistoryPages.PAGE - in);
            pool.read(page, in, out, done, n);
            done += n;
            at += n;
        }
        return out;
    }

    /** Appends an event after the others; returns what it counts toward the history budget. */
    long append(long seq, long expiresAt, byte[] frame) {
        int len = frame.length;
        long start = size == 0 ? end : position(offsets[first]);
        if (end + len - start > MAX_SPAN) {
            throw new IllegalStateException("a channel's history cannot hold " + (end + len - start) + " bytes");
        }
        if (size == seqs.length) {
            growIndex();
        }
        int s = slot(size);
        seqs[s] = seq;
        expires[s] = expiresAt;
        offsets[s] = (int) end;
        lengths[s] = len;
        int done = 0;
        while (done < len) {
            long at = end - base;
            int k = (int) (at >>> HistoryPages.PAGE_SHIFT);
            if (k == pageCount) {
                addPage();
            }
            int in = (int) (at & (HistoryPages.PAGE - 1));
            int n = Math.min(len - done, HistoryPages.PAGE - in);
            pool.write(pages[pageSlot(k)], in, frame, done, n);
            done += n;
            end += n;
        }
        size++;
        return (long) len + INDEX_BYTES;
    }

    /** Drops the oldest event; returns what it counted toward the history budget. */
    long removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("the log is empty");
        }
        int len = lengths[first];
        first = (first + 1) % seqs.length;
        size--;
        if (size == 0) {
            while (pageCount > 0) {
                dropFirstPage();
            }
            first = 0;
            end = 0;
            base = 0;
            pageFirst = 0;
            if (seqs.length > KEEP_EVENTS) {
                seqs = NO_LONGS;
                expires = NO_LONGS;
                offsets = NO_INTS;
                lengths = NO_INTS;
                pages = NO_INTS;
            }
        } else {
            long start = position(offsets[first]);
            while (pageCount > 0 && base + HistoryPages.PAGE <= start) {
                dropFirstPage();
            }
        }
        return (long) len + INDEX_BYTES;
    }

    /** The stream position an event's truncated offset stands for: the live span is under 2 GiB, so it is unique. */
    private long position(int offset) {
        return end - (((int) end - offset) & 0xffffffffL);
    }

    private int slot(int i) {
        int s = first + i;
        return s >= seqs.length ? s - seqs.length : s;
    }

    private int pageSlot(int k) {
        int s = pageFirst + k;
        return s >= pages.length ? s - pages.length : s;
    }

    private void addPage() {
        if (pageCount == pages.length) {
            int[] grown = new int[Math.max(4, pages.length * 2)];
            for (int k = 0; k < pageCount; k++) {
                grown[k] = pages[pageSlot(k)];
            }
            pages = grown;
            pageFirst = 0;
        }
        pages[pageSlot(pageCount)] = pool.take();
        pageCount++;
    }

    private void dropFirstPage() {
        pool.give(pages[pageFirst]);
        pageFirst = pageFirst + 1 == pages.length ? 0 : pageFirst + 1;
        pageCount--;
        base += HistoryPages.PAGE;
    }

    private void growIndex() {
        int cap = Math.max(8, seqs.length * 2);
        long[] s = new long[cap];
        long[] x = new long[cap];
        int[] o = new int[cap];
        int[] l = new int[cap];
        for (int i = 0; i < size; i++) {
            int from = slot(i);
            s[i] = seqs[from];
            x[i] = expires[from];
            o[i] = offsets[from];
            l[i] = lengths[from];
        }
        seqs = s;
        expires = x;
        offsets = o;
        lengths = l;
        first = 0;
    }
}
