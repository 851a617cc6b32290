package io.herald.core.engine.memory;

/**
 * One channel's history as bytes outside the heap: every event's msgpack frame back to back on pages of the engine's
 * {@link HistoryPages}, and beside them, on pages of the same pool, an index of fixed-size entries (sequence number,
 * expiry, place and length of the frame), oldest first. A retained event is then no object and no array slot of its
 * own: a young collection has nothing of the history to trace or copy, however many events the last two minutes hold
 * and however fast they grow. What stays on the heap is two rings of page numbers, one int per 1 KiB page. Events are
 * decoded again when a resume, rewind or history query reads them.
 *
 * <p>The frames form one stream of bytes: an event's place is its position in that stream (kept as an {@code int}
 * that wraps; a log never spans more than 2 GiB), the pages hold the stream from the page of the oldest event's first
 * byte to the page of the newest event's last byte, and a page goes back to the pool once no event is on it. The index
 * is a second stream of {@link #ENTRIES_PER_PAGE} entries per page, its first page given back once its last entry is
 * dropped.
 *
 * <p>Not thread-safe: the channel's lock guards it.
 */
final class EventLog {
    /** What one event costs besides its frame: its index entry (sequence number, expiry, position and length). */
    static final int INDEX_BYTES = 8 + 8 + 4 + 4;

    /** Index entries on one page. */
    static final int ENTRIES_PER_PAGE = HistoryPages.PAGE / INDEX_BYTES;

    private static final int SEQ = 0;
    private static final int EXPIRES = 8;
    private static final int OFFSET = 16;
    private static final int LENGTH = 20;

    private static final long MAX_SPAN = Integer.MAX_VALUE - 16;

    private final HistoryPages pool;
    private final PageRing frames = new PageRing();
    private final PageRing index = new PageRing();

    /** Stream position of the first frame page's first byte, and after the last byte written. */
    private long base;

    private long end;
    /** Where on the first index page the oldest event's entry is (an entry number, under a page's count). */
    private int entryFirst;

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
        return longAt(i, SEQ);
    }

    long firstSeq() {
        return seq(0);
    }

    long firstExpiresAt() {
        return longAt(0, EXPIRES);
    }

    /** Pages of frames this log holds. */
    int pages() {
        return frames.count();
    }

    /** Pages of index this log holds. */
    int indexPages() {
        return index.count();
    }

    /** A copy of the {@code i}th event's frame, oldest first. */
    byte[] frame(int i) {
        byte[] out = new byte[intAt(i, LENGTH)];
        long at = position(intAt(i, OFFSET)) - base;
        int done = 0;
        while (done < out.length) {
            int page = frames.get((int) (at >>> HistoryPages.PAGE_SHIFT));
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
        long start = size == 0 ? end : firstPosition();
        if (end + len - start > MAX_SPAN) {
            throw new IllegalStateException("a channel's history cannot hold " + (end + len - start) + " bytes");
        }
        int e = entryFirst + size;
        if (e / ENTRIES_PER_PAGE == index.count()) {
            index.add(pool.take());
        }
        int entryPage = index.get(e / ENTRIES_PER_PAGE);
        int entryAt = e % ENTRIES_PER_PAGE * INDEX_BYTES;
        pool.putLong(entryPage, entryAt + SEQ, seq);
        pool.putLong(entryPage, entryAt + EXPIRES, expiresAt);
        pool.putInt(entryPage, entryAt + OFFSET, (int) end);
        pool.putInt(entryPage, entryAt + LENGTH, len);
        int done = 0;
        while (done < len) {
            long at = end - base;
            int k = (int) (at >>> HistoryPages.PAGE_SHIFT);
            if (k == frames.count()) {
                frames.add(pool.take());
            }
            int in = (int) (at & (HistoryPages.PAGE - 1));
            int n = Math.min(len - done, HistoryPages.PAGE - in);
            pool.write(frames.get(k), in, frame, done, n);
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
        int len = intAt(0, LENGTH);
        size--;
        entryFirst++;
        if (entryFirst == ENTRIES_PER_PAGE) {
            pool.give(index.removeFirst());
            entryFirst = 0;
        }
        if (size == 0) {
            frames.clear(pool);
            index.clear(pool);
            entryFirst = 0;
            end = 0;
            base = 0;
        } else {
            long start = firstPosition();
            while (frames.count() > 0 && base + HistoryPages.PAGE <= start) {
                pool.give(frames.removeFirst());
                base += HistoryPages.PAGE;
            }
        }
        return (long) len + INDEX_BYTES;
    }

    /** The long {@code field} of the {@code i}th event's index entry. */
    private long longAt(int i, int field) {
        int e = entryFirst + i;
        return pool.getLong(index.get(e / ENTRIES_PER_PAGE), e % ENTRIES_PER_PAGE * INDEX_BYTES + field);
    }

    /** The int {@code field} of the {@code i}th event's index entry. */
    private int intAt(int i, int field) {
        int e = entryFirst + i;
        return pool.getInt(index.get(e / ENTRIES_PER_PAGE), e % ENTRIES_PER_PAGE * INDEX_BYTES + field);
    }

    private long firstPosition() {
        return position(intAt(0, OFFSET));
    }

    /** The stream position an event's truncated offset stands for: the live span is under 2 GiB, so it is unique. */
    private long position(int offset) {
        return end - (((int) end - offset) & 0xffffffffL);
    }
}
