package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.Replay;
import io.herald.core.internal.Ids;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One channel's state in memory. Every method must be called holding the channel's monitor.
 */
final class MemoryChannel {
    private record Entry(ChannelEvent event, long expiresAt, long bytes) {
    }

    final ChannelId id;
    /** A fresh epoch per channel life: a channel dropped while idle and created again never reuses serials. */
    final String epoch = Ids.alphanumeric(8);
    private long seq;
    private final ArrayDeque<Entry> log = new ArrayDeque<>();
    private final LinkedHashMap<String, PresenceMessage> members = new LinkedHashMap<>();
    private final HashMap<String, Long> recentIds = new HashMap<>();
    private final ArrayDeque<Map.Entry<String, Long>> recentIdOrder = new ArrayDeque<>();
    boolean subscribed;
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
        if (event.action() == Action.PRESENCE) {
            for (PresenceMessage p : event.message().presence) {
                if (p.action == PresenceMessage.LEAVE || p.action == PresenceMessage.ABSENT) {
                    members.remove(p.memberKey());
                } else {
                    PresenceMessage member = p.copy();
                    member.action = PresenceMessage.PRESENT;
                    members.put(p.memberKey(), member);
                }
            }
        }
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
        return !subscribed && log.isEmpty() && members.isEmpty() && recentIds.isEmpty();
    }

    PresenceSnapshot snapshot() {
        return new PresenceSnapshot(new ArrayList<>(members.values()), position());
    }

    int memberCount() {
        return members.size();
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
        List<ChannelEvent> events = new ArrayList<>();
        Iterator<Entry> it = log.descendingIterator();
        while (it.hasNext() && (count <= 0 || events.size() < count)) {
            Entry e = it.next();
            if (e.event.action() != Action.MESSAGE) {
                continue;
            }
            if (sinceMillis > 0 && e.event.message().timestamp != null && e.event.message().timestamp < sinceMillis) {
                break;
            }
            events.add(e.event);
        }
        Collections.reverse(events);
        return new Replay(true, events, position());
    }

    HistoryPage query(HistoryQuery q) {
        int wanted = q.kind() == HistoryQuery.Kind.MESSAGES ? Action.MESSAGE : Action.PRESENCE;
        List<HistoryItem> items = new ArrayList<>();
        Iterator<Entry> it = q.forwards() ? log.iterator() : log.descendingIterator();
        boolean more = false;
        outer:
        while (it.hasNext()) {
            ChannelEvent event = it.next().event;
            if (event.action() != wanted) {
                continue;
            }
            if (q.until() != null && q.until().epoch().equals(epoch) && event.seq() > q.until().seq()) {
                continue;
            }
            List<?> list = wanted == Action.MESSAGE ? event.message().messages : event.message().presence;
            int n = list.size();
            for (int k = 0; k < n; k++) {
                int i = q.forwards() ? k : n - 1 - k;
                HistoryQuery.Cursor cursor = new HistoryQuery.Cursor(event.seq(), i);
                if (q.cursor() != null && !after(cursor, q.cursor(), q.forwards())) {
                    continue;
                }
                Object item = list.get(i);
                Long ts = item instanceof Message m ? m.timestamp : ((PresenceMessage) item).timestamp;
                if (ts != null && q.start() != null && ts < q.start()) {
                    if (!q.forwards()) {
                        break outer;
                    }
                    continue;
                }
                if (ts != null && q.end() != null && ts > q.end()) {
                    if (q.forwards()) {
                        break outer;
                    }
                    continue;
                }
                if (items.size() == q.limit()) {
                    more = true;
                    break outer;
                }
                items.add(new HistoryItem(cursor, item));
            }
        }
        return new HistoryPage(items, more);
    }

    private static boolean after(HistoryQuery.Cursor c, HistoryQuery.Cursor ref, boolean forwards) {
        int cmp = c.seq() != ref.seq() ? Long.compare(c.seq(), ref.seq()) : Integer.compare(c.index(), ref.index());
        return forwards ? cmp > 0 : cmp < 0;
    }
}
