package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryPager;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.Replay;
import io.herald.core.internal.Ids;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One channel's state in memory. Every method must be called holding the channel's monitor.
 */
final class MemoryChannel {
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);

    final ChannelId id;
    /** A fresh epoch per channel life: a channel dropped while idle and created again never reuses serials. */
    final String epoch = Ids.alphanumeric(8);

    private long seq;
    private final EventLog log;
    private final PresenceFold members = new PresenceFold();
    private final HashMap<String, Long> recentIds = new HashMap<>();
    private final ArrayDeque<Map.Entry<String, Long>> recentIdOrder = new ArrayDeque<>();
    boolean subscribed;
    /** The channel's LiveObjects, made on first use. */
    private io.herald.core.objects.@org.jspecify.annotations.Nullable ObjectsState objects;

    /** The engine's count of bytes held in every channel's log, kept in step with this log. */
    private final LongAdder retained;

    MemoryChannel(ChannelId id, LongAdder retained, HistoryPages pages) {
        this.id = id;
        this.retained = retained;
        this.log = new EventLog(pages);
    }

    private void removeFirst() {
        retained.add(-log.removeFirst());
    }

    /**
     * Drops this channel's oldest events while the engine holds more than {@code target} bytes, keeping the newest
     * one. Returns how many were dropped.
     */
    int evictOverBudget(long target) {
        int dropped = 0;
        while (log.size() > 1 && retained.sum() > target) {
            removeFirst();
            dropped++;
        }
        return dropped;
    }

    ChannelSerial position() {
        return new ChannelSerial(epoch, seq);
    }

    ChannelSerial next() {
        return new ChannelSerial(epoch, ++seq);
    }

    void append(ChannelEvent event, long expiresAt, int maxEntries) {
        // the frame msgpack subscribers are sent (encoded once, kept by the live event for them): the log keeps a copy
        retained.add(log.append(event.seq(), expiresAt, event.encoded(Format.MSGPACK)));
        while (log.size() > maxEntries) {
            removeFirst();
        }
        members.apply(event);
    }

    /** Whether {@code messageId} was seen within the window; records it if not. */
    boolean seenRecently(String messageId, long now, long windowMillis, int maxIds) {
        Long until = recentIds.get(messageId);
        if (until != null && until > now) {
            return true;
        }
        long expiry = now + windowMillis;
        recentIds.put(messageId, expiry);
        recentIdOrder.addLast(Map.entry(messageId, expiry));
        while (recentIdOrder.size() > maxIds) {
            Map.Entry<String, Long> e = recentIdOrder.removeFirst();
            recentIds.remove(e.getKey(), e.getValue());
        }
        return false;
    }

    void trim(long now) {
        while (!log.isEmpty() && log.firstExpiresAt() <= now) {
            removeFirst();
        }
        while (!recentIdOrder.isEmpty() && recentIdOrder.peekFirst().getValue() <= now) {
            Map.Entry<String, Long> e = recentIdOrder.removeFirst();
            recentIds.remove(e.getKey(), e.getValue());
        }
    }

    boolean isIdle() {
        return !subscribed
                && log.isEmpty()
                && members.isEmpty()
                && recentIds.isEmpty()
                && (objects == null || objects.isEmpty());
    }

    /** The channel's objects, made (with only the root) on first use. */
    io.herald.core.objects.ObjectsState objects(io.herald.core.objects.ObjectsLimits limits) {
        io.herald.core.objects.ObjectsState o = objects;
        if (o == null) {
            o = new io.herald.core.objects.ObjectsState(limits);
            objects = o;
        }
        return o;
    }

    /** Drops the objects' tombstones past their grace period. */
    void collectObjects(long now) {
        if (objects != null) {
            objects.collect(now);
        }
    }

    PresenceSnapshot snapshot() {
        return members.snapshot(position());
    }

    Replay since(ChannelSerial after, int max) {
        if (!after.epoch().equals(epoch) || after.seq() > seq) {
            return new Replay(false, List.of(), position());
        }
        if (after.seq() == seq) {
            return new Replay(true, List.of(), position());
        }
        long missed = seq - after.seq();
        if (missed > max || log.isEmpty() || log.firstSeq() > after.seq() + 1) {
            return new Replay(false, List.of(), position());
        }
        List<ChannelEvent> events = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.seq(i) > after.seq()) {
                events.add(event(i));
            }
        }
        return new Replay(true, events, position());
    }

    Replay lastEvents(int count, long sinceMillis) {
        return new Replay(true, LogScan.lastMessages(events(false), count, sinceMillis), position());
    }

    HistoryPage query(HistoryQuery q) {
        return HistoryPager.page(events(q.forwards()), epoch, q);
    }

    /** The {@code i}th event of the log (oldest first), decoded from its frame. */
    private ChannelEvent event(int i) {
        return new ChannelEvent(id, new ChannelSerial(epoch, log.seq(i)), MSGPACK.decode(log.frame(i)));
    }

    /** The log's events, oldest or newest first, each decoded when the caller reaches it. */
    private Iterator<ChannelEvent> events(boolean forwards) {
        return new Iterator<>() {
            private int next = forwards ? 0 : log.size() - 1;

            @Override
            public boolean hasNext() {
                return forwards ? next < log.size() : next >= 0;
            }

            @Override
            public ChannelEvent next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                ChannelEvent e = event(next);
                next += forwards ? 1 : -1;
                return e;
            }
        };
    }
}
