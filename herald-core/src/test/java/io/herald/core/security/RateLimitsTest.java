package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.Limits;
import io.herald.core.internal.AblyException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Per-key rates are token buckets: no second boundary lets twice the rate through. Explicit clock, no timing. */
class RateLimitsTest {
    private static final class TestClock extends Clock {
        long millis;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static final Limits FIVE = Limits.DEFAULTS.withRates(5, 5, 5);

    private static int admitted(Runnable call, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            try {
                call.run();
                n++;
            } catch (AblyException e) {
                assertThat(e.error().code()).isEqualTo(42910);
                assertThat(e.error().statusCode()).isEqualTo(429);
            }
        }
        return n;
    }

    @Test
    void restRequests_acrossASecondBoundary_admitTheRateNotTwice() {
        TestClock clock = new TestClock();
        RateLimits limits = new RateLimits(clock, app -> FIVE);
        clock.millis = 10_999;
        assertThat(admitted(() -> limits.restRequest("app.key"), 20)).isEqualTo(5);
        clock.millis = 11_000;
        assertThat(admitted(() -> limits.restRequest("app.key"), 20)).isZero();
        clock.millis = 11_200;
        assertThat(admitted(() -> limits.restRequest("app.key"), 20)).isEqualTo(1);
    }

    @Test
    void tokenRequests_acrossASecondBoundary_admitTheRateNotTwice() {
        TestClock clock = new TestClock();
        RateLimits limits = new RateLimits(clock, app -> FIVE);
        clock.millis = 999;
        assertThat(admitted(() -> limits.tokenRequest("app.key"), 20)).isEqualTo(5);
        clock.millis = 1_000;
        assertThat(admitted(() -> limits.tokenRequest("app.key"), 20)).isZero();
    }

    @Test
    void restPublishes_countMessages_perKey() {
        TestClock clock = new TestClock();
        RateLimits limits = new RateLimits(clock, app -> FIVE);
        limits.restPublish("app.key", 4);
        assertThatThrownBy(() -> limits.restPublish("app.key", 2))
                .isInstanceOf(AblyException.class)
                .hasMessageContaining("messages published over REST per second")
                .hasMessageContaining("app.key");
        limits.restPublish("app.other", 5);
        clock.millis = 400;
        limits.restPublish("app.key", 2);
    }

    @Test
    void restPublishes_limitedByDefault() {
        assertThat(Limits.DEFAULTS.maxRestPublishesPerSecond()).isPositive();
    }
}
