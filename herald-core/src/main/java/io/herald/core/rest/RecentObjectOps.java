package io.herald.core.rest;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The REST object operations published recently with an {@code id}, for idempotency: an operation whose id (on the
 * same app and channel) was accepted within {@link #WINDOW} is not applied again, and its request answers with the
 * first one's result. A request claims its ids before it publishes, so two concurrent requests with the same id apply
 * it once: the second waits for the first. A failed publish releases its claims, so the client may retry. Kept on this
 * node, bounded to {@link #MAX_ENTRIES} ids (the oldest go first).
 */
final class RecentObjectOps {
    /** How long an id is remembered (Ably's idempotency window for REST publishes). */
    static final Duration WINDOW = Duration.ofMinutes(2);

    static final int MAX_ENTRIES = 100_000;

    /** What a published operation answered: the message id of its request and the objects it created or changed. */
    record Result(String messageId, List<String> objectIds) {}

    private record Claim(long at, CompletableFuture<Result> result) {}

    private final LinkedHashMap<String, Claim> claims = new LinkedHashMap<>();

    static String key(String appId, String channel, String id) {
        return appId.length() + ":" + appId + channel.length() + ":" + channel + id;
    }

    /**
     * Claims {@code key} for {@code mine}; returns null when the caller now owns it, or the result of the earlier
     * operation with the same key (possibly still running).
     */
    synchronized @Nullable CompletableFuture<Result> claim(String key, long now, CompletableFuture<Result> mine) {
        Iterator<Map.Entry<String, Claim>> it = claims.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Claim> e = it.next();
            if (now - e.getValue().at() < WINDOW.toMillis() && claims.size() < MAX_ENTRIES) {
                break;
            }
            it.remove();
        }
        Claim earlier = claims.get(key);
        if (earlier != null) {
            return earlier.result();
        }
        claims.put(key, new Claim(now, mine));
        return null;
    }

    /** Forgets a claim whose publish failed. */
    synchronized void release(String key, CompletableFuture<Result> mine) {
        Claim c = claims.get(key);
        if (c != null && c.result() == mine) {
            claims.remove(key);
        }
    }

    synchronized int size() {
        return claims.size();
    }
}
