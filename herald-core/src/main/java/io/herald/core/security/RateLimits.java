package io.herald.core.security;

import io.herald.core.config.Limits;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.TokenBucket;
import io.herald.protocol.ErrorCode;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Per-key limits: REST requests, messages published over REST and requestToken calls per second (each a
 * {@link TokenBucket} holding one second's worth, 42910), and live connections per key (40111). Limits come from the
 * key's app ({@link Limits} per app, falling back to the node's); 0 means unlimited.
 */
public final class RateLimits {
    /** A key's bucket, replaced when the configured rate changes (reload). */
    private record Bucket(int rate, TokenBucket bucket) {}

    private final Clock clock;
    private final Function<String, Limits> limitsOfApp;
    private final ConcurrentHashMap<String, Bucket> rest = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> restPublishes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();

    public RateLimits(Clock clock, Function<String, Limits> limitsOfApp) {
        this.clock = clock;
        this.limitsOfApp = limitsOfApp;
    }

    private Limits limits(String keyName) {
        return limitsOfApp.apply(Authenticator.appIdOf(keyName));
    }

    /** Counts a REST request of the key; 42910 beyond {@link Limits#maxRestRequestsPerSecond()}. */
    public void restRequest(String keyName) {
        int max = limits(keyName).maxRestRequestsPerSecond();
        if (max > 0 && !admit(rest, keyName, max)) {
            throw new AblyException(
                    ErrorCode.TOO_MANY_REQUESTS,
                    "Rate limit exceeded: more than " + max + " REST requests per second for key " + keyName);
        }
    }

    /** Counts a requestToken call for the key; 42910 beyond {@link Limits#maxTokenRequestsPerSecond()}. */
    public void tokenRequest(String keyName) {
        int max = limits(keyName).maxTokenRequestsPerSecond();
        if (max > 0 && !admit(tokens, keyName, max)) {
            throw new AblyException(
                    ErrorCode.TOO_MANY_REQUESTS,
                    "Rate limit exceeded: more than " + max + " token requests per second for key " + keyName);
        }
    }

    /**
     * Counts {@code messages} published over REST with the key; 42910 (HTTP 429) beyond
     * {@link Limits#maxRestPublishesPerSecond()}.
     */
    public void restPublish(String keyName, int messages) {
        int max = limits(keyName).maxRestPublishesPerSecond();
        if (max > 0 && !admit(restPublishes, keyName, max, messages)) {
            throw new AblyException(
                    ErrorCode.TOO_MANY_REQUESTS,
                    "Rate limit exceeded: more than " + max + " messages published over REST per second for key "
                            + keyName);
        }
    }

    private boolean admit(ConcurrentHashMap<String, Bucket> buckets, String keyName, int max) {
        return admit(buckets, keyName, max, 1);
    }

    private boolean admit(ConcurrentHashMap<String, Bucket> buckets, String keyName, int max, int n) {
        long now = clock.millis();
        Bucket b = buckets.compute(
                keyName,
                (k, old) -> old != null && old.rate() == max ? old : new Bucket(max, new TokenBucket(max, max, now)));
        return b.bucket().tryTake(n, now);
    }

    /** Takes a connection slot of the key; 40111 when {@link Limits#maxConnectionsPerKey()} are in use. */
    public void acquireConnection(String keyName) {
        int max = limits(keyName).maxConnectionsPerKey();
        AtomicInteger n = connections.computeIfAbsent(keyName, k -> new AtomicInteger());
        int now = n.incrementAndGet();
        if (max > 0 && now > max) {
            n.decrementAndGet();
            throw new AblyException(
                    ErrorCode.CONNECTION_LIMIT_EXCEEDED,
                    "Connection limit exceeded: key " + keyName + " already has " + max + " connections");
        }
    }

    public void releaseConnection(String keyName) {
        AtomicInteger n = connections.get(keyName);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    public int connections(String keyName) {
        AtomicInteger n = connections.get(keyName);
        return n == null ? 0 : n.get();
    }
}
