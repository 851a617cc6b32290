package io.herald.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket at its boundaries, on an explicit clock: a burst of its capacity, then exactly its rate. */
class TokenBucketTest {
    private static int admitted(TokenBucket b, int tries, long now) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (b.tryTake(1, now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void full_admitsItsCapacity_thenNothingAtTheSameInstant() {
        TokenBucket b = new TokenBucket(250, 500, 0);
        assertThat(admitted(b, 1_000, 0)).isEqualTo(500);
        assertThat(b.tryTake(1, 0)).isFalse();
    }

    @Test
    void empty_refillsOneTokenPerRateInterval() {
        TokenBucket b = new TokenBucket(250, 500, 0);
        admitted(b, 500, 0);
        assertThat(b.tryTake(1, 3)).as("3 ms at 250/s is 0.75 of a token").isFalse();
        assertThat(b.tryTake(1, 4)).as("4 ms at 250/s is one token").isTrue();
        assertThat(b.tryTake(1, 4)).isFalse();
    }

    @Test
    void secondBoundary_doesNotRefillTheBucket() {
        // the fixed one-second window this replaces admitted rate + burst again at every second boundary
        TokenBucket b = new TokenBucket(250, 500, 0);
        assertThat(admitted(b, 1_000, 999)).isEqualTo(500);
        assertThat(admitted(b, 1_000, 1_000))
                .as("1 ms later: a quarter of a token")
                .isZero();
    }

    @Test
    void sustained_admitsExactlyTheRate_notRatePlusBurst() {
        TokenBucket b = new TokenBucket(250, 500, 0);
        int total = admitted(b, 10_000, 0);
        for (long t = 1; t <= 10_000; t++) {
            total += admitted(b, 10, t);
        }
        assertThat(total).as("10 s: the initial burst plus 250 per second").isEqualTo(500 + 2_500);
    }

    @Test
    void requestLargerThanTheBucket_takesAFullBucket() {
        TokenBucket b = new TokenBucket(5, 5, 0);
        assertThat(b.tryTake(20, 0)).isTrue();
        assertThat(b.tryTake(1, 0)).isFalse();
        assertThat(b.tryTake(20, 999)).isFalse();
        assertThat(b.tryTake(20, 1_000)).isTrue();
    }

    @Test
    void longIdle_fillsToCapacityWithoutOverflow() {
        TokenBucket b = new TokenBucket(Integer.MAX_VALUE, 1_000, 0);
        admitted(b, 1_000, 0);
        assertThat(b.available(Long.MAX_VALUE)).isEqualTo(1_000);
    }
}
