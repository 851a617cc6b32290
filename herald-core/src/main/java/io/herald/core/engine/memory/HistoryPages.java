package io.herald.core.engine.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The memory the in-memory engine's history is written into: fixed-size pages cut from 1 MiB slabs outside the Java
 * heap, shared by every channel's {@link EventLog} (its frames and its index) and handed back when the events on them
 * are dropped.
 *
 * <p>Why outside the heap: a history kept in heap arrays had each array copied by the young collection that found it
 * new, and the arrays of a growing history are new all the time (a log that fills its array moves to one twice the
 * size). Under a steady publish rate that was most of what each young collection copied (80% of the bytes promoted,
 * 50-100 MB per collection at 8,000 messages/s over 5,000 channels), and so most of its pause. Pages here are written
 * with a copy and read with a copy, and the collector never sees them; a page given back is taken again by the next
 * channel that needs one, so a history of steady size allocates nothing. The same held for the index beside the frames
 * once they had moved here: its heap arrays (24 bytes an event, doubling as a history grew) were then most of what a
 * young collection still copied (long[] and int[] +20 MB of live heap in 23 s while the histories of 5,000 channels
 * filled up), so its entries are on pages too.
 *
 * <p>Slabs are direct buffers while the JVM's direct memory limit ({@code -XX:MaxDirectMemorySize}, by default the
 * maximum heap) allows, heap buffers after that. They are kept once made: the pool holds the history's high-water
 * mark. Thread-safe: the free list is guarded by this object; a page is written and read only by the channel holding
 * it, under that channel's lock.
 */
final class HistoryPages {
    /** Bytes per page: what a channel with any history holds at least, so small for many quiet channels. */
    static final int PAGE = 1024;

    static final int PAGE_SHIFT = 10;
    private static final int SLAB_SHIFT = 10;
    private static final int PAGES_PER_SLAB = 1 << SLAB_SHIFT;
    private static final int SLAB_BYTES = PAGES_PER_SLAB * PAGE;
    /** Page ids are ints: at most 2^31 pages of 1 KiB, far beyond any history budget. */
    private static final int MAX_SLABS = Integer.MAX_VALUE / PAGES_PER_SLAB;

    /** Replaced (never changed in place) when a slab is added, so readers need no lock to find a page's slab. */
    private volatile ByteBuffer[] slabs = new ByteBuffer[0];

    private int[] free = new int[0];
    private int freeCount;
    private boolean directRefused;

    /** Takes a free page, adding a slab when none is left. */
    synchronized int take() {
        if (freeCount == 0) {
            addSlab();
        }
        return free[--freeCount];
    }

    /** Gives a page back. */
    synchronized void give(int page) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, Math.max(PAGES_PER_SLAB, free.length * 2));
        }
        free[freeCount++] = page;
    }

    /** Bytes of the slabs made so far (taken and free pages). */
    synchronized long heldBytes() {
        return (long) slabs.length * SLAB_BYTES;
    }

    /** Free pages. */
    synchronized int freePages() {
        return freeCount;
    }

    /** Copies {@code len} bytes of {@code src} into {@code page} at {@code at}; they must fit in the page. */
    void write(int page, int at, byte[] src, int off, int len) {
        slab(page).put(offset(page, at), src, off, len);
    }

    /** Copies {@code len} bytes of {@code page} from {@code at} into {@code dst}; they must lie in the page. */
    void read(int page, int at, byte[] dst, int off, int len) {
        slab(page).get(offset(page, at), dst, off, len);
    }

    /** The number at byte {@code at} of {@code page}. */
    long getLong(int page, int at) {
        return slab(page).getLong(offset(page, at));
    }

    void putLong(int page, int at, long v) {
        slab(page).putLong(offset(page, at), v);
    }

    int getInt(int page, int at) {
        return slab(page).getInt(offset(page, at));
    }

    void putInt(int page, int at, int v) {
        slab(page).putInt(offset(page, at), v);
    }

    private ByteBuffer slab(int page) {
        return slabs[page >>> SLAB_SHIFT];
    }

    /** Where byte {@code at} of {@code page} is in its slab. */
    private static int offset(int page, int at) {
        return ((page & (PAGES_PER_SLAB - 1)) << PAGE_SHIFT) + at;
    }

    private void addSlab() {
        ByteBuffer[] now = slabs;
        if (now.length == MAX_SLABS) {
            throw new IllegalStateException("the history's page pool is full");
        }
        ByteBuffer slab = null;
        if (!directRefused) {
            try {
                slab = ByteBuffer.allocateDirect(SLAB_BYTES);
            } catch (OutOfMemoryError e) {
                // the JVM's direct memory limit: later slabs go on the heap, where the history budget still bounds them
                directRefused = true;
            }
        }
        if (slab == null) {
            slab = ByteBuffer.allocate(SLAB_BYTES);
        }
        slab.order(ByteOrder.nativeOrder()); // for the index entries' numbers; frames are bytes

        int first = now.length * PAGES_PER_SLAB;
        ByteBuffer[] grown = Arrays.copyOf(now, now.length + 1);
        grown[now.length] = slab;
        if (free.length < freeCount + PAGES_PER_SLAB) {
            free = Arrays.copyOf(free, Math.max(freeCount + PAGES_PER_SLAB, free.length * 2));
        }
        // pushed highest first so the slab's pages are taken in order
        for (int p = PAGES_PER_SLAB - 1; p >= 0; p--) {
            free[freeCount++] = first + p;
        }
        slabs = grown;
    }
}
