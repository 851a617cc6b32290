package io.herald.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The admin page's message rates: over the last minute once a minute has passed, over what there is before. */
class RateWindowTest {
    private static final long S = 1_000_000_000L;

    @Test
    void lessThanASecond_noRateYet() {
        RateWindow w = new RateWindow();
        w.sample(0, 0, 0);

        assertThat(w.rates(S / 2, 100, 100)).isEqualTo(new RateWindow.Rates(0, 0, 0));
    }

    @Test
    void beforeAMinute_rateSinceTheFirstSample() {
        RateWindow w = new RateWindow();
        w.sample(0, 0, 0);
        w.sample(5 * S, 50, 500);

        RateWindow.Rates r = w.rates(10 * S, 100, 1000);
        assertThat(r.inPerSecond()).isEqualTo(10.0);
        assertThat(r.outPerSecond()).isEqualTo(100.0);
        assertThat(r.seconds()).isEqualTo(10.0);
    }

    @Test
    void afterAnHour_onlyTheLastMinuteCounts_andTheSamplesStayBounded() {
        RateWindow w = new RateWindow();
        long in = 0;
        for (int s = 0; s <= 3600; s++) {
            in += s < 3540 ? 1000 : 10; // busy for 59 minutes, then 10/s
            w.sample(s * S, in, 0);
        }
        RateWindow.Rates r = w.rates(3600 * S, in, 0);

        assertThat(r.seconds()).isEqualTo(60.0);
        assertThat(r.inPerSecond()).isEqualTo(10.0);
        assertThat(w.size()).isLessThanOrEqualTo(62);
    }

    @Test
    void countersGoingBack_neverANegativeRate() {
        RateWindow w = new RateWindow();
        w.sample(0, 100, 100);

        assertThat(w.rates(2 * S, 0, 0).inPerSecond()).isZero();
    }
}
