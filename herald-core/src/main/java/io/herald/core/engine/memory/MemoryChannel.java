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
    private record Entry(ChannelEvent event, long expiresAt, long bytes) {}

    final ChannelId id;
    /** A fresh epoch per channel life: a channel dropped while idle and created again never reuses serials. */
    final String epoch = Ids.alphanumeric(8);

    private long seq;
    private final ArrayDeque<Entry> log = new ArrayDeque<>();
    private final PresenceFold members = new PresenceFold();
    private final HashMap<String, Long> recentIds = new HashMap<>();
    private final ArrayDeque<Map.Entry<String, Long>> recentIdOrder = new ArrayDeque<>();
    boolean subscribed;
    /** The channel's LiveObjects, made on first use. */
    private io.herald.core.objects.@org.jspecify.annotations.Nullable ObjectsState objects;

    /** The engine's count of bytes held in every channel's log, kept in step with this log. */
    private final LongAdder retained;

    MemoryChannel(ChannelId id, LongAdder retained) {
        this.id = id;
        this.retained = retained;
    }

    /** What an event keeps alive in the log ({@link ChannelEvent#retainedBytes()}). */
    static long estimateBytes(ChannelEvent event) {
        return event.retainedBytes();
    }

    private void removeFirst() {
        retained.add(-log.removeFirst().bytes);
    }

    /**
     * Drops this channel's oldest events while the engine holds more than {@code budget} bytes, keeping the newest
     * one. Returns how many were dropped.
     */
    int evictOverBudget(long budget) {
        int dropped = 0;
        while (log.size() > 1 && retained.sum() > budget) {
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
        long bytes = estimateBytes(event);
        log.addLast(new Entry(event, expiresAt, bytes));
        retained.add(bytes);
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
        while (!log.isEmpty() && log.peekFirst().expiresAt <= now) {
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
        if (missed > max || log.isEmpty() || log.peekFirst().event.seq() > after.seq() + 1) {
            return new Replay(false, List.of(), position());
        }
        List<ChannelEvent> events = new ArrayList<>();
        for (Entry e : log) {
            if (e.event.seq() > after.seq()) {
                events.add(e.event);
            }
        }
        return new Replay(true, events, position());
    }

    Replay lastEvents(int count, long sinceMillis) {
        return new Replay(true, LogScan.lastMessages(events(log.descendingIterator()), count, sinceMillis), position());
    }

    HistoryPage query(HistoryQuery q) {
        return HistoryPager.page(events(q.forwards() ? log.iterator() : log.descendingIterator()), epoch, q);
    }

    private static Iterator<ChannelEvent> events(Iterator<Entry> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public ChannelEvent next() {
                return entries.next().event;
            }
        };
    }
}
