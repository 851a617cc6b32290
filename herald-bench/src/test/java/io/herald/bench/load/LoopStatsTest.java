package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopStatsTest {
    @Test
    void delivered_ofThisStep_countedWithItsLatency() {
        LoopStats s = new LoopStats();
        s.step = 3;
        s.delivered(System.nanoTime() - 5_000_000L, 3);

        assertThat(s.received).isEqualTo(1);
        assertThat(s.any).isEqualTo(1);
        assertThat(s.latency.getMinValue()).isGreaterThanOrEqualTo(s.latency.lowestEquivalentValue(5_000_000L));
    }

    @Test
    void delivered_ofAnEarlierStep_isStaleNotReceived() {
        LoopStats s = new LoopStats();
        s.step = 4;
        s.delivered(System.nanoTime(), 3);

        assertThat(s.received).isZero();
        assertThat(s.stale).isEqualTo(1);
        assertThat(s.any).isEqualTo(1);
        assertThat(s.latency.getTotalCount()).isZero();
    }

    @Test
    void delivered_beforeItWasDue_recordedAsZero_andBeyondTheRange_asTheLongestTrackable() {
        LoopStats s = new LoopStats();
        s.delivered(System.nanoTime() + 3_600_000_000_000L, 0);
        s.delivered(System.nanoTime() - 3_600_000_000_000L, 0);

        assertThat(s.latency.getMinValue()).isZero();
        assertThat(s.latency.getMaxValue())
                .isEqualTo(s.latency.highestEquivalentValue(s.latency.getHighestTrackableValue()));
    }

    @Test
    void reset_clearsCountersAndHistogram() {
        LoopStats s = new LoopStats();
        s.delivered(System.nanoTime(), 0);
        s.error("boom");
        s.reset();

        assertThat(s.received).isZero();
        assertThat(s.errors).isZero();
        assertThat(s.lastError).isNull();
        assertThat(s.latency.getTotalCount()).isZero();
    }
}
