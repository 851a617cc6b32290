package io.herald.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The latency figures of a step: each worker's histogram travels encoded, the suite merges them and reads percentiles. */
class LatencyPercentilesTest {
    private static Histogram microseconds(int from, int to) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int us = from; us <= to; us++) {
            h.recordValue(us * 1000L);
        }
        return h;
    }

    @Test
    void mergedWorkers_percentilesOfTheUnionWithinThreeDigits() throws Exception {
        Histogram merged = new Histogram(60_000_000_000L, 3);
        merged.add(Scenarios.decode(Scenarios.encode(microseconds(1, 1000))));
        merged.add(Scenarios.decode(Scenarios.encode(microseconds(1001, 2000))));

        assertThat(merged.getTotalCount()).isEqualTo(2000);
        assertThat(merged.getValueAtPercentile(50) / 1e6).isCloseTo(1.000, within(0.001));
        assertThat(merged.getValueAtPercentile(99) / 1e6).isCloseTo(1.980, within(0.002));
        assertThat(merged.getValueAtPercentile(99.9) / 1e6).isCloseTo(1.998, within(0.002));
        assertThat(merged.getMaxValue() / 1e6).isCloseTo(2.000, within(0.002));
    }

    @Test
    void oneSlowWorker_dominatesTheTailNotTheMedian() throws Exception {
        Histogram fast = microseconds(100, 199); // 100 samples around 0.15 ms
        Histogram slow = new Histogram(60_000_000_000L, 3);
        slow.recordValue(50_000_000L); // one 50 ms delivery: 1% of 101 samples
        Histogram merged = new Histogram(60_000_000_000L, 3);
        merged.add(Scenarios.decode(Scenarios.encode(fast)));
        merged.add(Scenarios.decode(Scenarios.encode(slow)));

        assertThat(merged.getValueAtPercentile(50) / 1e6).isCloseTo(0.150, within(0.001));
        assertThat(merged.getValueAtPercentile(99.9) / 1e6).isCloseTo(50.0, within(0.05));
    }
}
