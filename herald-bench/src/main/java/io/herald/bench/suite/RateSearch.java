package io.herald.bench.suite;

/**
 * The step logic of a rate search, apart from the measuring: which rate to measure next from what the steps so far
 * showed. Doubles the rate from the start rate while steps lose nothing (up to the cap); if even the start rate lost
 * messages, quarters it; then bisects between the best rate that met the latency target and the lowest that did not
 * (until they are within {@code closeEnough} of each other), then between the best lossless rate and the lowest
 * lossy one, within {@code maxSteps} steps. Records the best steps into the {@link Results.Rate}.
 */
final class RateSearch {
    private final Results.Rate r;
    private final double startRate;
    private final double cap;
    private final int maxSteps;
    private final double closeEnough;
    private double good; // best rate meeting the latency target, nothing lost
    private double late = Double.POSITIVE_INFINITY; // lowest rate over the latency target
    private double lossless; // best rate with nothing lost
    private double lossy = Double.POSITIVE_INFINITY; // lowest rate that lost messages
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
                late = Math.min(late, rate);
            }
        } else {
            lossy = Math.min(lossy, rate);
            late = Math.min(late, rate);
        }
        double next;
        if (climbing && s.lossless && rate < cap) {
            next = Math.min(rate * 2, cap);
        } else if (lossless == 0 && rate > startRate / 16) {
            next = rate / 4; // even the start rate was too much
        } else {
            climbing = false;
            if (good > 0 && late < Double.POSITIVE_INFINITY && late / good > closeEnough) {
                next = (good + late) / 2; // narrow the latency-bounded maximum
            } else if (good == 0 && late <= startRate && lossless > 0 && r.steps.size() < 3) {
                next = Math.min(late, lossless) / 4; // is the target reachable at a low rate at all?
            } else if (lossless > 0 && lossy < Double.POSITIVE_INFINITY && lossy / lossless > closeEnough) {
                next = (lossless + lossy) / 2; // narrow the capacity
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
        r.capacityIsLowerBound = lossy == Double.POSITIVE_INFINITY;
    }
}
