package io.herald.bench.load;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Counters and the latency histogram of one client event loop. Only that loop's thread touches them; the worker
 * reads and resets them by running a task on the loop, so no field needs to be volatile or atomic.
 */
final class LoopStats {
    /** Publish-to-deliver latency in nanoseconds, up to a minute, 3 significant digits. */
    final Histogram latency = new Histogram(60_000_000_000L, 3);
    /** Publish-to-ACK latency in nanoseconds (from when the message was due), of this step's publishes. */
    final Histogram ackLatency = new Histogram(60_000_000_000L, 3);
    /** ACKs of this step's publishes (each message counted once). */
    long ackedOfStep;
    /** nanoTime of the last ACK of this step's publishes. */
    long lastAckAt;

    long received;
    long sent;
    long acks;
    long nacks;
    long errors;
    long closed;
    /** Deliveries of messages from an earlier step (a backlog), not counted in {@link #received}. */
    long stale;
    /** Every delivery of any step, for waiting until the server is quiet. */
    long any;
    /** The step being measured: publishers tag their messages with it, subscribers count only it. */
    int step;
    /** nanoTime of the last delivery. */
    long lastAt;

    @Nullable
    String lastError;

    void delivered(long dueNanos, int ofStep) {
        any++;
        if (ofStep != step) {
            stale++;
            return;
        }
        received++;
        long now = System.nanoTime();
        lastAt = now;
        long d = now - dueNanos;
        latency.recordValue(d < 0 ? 0 : Math.min(d, latency.getHighestTrackableValue()));
    }

    void acked(long dueNanos, int ofStep, long now) {
        any++;
        if (ofStep != step) {
            return;
        }
        ackedOfStep++;
        lastAckAt = now;
        long d = now - dueNanos;
        ackLatency.recordValue(d < 0 ? 0 : Math.min(d, ackLatency.getHighestTrackableValue()));
    }

    void error(String what) {
        errors++;
        lastError = what;
    }

    void reset() {
        latency.reset();
        ackLatency.reset();
        received = sent = acks = nacks = errors = closed = lastAt = stale = ackedOfStep = lastAckAt = 0;
        lastError = null;
    }
}
