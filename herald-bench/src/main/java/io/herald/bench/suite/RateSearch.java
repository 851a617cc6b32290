package io.herald.bench.suite;

import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The step logic of a rate search, apart from the measuring: which rate to measure next from what the steps so far
 * showed. Doubles the rate from the start rate while steps lose nothing (up to the cap); if even the start rate lost
 * messages, quarters it; then bisects between the best rate that met the latency target and the lowest that did not
 * (until they are within {@code closeEnough} of each other), then between the best lossless rate and the lowest
 * lossy one, within {@code maxSteps} steps. Records the best steps into the {@link Results.Rate}.
 *
 * <p>The bounds are the lowest failing rates <em>above</em> the best passing ones: a step that failed below a rate that
 * later passed (the first step, still warming up, over the latency bound; a hiccup of a busy machine) says nothing
 * about where the limit is, and must not stop the bisection between the passing rate and the next failing one.
 */
final class RateSearch {
    private final Results.Rate r;
    private final double startRate;
    private final double cap;
    private final int maxSteps;
    private final double closeEnough;
    private double good; // best rate meeting the latency target, nothing lost
    private final NavigableSet<Double> late = new TreeSet<>(); // rates over the latency target (or lossy)
    private double lossless; // best rate with nothing lost
    private final NavigableSet<Double> lossy = new TreeSet<>(); // rates that lost messages
    private double rate;
    private int steps;
    private boolean climbing = true;
    private boolean done;

    RateSearch(Results.Rate r, double startRate, double cap, int maxSteps, double closeEnough) {
        this.r = r;
        this.startRate = startRate;
        this.cap = cap;
        this.maxSteps = maxSteps;
        this.closeEnough = closeEnough;
        this.rate = Math.min(startRate, cap);
        this.done = maxSteps <= 0;
    }

    /** The rate to measure next; after the search, the last rate measured or chosen. */
    double rate() {
        return rate;
    }

    boolean done() {
        return done;
    }

    /** Takes the step just measured at {@link #rate()} and chooses the next rate, or ends the search. */
    void record(Results.Step s) {
        if (done) {
            throw new IllegalStateException("the search is over");
        }
        steps++;
        r.steps.add(s);
        if (s.lossless) {
            if (rate > lossless) {
                lossless = rate;
                r.capacity = s;
            }
            if (s.ok) {
                if (rate > good) {
                    good = rate;
                    r.atMax = s;
                }
            } else {
                late.add(rate);
            }
        } else {
            lossy.add(rate);
            late.add(rate);
        }
        double lateAbove = above(late, good);
        double lossyAbove = above(lossy, lossless);
        double next;
        if (climbing && s.lossless && rate < cap) {
            next = Math.min(rate * 2, cap);
        } else if (lossless == 0 && rate > startRate / 16) {
            next = rate / 4; // even the start rate was too much
        } else {
            climbing = false;
            if (good > 0 && lateAbove < Double.POSITIVE_INFINITY && lateAbove / good > closeEnough) {
                next = (good + lateAbove) / 2; // narrow the latency-bounded maximum
            } else if (good == 0 && lateAbove <= startRate && lossless > 0 && r.steps.size() < 3) {
                next = Math.min(lateAbove, lossless) / 4; // is the target reachable at a low rate at all?
            } else if (lossless > 0 && lossyAbove < Double.POSITIVE_INFINITY && lossyAbove / lossless > closeEnough) {
                next = (lossless + lossyAbove) / 2; // narrow the capacity
            } else {
                done = true;
                return;
            }
        }
        rate = Math.max(1, Math.round(next));
        done = steps >= maxSteps;
    }

    /** Writes the outcome into the {@link Results.Rate}: the maximum, the capacity and whether it is a lower bound. */
    void finish() {
        r.maxRate = good;
        r.capacityRate = lossless;
        r.capacityIsLowerBound = above(lossy, lossless) == Double.POSITIVE_INFINITY;
    }

    /** The lowest of {@code failed} above {@code passed}, or infinity if none failed there. */
    private static double above(NavigableSet<Double> failed, double passed) {
        Double d = failed.higher(passed);
        return d == null ? Double.POSITIVE_INFINITY : d;
    }
}
