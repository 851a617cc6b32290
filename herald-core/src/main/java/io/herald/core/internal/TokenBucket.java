package io.herald.core.internal;

/**
 * A token bucket: holds at most {@code capacity} tokens, refilled continuously at {@code perSecond}, so it admits a
 * burst of {@code capacity} and then exactly {@code perSecond} on average, however the requests fall on second
 * boundaries. Time is passed in by the caller (milliseconds of an injected clock), which keeps it deterministic.
 * Thread-safe.
 */
public final class TokenBucket {
    /** Tokens are counted in millionths, so refills of less than one token per millisecond are not lost. */
    private static final long UNIT = 1_000_000L;

    private final long perSecond;
    private final long capacity;
    private long micro;
    private long last;

    /** A full bucket at {@code nowMillis}. */
    public TokenBucket(long perSecond, long capacity, long nowMillis) {
        if (perSecond <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and capacity");
        }
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.micro = capacity * UNIT;
        this.last = nowMillis;
    }

    public long capacity() {
        return capacity;
    }

    /**
     * Takes {@code n} tokens if the bucket holds them. A request larger than the whole bucket takes a full bucket
     * (it can pass, once the bucket has filled up, instead of never).
     */
    public synchronized boolean tryTake(long n, long nowMillis) {
        refill(nowMillis);
        long cost = Math.min(Math.max(n, 0), capacity) * UNIT;
        if (micro >= cost) {
            micro -= cost;
            return true;
        }
        return false;
    }

    /** Whole tokens available now. */
    public synchronized long available(long nowMillis) {
        refill(nowMillis);
        return micro / UNIT;
    }

    private void refill(long now) {
        if (now > last) {
            long elapsed = now - last;
            long max = capacity * UNIT;
            // elapsed * perSecond * 1000 micro-tokens, once the bucket cannot be full yet (so no overflow)
            long add = elapsed > capacity * 1000 / perSecond + 1 ? max : elapsed * perSecond * 1000;
            micro = Math.min(max, micro + add);
            last = now;
        }
    }
}
