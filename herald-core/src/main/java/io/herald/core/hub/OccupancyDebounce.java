package io.herald.core.hub;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * When to send a channel's next occupancy event (docs/protocol.md §6.4), as Ably does: a change that involves a mode
 * (a category going from none to some, or back) goes at once; any other change goes at most once per interval, with
 * the latest counts; no change, no event. Not thread-safe: one channel's feed uses it from one thread.
 */
final class OccupancyDebounce {
    /** {@link #offer} result: nothing to send. */
    static final long NOTHING = -1;

    private final long intervalMillis;
    private @Nullable Map<String, Integer> sent;
    private long sentAt;

    OccupancyDebounce(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /**
     * The delay in ms after which {@code metrics} should be sent (0: now), or {@link #NOTHING} when they are what was
     * sent last.
     */
    long offer(Map<String, Integer> metrics, long now) {
        if (metrics.equals(sent)) {
            return NOTHING;
        }
        if (OccupancyMetrics.modeChange(sent, metrics)) {
            return 0;
        }
        long due = sentAt + intervalMillis;
        return Math.max(0, due - now);
    }

    /** The metrics were sent at {@code now}. */
    void sent(Map<String, Integer> metrics, long now) {
        this.sent = metrics;
        this.sentAt = now;
    }

    @Nullable
    Map<String, Integer> last() {
        return sent;
    }
}
