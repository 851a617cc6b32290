package io.herald.disk;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryPager;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.Replay;
import io.herald.core.engine.memory.LogScan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * Reads a disk channel's stored log: history pages, the replay of missed events and {@code rewind}, with the same
 * rules as the memory engine ({@link HistoryPager}, {@link LogScan}). Expired events are skipped: compaction removes
 * them some time later.
 */
final class DiskHistory {
    private final DiskStore store;

    DiskHistory(DiskStore store) {
        this.store = store;
    }

    /** What a reader needs of a channel, taken under its lock. */
    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed; key is the channel's key prefix
    record View(ChannelId id, byte[] key, String epoch, long epochStart, ChannelSerial position) {}

    HistoryPage query(View ch, HistoryQuery q, long now) {
        long hi = ch.position().seq();
        long lo = 1;
        if (q.cursor() != null) {
            if (q.forwards()) {
                lo = Math.max(lo, q.cursor().seq());
            } else {
                hi = Math.min(hi, q.cursor().seq());
            }
        }
        try (Scan scan = new Scan(ch, lo, hi, q.forwards(), now)) {
            return HistoryPager.page(scan, ch.epoch(), q);
        }
    }

    Replay since(View ch, ChannelSerial after, int max, long now) {
        ChannelSerial pos = ch.position();
        if (!after.epoch().equals(ch.epoch()) || after.seq() > pos.seq() || after.seq() < ch.epochStart()) {
            return new Replay(false, List.of(), pos);
        }
        if (after.seq() == pos.seq()) {
            return new Replay(true, List.of(), pos);
        }
        if (pos.seq() - after.seq() > max) {
            return new Replay(false, List.of(), pos);
        }
        List<ChannelEvent> events = new ArrayList<>();
        long expected = after.seq() + 1;
        try (Scan scan = new Scan(ch, expected, pos.seq(), true, now)) {
            while (scan.hasNext()) {
                ChannelEvent e = scan.next();
                if (e.seq() != expected || scan.skippedExpired) {
                    return new Replay(false, List.of(), pos);
                }
                events.add(e);
                expected++;
            }
            if (expected != pos.seq() + 1 || scan.skippedExpired) {
                return new Replay(false, List.of(), pos);
            }
        }
        return new Replay(true, events, pos);
    }

    Replay rewind(View ch, int count, long sinceMillis, long now) {
        try (Scan scan = new Scan(ch, 1, ch.position().seq(), false, now)) {
            return new Replay(true, LogScan.lastMessages(scan, count, sinceMillis), ch.position());
        }
    }

    /** The unexpired events of a channel with seq in [lo, hi], in one direction, decoded as they are read. */
    private final class Scan implements Iterator<ChannelEvent>, AutoCloseable {
        private final ReadOptions read = new ReadOptions();
        private final RocksIterator it;
        private final View ch;
        private final long lo;
        private final long hi;
        private final boolean forwards;
        private final long now;
        private @Nullable ChannelEvent next;
        boolean skippedExpired;

        Scan(View ch, long lo, long hi, boolean forwards, long now) {
            this.ch = ch;
            this.lo = lo;
            this.hi = hi;
            this.forwards = forwards;
            this.now = now;
            this.it = store.db.newIterator(store.events, read);
            if (forwards) {
                it.seek(Layout.eventKey(ch.key(), lo));
            } else {
                it.seekForPrev(Layout.eventKey(ch.key(), hi));
            }
            advance();
        }

        private void advance() {
            next = null;
            while (it.isValid()) {
                byte[] k = it.key();
                if (!Layout.isEventOf(k, ch.key())) {
                    return;
                }
                long seq = Layout.seqOf(k);
                if (seq < lo || seq > hi) {
                    return;
                }
                byte[] v = it.value();
                if (forwards) {
                    it.next();
                } else {
                    it.prev();
                }
                if (Layout.expiryOf(v) <= now) {
                    skippedExpired = true;
                    continue;
                }
                next = Layout.eventOf(ch.id(), v);
                return;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public ChannelEvent next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            ChannelEvent e = next;
            advance();
            return e;
        }

        @Override
        public void close() {
            it.close();
            read.close();
        }
    }
}
