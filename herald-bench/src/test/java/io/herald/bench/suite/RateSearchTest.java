package io.herald.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search's step logic against a model server: meets the latency target up to one rate, loses nothing up to another. */
class RateSearchTest {
    private final List<Double> measured = new ArrayList<>();

    private Results.Rate run(
            double start, double cap, int maxSteps, double closeEnough, double latencyLimit, double lossLimit) {
        Results.Rate r = new Results.Rate();
        RateSearch search = new RateSearch(r, start, cap, maxSteps, closeEnough);
        while (!search.done()) {
            double rate = search.rate();
            measured.add(rate);
            Results.Step s = new Results.Step();
            s.rate = rate;
            s.lossless = rate <= lossLimit;
            s.ok = s.lossless && rate <= latencyLimit;
            search.record(s);
        }
        search.finish();
        return r;
    }

    @Test
    void search_doublesWhileLossless_thenBisectsBothBoundsToWithinCloseEnough() {
        Results.Rate r = run(50, 1e9, 20, 1.15, 1000, 3000);

        assertThat(measured).startsWith(50.0, 100.0, 200.0, 400.0, 800.0, 1600.0, 3200.0);
        assertThat(r.maxRate).isLessThanOrEqualTo(1000).isGreaterThan(1000 / 1.15);
        assertThat(r.capacityRate).isLessThanOrEqualTo(3000).isGreaterThan(3000 / 1.15);
        assertThat(r.atMax.rate).isEqualTo(r.maxRate);
        assertThat(r.capacity.rate).isEqualTo(r.capacityRate);
        assertThat(r.capacityIsLowerBound).isFalse();
        assertThat(r.steps).hasSize(measured.size());
    }

    @Test
    void search_aFailedFirstStepBelowPassingRates_doesNotStopTheLatencyBisection() {
        Results.Rate r = new Results.Rate();
        RateSearch search = new RateSearch(r, 1000, 1e9, 20, 1.15);
        while (!search.done()) {
            double rate = search.rate();
            measured.add(rate);
            Results.Step s = new Results.Step();
            s.rate = rate;
            s.lossless = rate <= 50_000;
            // the first step is still warming up: over the latency bound at a rate far below the real limit
            s.ok = s.lossless && rate <= 12_000 && measured.size() > 1;
            search.record(s);
        }
        search.finish();

        assertThat(measured).startsWith(1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 32000.0, 64000.0);
        assertThat(measured).contains(12000.0);
        assertThat(r.maxRate).isLessThanOrEqualTo(12_000).isGreaterThan(12_000 / 1.15);
        assertThat(r.capacityRate).isLessThanOrEqualTo(50_000).isGreaterThan(50_000 / 1.15);
        assertThat(r.capacityIsLowerBound).isFalse();
    }

    @Test
    void search_startRateTooMuch_quartersUntilASixteenthThenGivesUp() {
        Results.Rate r = run(100, 1e9, 20, 1.15, 5, 5);

        assertThat(measured).containsExactly(100.0, 25.0, 6.0);
        assertThat(r.maxRate).isZero();
        assertThat(r.capacityRate).isZero();
        assertThat(r.capacity).isNull();
    }

    @Test
    void search_nothingFailsUpToTheCap_stopsThereWithCapacityAsALowerBound() {
        Results.Rate r = run(50, 300, 20, 1.15, 1e9, 1e9);

        assertThat(measured).containsExactly(50.0, 100.0, 200.0, 300.0);
        assertThat(r.maxRate).isEqualTo(300);
        assertThat(r.capacityIsLowerBound).isTrue();
    }

    @Test
    void search_stepBudget_endsTheSearch() {
        Results.Rate r = run(50, 1e9, 3, 1.15, 1e9, 1e9);

        assertThat(measured).containsExactly(50.0, 100.0, 200.0);
        assertThat(r.maxRate).isEqualTo(200);
    }

    @Test
    void search_latencyTargetNeverMet_reportsNoMaximumButTheCapacity() {
        Results.Rate r = run(50, 1e9, 20, 1.15, 0, 1000);

        assertThat(r.maxRate).isZero();
        assertThat(r.atMax).isNull();
        assertThat(r.capacityRate).isLessThanOrEqualTo(1000).isGreaterThan(1000 / 1.15);
    }

    @Test
    void search_closeEnough_largerRatioStopsSooner() {
        run(50, 1e9, 20, 1.15, 1000, 3000);
        int fine = measured.size();
        measured.clear();
        Results.Rate coarse = run(50, 1e9, 20, 1.45, 1000, 3000);

        assertThat(measured.size()).isLessThan(fine);
        assertThat(coarse.maxRate).isLessThanOrEqualTo(1000).isGreaterThan(1000 / 1.45);
    }
}
