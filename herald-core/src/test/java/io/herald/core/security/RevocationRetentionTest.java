package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.observe.Observer;
import io.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A revocation is kept until every token it covers has expired: the longest-lived token a key can have (a JWT of the
 * maximum token ttl, its iat up to the allowed skew ahead) issued just before the revocation is still refused one
 * second before it expires, a day later. The stored expiry is what both engines keep the revocation by.
 */
class RevocationRetentionTest {
    private final MutableClock clock = MutableClock.now();
    private final ApiKey key = ApiKey.generate("ret");
    private final CoreConfig cfg = new CoreConfig(
            "n",
            Limits.DEFAULTS,
            Timings.DEFAULTS,
            false,
            List.of(new AppConfig(
                    "ret",
                    List.of(new KeyConfig(new ApiKey("ret", key.keyId(), key.secret()), Capability.ALL, true)))));
    private final MemoryEngine engine = new MemoryEngine(new EngineContext(cfg, clock, "n", Map.of()));
    private final KeyRegistry keys = new KeyRegistry(cfg.apps(), cfg.limits());
    private final Authenticator auth = new Authenticator(keys, engine.revocations(), cfg.timings(), clock);
    private final RevocationService service =
            new RevocationService(keys, engine.revocations(), cfg.timings(), clock, Observer.NONE);

    @Test
    void revocation_outlivesTheLongestTokenItCovers() throws Exception {
        String jwt = AblyJwt.mint(key, "alice", null, Duration.ofHours(24), null, clock);
        clock.advance(Duration.ofSeconds(1));
        AuthContext basic = auth.key(key.keyString());
        service.revoke(key.keyName(), basic, new ObjectMapper().readTree("{\"targets\":[\"clientId:alice\"]}"))
                .toCompletableFuture()
                .get();
        Revocation r = engine.revocations().forKey(key.keyName()).get(0);
        long jwtExpiry = clock.millis() - 1000 + Duration.ofHours(24).toMillis();
        assertThat(r.expiresAt()).as("kept until the 24 h JWT has expired").isGreaterThanOrEqualTo(jwtExpiry);

        clock.advance(Duration.ofHours(24).minusSeconds(3));
        assertThatThrownBy(() -> auth.token(jwt))
                .isInstanceOf(AblyException.class)
                .extracting(e -> ((AblyException) e).error().code())
                .isEqualTo(40141);
    }
}
