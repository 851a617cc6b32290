package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.auth.TokenDetails;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code herald token inspect} on Herald tokens, Ably JWTs and TokenRequests: valid, invalid, expired. */
class TokenInspectCommandTest {
    private static final String CAPABILITY = "{\"chat:*\":[\"subscribe\"]}";
    private final ApiKey key = ApiKey.parse("test.k1:" + OpsServer.secret());
    private final ApiKey otherSecret = ApiKey.parse("test.k1:" + OpsServer.secret());

    private String heraldToken(Duration issuedAgo, Duration ttl) {
        long issued = System.currentTimeMillis() - issuedAgo.toMillis();
        return HeraldTokens.issue(
                key, new TokenClaims("test.k1", "tok-1", "alice", CAPABILITY, issued, issued + ttl.toMillis(), null));
    }

    // ---- Herald tokens ----

    @Test
    void inspect_heraldTokenWithItsKey_validExit0() {
        Cli r = Cli.run(
                "token", "inspect", heraldToken(Duration.ofMinutes(1), Duration.ofHours(1)), "--key", key.keyString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "Herald token",
                        "clientId:      alice",
                        "capability:    " + CAPABILITY,
                        "ago)",
                        "(in 58m",
                        "valid for key test.k1",
                        "result: valid");
        assertThat(r.out()).doesNotContain(key.secret());
    }

    @Test
    void inspect_heraldTokenWithoutKey_decodedSignatureNotCheckedExit0() {
        Cli r = Cli.run("token", "inspect", heraldToken(Duration.ZERO, Duration.ofMinutes(10)));

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("clientId:      alice", "not checked (give --key", "signature not checked");
    }

    @Test
    void inspect_heraldTokenWithAnotherSecret_invalidExit1() {
        Cli r = Cli.run(
                "token",
                "inspect",
                heraldToken(Duration.ZERO, Duration.ofMinutes(10)),
                "--key",
                otherSecret.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("INVALID: does not match key test.k1 (40143", "result: INVALID");
    }

    @Test
    void inspect_expiredHeraldToken_invalidExpiredExit1() {
        Cli r = Cli.run(
                "token", "inspect", heraldToken(Duration.ofHours(2), Duration.ofHours(1)), "--key", key.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("(EXPIRED 1h", "valid for key test.k1", "result: INVALID: expired 1h", "40142");
    }

    @Test
    void inspect_tamperedHeraldToken_invalidFormatExit1() {
        String token = heraldToken(Duration.ZERO, Duration.ofMinutes(10));
        Cli r = Cli.run("token", "inspect", token.substring(0, 12) + "!" + token.substring(13));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("Invalid token format (40145)");
    }

    @Test
    void inspect_tokenDetailsJson_inspectsItsToken() {
        String token = heraldToken(Duration.ZERO, Duration.ofMinutes(10));
        String details = new TokenDetails(token, "test.k1", 1L, 2L, CAPABILITY, "alice").toJson();

        Cli r = Cli.run("token", "inspect", details, "--key", key.keyString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("TokenDetails; its token:", "Herald token", "result: valid");
    }

    // ---- JWTs ----

    @Test
    void inspect_jwtWithItsKey_validExit0() {
        String jwt = AblyJwt.mint(key, "bob", CAPABILITY, Duration.ofMinutes(30), null, Clock.systemUTC());

        Cli r = Cli.run("token", "inspect", jwt, "--key", key.keyString());

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(
                        "Ably JWT",
                        "keyName:       test.k1 (kid)",
                        "alg:           HS256",
                        "clientId:      bob",
                        CAPABILITY,
                        "(in 29m",
                        "valid for key test.k1",
                        "result: valid");
    }

    @Test
    void inspect_expiredJwtWithItsKey_signatureValidButExpiredExit1() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        String jwt = AblyJwt.mint(key, "bob", null, Duration.ofHours(1), null, past);

        Cli r = Cli.run("token", "inspect", jwt, "--key", key.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains(
                        "(none: the key's capability)",
                        "(EXPIRED 2h",
                        "valid for key test.k1",
                        "result: INVALID: expired 2h");
    }

    @Test
    void inspect_jwtWithAnotherSecret_invalidSignatureExit1() {
        String jwt = AblyJwt.mint(key, null, CAPABILITY, Duration.ofMinutes(5), null, Clock.systemUTC());

        Cli r = Cli.run("token", "inspect", jwt, "--key", otherSecret.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("clientId:      (none: anonymous)", "INVALID: JWT signature is invalid (40144)");
    }

    // ---- TokenRequests ----

    private String tokenRequest(Clock clock) {
        TokenParams p = new TokenParams();
        p.clientId = "carol";
        p.capability = CAPABILITY;
        p.ttl = 60_000L;
        return TokenRequests.create(key, p, clock).toJson();
    }

    @Test
    void inspect_freshTokenRequestWithItsKey_wouldBeAcceptedExit0() {
        Cli r = Cli.run("token", "inspect", tokenRequest(Clock.systemUTC()), "--key", key.keyString());

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(
                        "TokenRequest (signed)",
                        "clientId:      carol",
                        "ttl:           60000 ms (1m)",
                        "mac:         ok (matches key test.k1)",
                        "timestamp:   ok",
                        "nonce:       length ok (16 characters)",
                        "cannot be checked offline",
                        "result: would be accepted");
    }

    @Test
    void inspect_tokenRequestWithBadMac_refusedWith40101Exit1() {
        String tampered = tokenRequest(Clock.systemUTC()).replace("\"clientId\":\"carol\"", "\"clientId\":\"mallory\"");

        Cli r = Cli.run("token", "inspect", tampered, "--key", key.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains("mac:         FAIL: does not match key test.k1", "40101", "result: would be REFUSED: mac");
    }

    @Test
    void inspect_tokenRequestTenMinutesOld_timestampFails40104Exit1() {
        Cli r = Cli.run(
                "token",
                "inspect",
                tokenRequest(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))),
                "--key",
                key.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("mac:         ok", "timestamp:   FAIL: 10m", "ago: outside ±2m", "40104");
    }

    @Test
    void inspect_tokenRequestWithShortNonce_nonceFailsExit1() {
        long now = System.currentTimeMillis();
        String mac = TokenRequests.mac(key.secret(), "test.k1", null, null, null, Long.toString(now), "12345678");
        String json =
                "{\"keyName\":\"test.k1\",\"timestamp\":" + now + ",\"nonce\":\"12345678\",\"mac\":\"" + mac + "\"}";

        Cli r = Cli.run("token", "inspect", json, "--key", key.keyString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("mac:         ok", "nonce:       FAIL: 8 characters: at least 16 needed");
    }

    @Test
    void inspect_tokenRequestWithoutKey_macNotCheckedExit0() {
        Cli r = Cli.run("token", "inspect", tokenRequest(Clock.systemUTC()));

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("mac:         not checked", "would be accepted if the mac is right");
    }

    @Test
    void inspect_unsignedTokenParams_refusedExit1() {
        Cli r = Cli.run("token", "inspect", "{\"clientId\":\"dave\",\"ttl\":1000}");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("TokenParams (unsigned: no mac)", "not signed");
    }

    // ---- usage ----

    @Test
    void inspect_notATokenAtAll_invalidExit1() {
        Cli r = Cli.run("token", "inspect", "hello");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("not a Herald token");
    }

    @Test
    void inspect_malformedKey_usageErrorExit2() {
        Cli r = Cli.run("token", "inspect", heraldToken(Duration.ZERO, Duration.ofMinutes(1)), "--key", "nonsense");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--key");
    }

    @Test
    void inspect_noToken_usageErrorExit2() {
        assertThat(Cli.run("token", "inspect").exitCode()).isEqualTo(2);
        assertThat(Cli.run("token").exitCode()).isEqualTo(2);
    }

    @Test
    void tokenRequest_stillWorks_printsSignedTokenRequest() {
        Cli r = Cli.run("token-request", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--client-id");
    }
}
