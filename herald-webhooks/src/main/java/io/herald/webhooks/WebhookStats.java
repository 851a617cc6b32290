package io.herald.webhooks;

import java.util.concurrent.atomic.LongAdder;

/** Delivery counters of every rule of a node together, read by the metrics. */
public final class WebhookStats {
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder retried = new LongAdder();

    /** Events delivered (their request got a 2xx answer). */
    public long sent() {
        return sent.sum();
    }

    /** Events given up on after the last attempt of their request. */
    public long failed() {
        return failed.sum();
    }

    /** Events dropped before any attempt: the oldest of a full queue, or one larger than a request may be. */
    public long dropped() {
        return dropped.sum();
    }

    /** Requests sent again after a failure (an error status, a timeout, a refused connection). */
    public long retried() {
        return retried.sum();
    }
}
