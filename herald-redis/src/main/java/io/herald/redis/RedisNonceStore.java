package io.herald.redis;

import io.herald.core.engine.NonceStore;
import io.herald.core.internal.Stages;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Nonces shared by every node: {@code SET key 1 NX PX} answers "first use?" atomically, and Redis forgets the nonce
 * when it no longer matters, so a TokenRequest used on one node is refused (40105) on all of them.
 */
final class RedisNonceStore implements NonceStore {
    private static final byte[] ONE = {'1'};

    private final RedisLink link;
    private final RedisKeys keys;
    private final Clock clock;

    RedisNonceStore(RedisLink link, RedisKeys keys, Clock clock) {
        this.link = link;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Boolean> claim(String keyName, String nonce, Instant forgetAfter) {
        long ttl = Math.max(1_000, forgetAfter.toEpochMilli() - clock.millis());
        String key = keys.nonce(keyName, nonce);
        return Stages.guard(() ->
                link.call(c -> c.set(key, ONE, SetArgs.Builder.nx().px(ttl))).thenApply("OK"::equals));
    }
}
