package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.testing.MutableClock;
import io.herald.protocol.ErrorInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every credential form the Authenticator takes (API key, Basic, Bearer raw or base64, Herald token, Ably JWT) and
 * every refusal, with the Ably code the client sees.
 */
class AuthenticatorTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey narrow = ApiKey.generate("app");
    private final ApiKey revocable = ApiKey.generate("app");
    private final CoreConfig cfg = new CoreConfig(
            "n",
            Limits.DEFAULTS,
            Timings.DEFAULTS,
            false,
            List.of(new AppConfig(
                    "app",
                    List.of(
                            KeyConfig.fullAccess(key),
                            new KeyConfig(narrow, Capability.parse("{\"chat:*\":[\"subscribe\"]}"), false),
                            new KeyConfig(revocable, Capability.ALL, true)))));
    private final MemoryEngine engine = new MemoryEngine(new EngineContext(cfg, clock, "n", Map.of()));
    private final KeyRegistry keys = new KeyRegistry(cfg.apps(), cfg.limits());
    private final Authenticator auth = new Authenticator(keys, engine.revocations(), cfg.timings(), clock);

    @AfterEach
    void close() {
        engine.close();
    }

    private static ErrorInfo refusal(Runnable r) {
        try {
            r.run();
        } catch (AblyException e) {
            return e.error();
        }
        throw new AssertionError("accepted");
    }

    private String token(ApiKey k, String clientId, String capability, long issued, long expires) {
        return HeraldTokens.issue(
                k,
                new TokenClaims(
                        k.keyName(),
                        HeraldTokens.newTokenId(),
                        clientId,
                        capability == null ? Capability.ALL.canonical() : capability,
                        issued,
                        expires,
                        null));
    }

    @Test
    void key_full_givesBasicContextWithAnyClientId() {
        AuthContext ctx = auth.key(key.keyString());
        assertThat(ctx.kind()).isEqualTo(AuthContext.Kind.BASIC);
        assertThat(ctx.isToken()).isFalse();
        assertThat(ctx.appId()).isEqualTo("app");
        assertThat(ctx.keyName()).isEqualTo(key.keyName());
        assertThat(ctx.clientId()).isEqualTo("*");
        assertThat(ctx.fixedClientId()).isNull();
        assertThat(ctx.expires()).isEqualTo(Long.MAX_VALUE);
        assertThat(ctx.verifiedBy(key)).isTrue();
        assertThat(ctx.verifiedBy(narrow)).isFalse();
        assertThat(auth.basic(Base64.getEncoder().encodeToString(key.keyString().getBytes(StandardCharsets.UTF_8)))
                        .keyName())
                .isEqualTo(key.keyName());
    }

    @Test
    void key_refusals_allLookAlikeForUnknownKeysAndWrongSecrets() {
        ErrorInfo wrongSecret = refusal(() -> auth.key(new ApiKey("app", key.keyId(), "x".repeat(43)).keyString()));
        ErrorInfo unknownKey = refusal(() -> auth.key(ApiKey.generate("app").keyString()));
        ErrorInfo unknownApp = refusal(() -> auth.key(ApiKey.generate("nope").keyString()));
        assertThat(List.of(wrongSecret, unknownKey, unknownApp)).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo(40101);
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.message()).isEqualTo(Authenticator.UNKNOWN_CREDENTIALS);
        });
        ErrorInfo malformed = refusal(() -> auth.key("not-a-key"));
        assertThat(malformed.code()).isEqualTo(40101);
        assertThat(malformed.message()).startsWith("Invalid key: ");
        assertThat(refusal(() -> auth.basic("***")).message()).contains("not base64");
    }

    @Test
    void heraldToken_rawOrBase64_givesTokenContextWithIntersectedCapability() {
        long now = clock.millis();
        String t = token(narrow, "alice", "{\"chat:a\":[\"subscribe\",\"publish\"],\"x\":[\"*\"]}", now, now + 60_000);
        AuthContext ctx = auth.bearer(t);
        assertThat(ctx.kind()).isEqualTo(AuthContext.Kind.TOKEN);
        assertThat(ctx.clientId()).isEqualTo("alice");
        assertThat(ctx.fixedClientId()).isEqualTo("alice");
        assertThat(ctx.capability().canonical()).isEqualTo("{\"chat:a\":[\"subscribe\"]}");
        assertThat(ctx.issued()).isEqualTo(now);
        assertThat(ctx.expires()).isEqualTo(now + 60_000);
        String b64 = Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8));
        assertThat(auth.bearer(" " + b64 + " ").tokenId()).isEqualTo(ctx.tokenId());
        assertThat(auth.token(t).keyName()).isEqualTo(narrow.keyName());
        AuthContext keyCapability = auth.token(token(narrow, null, null, now, now + 1000));
        assertThat(keyCapability.capability()).isEqualTo(Capability.parse("{\"chat:*\":[\"subscribe\"]}"));
        assertThat(keyCapability.clientId()).isNull();
    }

    @Test
    void heraldToken_refusals() {
        long now = clock.millis();
        String t = token(key, null, null, now, now + 1000);
        clock.advance(Duration.ofSeconds(1));
        ErrorInfo expired = refusal(() -> auth.token(t));
        assertThat(expired.code()).isEqualTo(40142);
        assertThat(expired.statusCode()).isEqualTo(401);

        ApiKey gone = ApiKey.generate("app");
        assertThat(refusal(() -> auth.token(token(gone, null, null, now, now + 60_000)))
                        .code())
                .isEqualTo(40143);
        ApiKey impostor = new ApiKey("app", key.keyId(), "y".repeat(43));
        ErrorInfo forged = refusal(() -> auth.token(token(impostor, null, null, now, now + 60_000)));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.code()).isBetween(40140, 40145);

        assertThat(refusal(() -> auth.token(token(key, "", null, now, now + 60_000)))
                        .code())
                .isEqualTo(40012);
        ErrorInfo disjoint = refusal(() -> auth.token(token(narrow, null, "{\"news\":[\"*\"]}", now, now + 60_000)));
        assertThat(disjoint.code()).isEqualTo(40160);
        assertThat(refusal(() -> auth.token("")).code()).isEqualTo(40145);
        assertThat(refusal(() -> auth.token(null)).code()).isEqualTo(40145);
        ErrorInfo garbage = refusal(() -> auth.bearer("garbage"));
        assertThat(garbage.code()).isEqualTo(40143);
        assertThat(garbage.message()).contains("neither a Herald token nor an Ably JWT");
    }

    @Test
    void jwt_isVerifiedAgainstItsKey_andItsTimesAreCapped() {
        String jwt = AblyJwt.mint(key, "carol", "{\"room\":[\"subscribe\"]}", Duration.ofMinutes(10), "rk", clock);
        AuthContext ctx = auth.bearer(jwt);
        assertThat(ctx.kind()).isEqualTo(AuthContext.Kind.JWT);
        assertThat(ctx.isToken()).isTrue();
        assertThat(ctx.clientId()).isEqualTo("carol");
        assertThat(ctx.revocationKey()).isEqualTo("rk");
        assertThat(ctx.capability().canonical()).isEqualTo("{\"room\":[\"subscribe\"]}");
        String b64 = Base64.getEncoder().encodeToString(jwt.getBytes(StandardCharsets.UTF_8));
        assertThat(b64).doesNotContain(".");
        assertThat(auth.bearer(b64).kind()).isEqualTo(AuthContext.Kind.JWT);

        ErrorInfo unknownKid = refusal(
                () -> auth.token(AblyJwt.mint(ApiKey.generate("app"), null, null, Duration.ofMinutes(1), null, clock)));
        assertThat(unknownKid.code()).isEqualTo(40144);
        assertThat(unknownKid.statusCode()).isEqualTo(401);
        ErrorInfo unknownApp = refusal(() ->
                auth.token(AblyJwt.mint(ApiKey.generate("nope"), null, null, Duration.ofMinutes(1), null, clock)));
        assertThat(unknownApp.code()).isEqualTo(40400);
        assertThat(unknownApp.statusCode()).isEqualTo(404);
        assertThat(unknownApp.message()).isEqualTo("No application found with id nope");

        MutableClock ahead =
                new MutableClock(clock.millis() + Duration.ofMinutes(3).toMillis());
        ErrorInfo future =
                refusal(() -> auth.token(AblyJwt.mint(key, null, null, Duration.ofMinutes(10), null, ahead)));
        assertThat(future.code()).isEqualTo(40104);
        assertThat(future.message()).contains("ahead of the server time");

        ErrorInfo tooLong = refusal(() -> auth.token(AblyJwt.mint(key, null, null, Duration.ofHours(25), null, clock)));
        assertThat(tooLong.code()).isEqualTo(40003);
        assertThat(tooLong.message()).contains("Invalid JWT lifetime");

        String shortLived = AblyJwt.mint(key, null, null, Duration.ofSeconds(5), null, clock);
        clock.advance(Duration.ofSeconds(6));
        assertThat(refusal(() -> auth.token(shortLived)).code()).isEqualTo(40142);
    }

    @Test
    void heraldToken_ofAnUnknownApp_isFinal404_ofAnUnknownKey_unrecognised() {
        long now = clock.millis();
        ErrorInfo unknownApp = refusal(() -> auth.token(token(ApiKey.generate("nope"), null, null, now, now + 60_000)));
        assertThat(unknownApp.code()).isEqualTo(40400);
        assertThat(unknownApp.statusCode()).isEqualTo(404);
        ErrorInfo unknownKey = refusal(() -> auth.token(token(ApiKey.generate("app"), null, null, now, now + 60_000)));
        assertThat(unknownKey.code()).isEqualTo(40143);
    }

    @Test
    void revocations_applyOnlyToTokensOfKeysWithRevocableTokens() {
        long now = clock.millis();
        String revocableToken = token(revocable, "alice", null, now, now + 60_000);
        String ordinary = token(key, "alice", null, now, now + 60_000);
        clock.advance(Duration.ofMillis(1));
        engine.revocations()
                .add(new Revocation(
                        revocable.keyName(),
                        "clientId",
                        "alice",
                        clock.millis(),
                        clock.millis(),
                        clock.millis() + 3_600_000))
                .toCompletableFuture()
                .join();
        engine.revocations()
                .add(new Revocation(
                        key.keyName(), "clientId", "alice", clock.millis(), clock.millis(), clock.millis() + 3_600_000))
                .toCompletableFuture()
                .join();

        ErrorInfo revoked = refusal(() -> auth.token(revocableToken));
        assertThat(revoked.code()).isEqualTo(40141);
        assertThat(auth.token(ordinary).clientId())
                .as("key without revocable tokens")
                .isEqualTo("alice");
        assertThat(auth.revokedBy(auth.key(revocable.keyString()), clock.millis()))
                .as("basic auth")
                .isNull();
        AuthContext bob = auth.token(token(revocable, "bob", null, now, now + 60_000));
        assertThat(auth.revokedBy(bob, clock.millis())).isNull();
    }

    @Test
    void maxTokenLifetime_isTheLongerTtl() {
        assertThat(Authenticator.maxTokenLifetime(Timings.DEFAULTS)).isEqualTo(Duration.ofHours(24));
        Timings d = Timings.DEFAULTS;
        Timings revocableLonger = new Timings(
                d.maxIdleInterval(),
                d.connectionStateTtl(),
                d.presenceLeaveDelay(),
                d.reauthBeforeExpiry(),
                d.tokenRequestWindow(),
                d.defaultTokenTtl(),
                Duration.ofHours(1),
                Duration.ofHours(2),
                d.historyRetention(),
                d.persistedRetention(),
                d.idempotencyWindow(),
                d.revocationMargin(),
                d.occupancyInterval(),
                d.statsRetention());
        assertThat(Authenticator.maxTokenLifetime(revocableLonger)).isEqualTo(Duration.ofHours(2));
        assertThat(Authenticator.appIdOf("app.key")).isEqualTo("app");
        assertThat(Authenticator.appIdOf("bare")).isEqualTo("bare");
        assertThat(Authenticator.appIdOf(null)).isNull();
    }
}
