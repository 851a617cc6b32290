package io.herald.core.engine;

import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Builds one history page (SPEC RSL2b) from a channel's log, whatever keeps the log: the rules of direction, kind,
 * {@code untilAttach}, the cursor of the next page, start/end and limit live here once. The log is fed in the
 * query's direction ({@code forwards}: oldest first, else newest first), expired events already left out; a feed that
 * arrives in chunks (the Redis engine's) calls {@link #offer} event by event, one that has an iterator calls
 * {@link #page}.
 */
public final class HistoryPager {
    private final HistoryQuery q;
    private final String epoch;
    private final int wanted;
    private final List<HistoryItem> items = new ArrayList<>();
    private boolean done;
    private boolean more;

    /**
     * @param epoch the log's epoch: {@link HistoryQuery#until()} applies only to serials of this epoch
     */
    public HistoryPager(HistoryQuery q, String epoch) {
        this.q = q;
        this.epoch = epoch;
        this.wanted = wantedAction(q);
    }

    /** A history page from all the events, in the query's direction. */
    public static HistoryPage page(Iterator<ChannelEvent> events, String epoch, HistoryQuery q) {
        HistoryPager pager = new HistoryPager(q, epoch);
        while (events.hasNext() && pager.offer(events.next())) {
            // offer takes the event
        }
        return pager.page();
    }

    /** The action of the events the query reads: MESSAGE or PRESENCE; others can be left out before decoding them. */
    public static int wantedAction(HistoryQuery q) {
        return q.kind() == HistoryQuery.Kind.MESSAGES ? Action.MESSAGE : Action.PRESENCE;
    }

    /** Takes the next event of the log; false once the page is complete (no later event can change it). */
    public boolean offer(ChannelEvent event) {
        if (done) {
            return false;
        }
        if (event.action() != wanted || (wanted == Action.MESSAGE && Versions.isOperationEvent(event))) {
            // an operation on a message shows as that message's latest version, where it was first published
            return true;
        }
        if (q.until() != null
                && q.until().epoch().equals(epoch)
                && event.seq() > q.until().seq()) {
            // forwards, every later event is past untilAttach too
            done = q.forwards();
            return !done;
        }
        List<?> list = wanted == Action.MESSAGE ? event.message().messages : event.message().presence;
        if (list == null) {
            return true;
        }
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
                    return finish(false);
                }
                continue;
            }
            if (ts != null && q.end() != null && ts > q.end()) {
                if (q.forwards()) {
                    return finish(false);
                }
                continue;
            }
            if (items.size() == q.limit()) {
                return finish(true);
            }
            items.add(new HistoryItem(cursor, item));
        }
        return true;
    }

    /** Ends the page: the log has nothing more (or nothing more the query can read). */
    public HistoryPage page() {
        return new HistoryPage(items, more);
    }

    private boolean finish(boolean hasMore) {
        done = true;
        more = hasMore;
        return false;
    }

    private static boolean after(HistoryQuery.Cursor c, HistoryQuery.Cursor ref, boolean forwards) {
        int cmp = c.seq() != ref.seq() ? Long.compare(c.seq(), ref.seq()) : Integer.compare(c.index(), ref.index());
        return forwards ? cmp > 0 : cmp < 0;
    }
}
