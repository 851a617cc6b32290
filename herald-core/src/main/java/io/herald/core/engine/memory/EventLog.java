package io.herald.core.engine.memory;

import java.util.Arrays;

/**
 * One channel's history as bytes: every event's msgpack frame back to back in one byte array, and its sequence
 * number, expiry and place in primitive arrays beside it (a ring, oldest first). A retained event is then no object of
 * its own: a young collection has nothing of the history to trace or copy, however many events the last two minutes
 * hold, where an event kept as objects (message, strings, frames) was traced and copied by every young collection
 * while the history grew. Events are decoded again when a resume, rewind or history query reads them.
 *
 * <p>Not thread-safe: the channel's lock guards it.
 */
final class EventLog {
    /** What one event costs besides its frame: its sequence number, expiry, offset and length. */
    static final int INDEX_BYTES = 8 + 8 + 4 + 4;

    private static final byte[] NO_BYTES = new byte[0];
    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];
    private static final int MIN_BYTES = 1024;
    /** An emptied log gives its array back when it is larger than this. */
    private static final int KEEP_BYTES = 64 * 1024;

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private byte[] data = NO_BYTES;
    private int start; // the first live byte
    private int end; // after the last byte written
    private long[] seqs = NO_LONGS;
    private long[] expires = NO_LONGS;
    private int[] offsets = NO_INTS;
    private int[] lengths = NO_INTS;
    private int first; // ring slot of the oldest event
    private int size;

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

    /** A copy of the {@code i}th event's frame, oldest first. */
    byte[] frame(int i) {
        int s = slot(i);
        return Arrays.copyOfRange(data, offsets[s], offsets[s] + lengths[s]);
    }

    /** Appends an event after the others; returns what it counts toward the history budget. */
    long append(long seq, long expiresAt, byte[] frame) {
        int len = frame.length;
        if ((long) end + len > data.length) {
            makeRoom(len);
        }
        if (size == seqs.length) {
            growIndex();
        }
        int s = slot(size);
        seqs[s] = seq;
        expires[s] = expiresAt;
        offsets[s] = end;
        lengths[s] = len;
        System.arraycopy(frame, 0, data, end, len);
        end += len;
        size++;
        return (long) len + INDEX_BYTES;
    }

    /** Drops the oldest event; returns what it counted toward the history budget. */
    long removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("the log is empty");
        }
        int len = lengths[first];
        start = offsets[first] + len;
        first = (first + 1) % seqs.length;
        size--;
        if (size == 0) {
            start = 0;
            end = 0;
            first = 0;
            if (data.length > KEEP_BYTES) {
                data = NO_BYTES;
                seqs = NO_LONGS;
                expires = NO_LONGS;
                offsets = NO_INTS;
                lengths = NO_INTS;
            }
        }
        return (long) len + INDEX_BYTES;
    }

    private int slot(int i) {
        int s = first + i;
        return s >= seqs.length ? s - seqs.length : s;
    }

    /** Makes room for {@code len} more bytes: moves the live bytes to the front, or into a larger or smaller array. */
    private void makeRoom(int len) {
        int live = end - start;
        long needed = (long) live + len;
        if (needed > MAX_ARRAY) {
            throw new IllegalStateException("a channel's history cannot hold " + needed + " bytes");
        }
        long wanted = Math.min(MAX_ARRAY, Math.max(MIN_BYTES, needed * 2));
        byte[] to = needed <= data.length / 2 && data.length <= 4 * wanted ? data : new byte[(int) wanted];
        System.arraycopy(data, start, to, 0, live);
        for (int i = 0; i < size; i++) {
            offsets[slot(i)] -= start;
        }
        data = to;
        end = live;
        start = 0;
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
