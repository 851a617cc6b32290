package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelEvent;
import io.herald.protocol.Action;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads of one channel's log that do not depend on where the log is kept: the last messages for {@code rewind} (history
 * pages are {@link io.herald.core.engine.HistoryPager}'s). The memory engine walks its in-memory log with it, a
 * disk-backed engine its stored one; the log only has to be walked newest first with expired events already left out.
 */
public final class LogScan {
    private LogScan() {}

    /**
     * The last {@code count} MESSAGE events (all when {@code count <= 0}), none older than {@code sinceMillis} when
     * that is positive, oldest first, from events given newest first.
     */
    public static List<ChannelEvent> lastMessages(Iterator<ChannelEvent> newestFirst, int count, long sinceMillis) {
        List<ChannelEvent> events = new ArrayList<>();
        while (newestFirst.hasNext() && (count <= 0 || events.size() < count)) {
            ChannelEvent e = newestFirst.next();
            if (e.action() != Action.MESSAGE || io.herald.core.engine.Versions.isOperationEvent(e)) {
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
}
