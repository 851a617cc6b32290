package io.herald.server.admin;

import java.util.ArrayDeque;

/**
 * Two running totals (messages in, deliveries out) sampled about once a second, so that a rate over the last minute
 * can be read at any moment: the oldest sample kept is the newest one at least a minute old.
 */
final class RateWindow {
    static final long WINDOW_NANOS = 60_000_000_000L;

    /** A rate: per second over {@code seconds} (0 when too little time has passed to tell). */
    record Rates(double inPerSecond, double outPerSecond, double seconds) {}

    private record Sample(long nanos, long in, long out) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Records the totals as they are at {@code nanos} ({@link System#nanoTime}). */
    synchronized void sample(long nanos, long in, long out) {
        samples.addLast(new Sample(nanos, in, out));
        while (samples.size() > 2) {
            Sample first = samples.removeFirst();
            Sample second = samples.getFirst();
            if (nanos - second.nanos() < WINDOW_NANOS) {
                samples.addFirst(first); // the second is inside the window: the first is still needed as its start
                break;
            }
        }
    }

    /** Samples kept (at most a minute's and one more). */
    synchronized int size() {
        return samples.size();
    }

    /** The rates from the start of the window to these totals, read at {@code nanos}. */
    synchronized Rates rates(long nanos, long in, long out) {
        Sample start = samples.peekFirst();
        if (start == null || nanos - start.nanos() < 1_000_000_000L) {
            return new Rates(0, 0, 0);
        }
        double seconds = (nanos - start.nanos()) / 1e9;
        return new Rates(Math.max(0, in - start.in()) / seconds, Math.max(0, out - start.out()) / seconds, seconds);
    }
}
