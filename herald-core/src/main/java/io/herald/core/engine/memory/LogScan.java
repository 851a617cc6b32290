package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads of one channel's log that do not depend on where the log is kept: a history page and the last messages for
 * {@code rewind}. The memory engine walks its in-memory log with them, a disk-backed engine its stored one; the log
 * only has to be walked in order (oldest or newest first) with expired events already left out.
 */
public final class LogScan {
    private LogScan() {
    }

    /**
     * A history page from events in the query's direction ({@code forwards}: oldest first, else newest first).
     *
     * @param epoch the log's epoch: {@link HistoryQuery#until()} applies only to serials of this epoch
     */
    public static HistoryPage page(Iterator<ChannelEvent> events, String epoch, HistoryQuery q) {
        int wanted = q.kind() == HistoryQuery.Kind.MESSAGES ? Action.MESSAGE : Action.PRESENCE;
        List<HistoryItem> items = new ArrayList<>();
        boolean more = false;
        outer:
        while (events.hasNext()) {
            ChannelEvent event = events.next();
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

    /**
     * The last {@code count} MESSAGE events (all when {@code count <= 0}), none older than {@code sinceMillis} when
     * that is positive, oldest first, from events given newest first.
     */
    public static List<ChannelEvent> lastMessages(Iterator<ChannelEvent> newestFirst, int count, long sinceMillis) {
        List<ChannelEvent> events = new ArrayList<>();
        while (newestFirst.hasNext() && (count <= 0 || events.size() < count)) {
            ChannelEvent e = newestFirst.next();
            if (e.action() != Action.MESSAGE) {
                continue;
            }
            if (sinceMillis > 0 && e.message().timestamp != null && e.message().timestamp < sinceMillis) {
                break;
            }
            events.add(e);
        }
        Collections.reverse(events);
        return events;
    }

    private static boolean after(HistoryQuery.Cursor c, HistoryQuery.Cursor ref, boolean forwards) {
        int cmp = c.seq() != ref.seq() ? Long.compare(c.seq(), ref.seq()) : Integer.compare(c.index(), ref.index());
        return forwards ? cmp > 0 : cmp < 0;
    }
}
