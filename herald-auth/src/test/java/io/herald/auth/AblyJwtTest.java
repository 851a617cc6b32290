package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AblyJwtTest {

    private static final ApiKey KEY = ApiKey.parse("appJwt.keyJwt:Zx3v9Q-k_7TtWqA2bLpR0sYdE5fUgHiJ1mNoP4rS6uV");
    private static final long NOW_S = 1_700_000_000L;
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(NOW_S, 123_000_000), ZoneOffset.UTC);

    @Test
    void mint_allClaims_verifiesIndependentlyWithNimbus() throws Exception {
        String jwt = AblyJwt.mint(
                KEY,
                "user-1",
                "{\"b\":[\"subscribe\"], \"a\":[\"publish\",\"presence\"]}",
                Duration.ofMinutes(10),
                "rk-1",
                NOW);
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertThat(parsed.verify(new MACVerifier(KEY.secret().getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(parsed.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(parsed.getHeader().getKeyID()).isEqualTo("appJwt.keyJwt");
        Map<String, Object> claims = parsed.getJWTClaimsSet().toJSONObject();
        assertThat(claims)
                .containsEntry("iat", NOW_S)
                .containsEntry("exp", NOW_S + 600)
                .containsEntry("x-ably-capability", "{\"a\":[\"presence\",\"publish\"],\"b\":[\"subscribe\"]}")
                .containsEntry("x-ably-clientId", "user-1")
                .containsEntry("x-ably-revocation-key", "rk-1");
        assertThat(AblyJwt.looksLikeJwt(jwt)).isTrue();
        assertThat(HeraldTokens.looksLikeHeraldToken(jwt)).isFalse();
        assertThat(AblyJwt.keyName(jwt)).isEqualTo("appJwt.keyJwt");
    }

    @Test
    void verify_mintedJwt_returnsClaims() {
        String jwt = AblyJwt.mint(KEY, "user-1", "{\"*\":[\"subscribe\"]}", Duration.ofHours(1), "rk-1", NOW);
        TokenClaims c = AblyJwt.verify(jwt, KEY, NOW);
        assertThat(c.keyName()).isEqualTo(KEY.keyName());
        assertThat(c.clientId()).isEqualTo("user-1");
        assertThat(c.capability()).isEqualTo("{\"*\":[\"subscribe\"]}");
        assertThat(c.issued()).isEqualTo(NOW_S * 1000);
        assertThat(c.expires()).isEqualTo((NOW_S + 3600) * 1000);
        assertThat(c.revocationKey()).isEqualTo("rk-1");
        assertThat(c.tokenId())
                .hasSize(22)
                .isEqualTo(AblyJwt.verify(jwt, KEY, NOW).tokenId());
    }

    @Test
    void verify_noCapabilityClaim_capabilityNullForKeyFallback() {
        String jwt = AblyJwt.mint(KEY, null, null, Duration.ofHours(1), null, NOW);
        TokenClaims c = AblyJwt.verify(jwt, KEY, NOW);
        assertThat(c.capability()).isNull();
        assertThat(c.clientId()).isNull();
        assertThat(c.revocationKey()).isNull();
    }

    @Test
    void verify_jti_usedAsTokenId() throws Exception {
        String jwt = nimbusJwt(
                JWSAlgorithm.HS256,
                KEY,
                new JWTClaimsSet.Builder()
                        .jwtID("my-jti")
                        .issueTime(new Date(NOW_S * 1000))
                        .expirationTime(new Date((NOW_S + 60) * 1000))
                        .build());
        assertThat(AblyJwt.verify(jwt, KEY, NOW).tokenId()).isEqualTo("my-jti");
    }

    @Test
    void verify_jwtBuiltByNodeCrypto_accepted() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("mode", "jwt");
        job.put("key", KEY.keyString());
        job.put("iat", NOW_S);
        job.put("exp", NOW_S + 3600);
        job.put("capability", "{\"chat:*\":[\"publish\",\"subscribe\"]}");
        job.put("clientId", "node-client");
        JsonNode out = NodeScripts.run("ablyjs-golden.js", job);
        String jwt = out.get("jwt").asText();
        assertThat(AblyJwt.looksLikeJwt(jwt)).isTrue();
        assertThat(AblyJwt.keyName(jwt)).isEqualTo(KEY.keyName());
        TokenClaims c = AblyJwt.verify(jwt, KEY, NOW);
        assertThat(c.clientId()).isEqualTo("node-client");
        assertThat(c.capability()).isEqualTo("{\"chat:*\":[\"publish\",\"subscribe\"]}");
        assertThat(c.expires()).isEqualTo((NOW_S + 3600) * 1000);
        assertThatThrownBy(() -> AblyJwt.verify(
                        jwt, new ApiKey("appJwt", "keyJwt", ApiKey.generate("x").secret()), NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
    }

    @Test
    void verify_expired_throws40142() {
        String jwt = AblyJwt.mint(KEY, null, null, Duration.ofSeconds(60), null, NOW);
        Clock atExpiry = Clock.fixed(Instant.ofEpochSecond(NOW_S + 60), ZoneOffset.UTC);
        assertThat(AblyJwt.verify(
                        jwt, KEY, Clock.fixed(Instant.ofEpochSecond(NOW_S + 59, 999_000_000), ZoneOffset.UTC)))
                .isNotNull();
        assertThatThrownBy(() -> AblyJwt.verify(jwt, KEY, atExpiry))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(40142);
                    assertThat(e.statusCode()).isEqualTo(401);
                })
                .hasMessage("Token expired");
    }

    @Test
    void verify_wrongKeySecret_throws40144() {
        String jwt = AblyJwt.mint(KEY, null, null, Duration.ofSeconds(60), null, NOW);
        ApiKey sameNameOtherSecret =
                new ApiKey("appJwt", "keyJwt", ApiKey.generate("appJwt").secret());
        assertThatThrownBy(() -> AblyJwt.verify(jwt, sameNameOtherSecret, NOW))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(40144);
                    assertThat(e.statusCode()).isEqualTo(401);
                });
    }

    @Test
    void verify_kidOfAnotherKey_throws40144() {
        ApiKey other = ApiKey.generate("appJwt");
        String jwt = AblyJwt.mint(other, null, null, Duration.ofSeconds(60), null, NOW);
        assertThatThrownBy(() -> AblyJwt.verify(jwt, KEY, NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
    }

    @Test
    void verify_algNone_throws40144() {
        String header = b64("{\"typ\":\"JWT\",\"alg\":\"none\",\"kid\":\"appJwt.keyJwt\"}");
        String payload = b64("{\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60)
                + ",\"x-ably-capability\":\"{\\\"*\\\":[\\\"*\\\"]}\"}");
        String jwt = header + "." + payload + ".";
        assertThat(AblyJwt.looksLikeJwt(jwt)).isTrue();
        assertThatThrownBy(() -> AblyJwt.verify(jwt, KEY, NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
        assertThatThrownBy(() -> AblyJwt.keyName(jwt))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
    }

    @Test
    void verify_hs512_throws40144() throws Exception {
        ApiKey longKey = new ApiKey("appJwt", "keyJwt", KEY.secret() + KEY.secret());
        String jwt = nimbusJwt(
                JWSAlgorithm.HS512,
                longKey,
                new JWTClaimsSet.Builder()
                        .issueTime(new Date(NOW_S * 1000))
                        .expirationTime(new Date((NOW_S + 60) * 1000))
                        .build());
        assertThatThrownBy(() -> AblyJwt.verify(jwt, longKey, NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144))
                .hasMessageContaining("HS256");
    }

    @Test
    void verify_missingExp_throws40144() throws Exception {
        String jwt = nimbusJwt(
                JWSAlgorithm.HS256,
                KEY,
                new JWTClaimsSet.Builder().issueTime(new Date(NOW_S * 1000)).build());
        assertThatThrownBy(() -> AblyJwt.verify(jwt, KEY, NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
    }

    @Test
    void verify_capabilityClaimNotString_throws40144() throws Exception {
        String jwt = nimbusJwt(
                JWSAlgorithm.HS256,
                KEY,
                new JWTClaimsSet.Builder()
                        .issueTime(new Date(NOW_S * 1000))
                        .expirationTime(new Date((NOW_S + 60) * 1000))
                        .claim("x-ably-capability", Map.of("*", java.util.List.of("*")))
                        .build());
        assertThatThrownBy(() -> AblyJwt.verify(jwt, KEY, NOW)).isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.code()).isEqualTo(40144);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    @Test
    void verify_invalidCapabilityClaim_throws40144() throws Exception {
        String jwt = nimbusJwt(
                JWSAlgorithm.HS256,
                KEY,
                new JWTClaimsSet.Builder()
                        .issueTime(new Date(NOW_S * 1000))
                        .expirationTime(new Date((NOW_S + 60) * 1000))
                        .claim("x-ably-capability", "{\"a\":[\"fly\"]}")
                        .build());
        assertThatThrownBy(() -> AblyJwt.verify(jwt, KEY, NOW))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("unknown operation");
    }

    @Test
    void verify_tamperedPayload_throws40144() {
        String jwt = AblyJwt.mint(KEY, "alice", null, Duration.ofSeconds(60), null, NOW);
        String[] parts = jwt.split("\\.");
        String forged = parts[0] + "."
                + b64("{\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60) + ",\"x-ably-clientId\":\"mallory\"}") + "."
                + parts[2];
        assertThatThrownBy(() -> AblyJwt.verify(forged, KEY, NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
    }

    @Test
    void verify_garbage_throws40144() {
        for (String s : new String[] {"", "a.b.c", "not a jwt", "hdt1.e30.x"}) {
            assertThatThrownBy(() -> AblyJwt.verify(s, KEY, NOW))
                    .as(s)
                    .isInstanceOfSatisfying(
                            AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
        }
    }

    @Test
    void looksLikeJwt_nonJwtStrings_false() {
        assertThat(AblyJwt.looksLikeJwt(null)).isFalse();
        assertThat(AblyJwt.looksLikeJwt("appId.abcdef")).isFalse();
        assertThat(AblyJwt.looksLikeJwt("a.b.c")).isFalse();
        assertThat(AblyJwt.looksLikeJwt(b64("{\"typ\":\"JWT\"}") + ".e30.sig")).isFalse();
        assertThat(AblyJwt.looksLikeJwt(b64("{\"alg\":\"HS256\"}") + ".e30.sig.extra"))
                .isFalse();
        assertThat(AblyJwt.looksLikeJwt(b64("{\"alg\":\"HS256\"}") + ".e+0.sig"))
                .isFalse();
        assertThat(AblyJwt.looksLikeJwt(
                        HeraldTokens.issue(KEY, new TokenClaims(KEY.keyName(), "t", null, "{}", 1, 2, null))))
                .isFalse();
    }

    @Test
    void keyName_noKid_throws40144() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().build());
        jwt.sign(new MACSigner(KEY.secret().getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AblyJwt.keyName(jwt.serialize()))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
        assertThatThrownBy(() -> AblyJwt.keyName("%%%"))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
    }

    @Test
    void mint_shortSecret_illegalArgument() {
        ApiKey shortKey = ApiKey.parse("appId1.keyId1:s3cr3tValueNoDotsOrColons");
        assertThatThrownBy(() -> AblyJwt.mint(shortKey, null, null, Duration.ofMinutes(1), null, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userClaims_mintedAndVerified() throws Exception {
        Map<String, String> userClaims =
                Map.of("ably.channel.chat:general", "admin", "ably.channel.*", "member", "ably.room.lobby", "host");
        String jwt = AblyJwt.mint(KEY, "u", null, Duration.ofMinutes(5), null, userClaims, NOW);
        assertThat(SignedJWT.parse(jwt).getJWTClaimsSet().toJSONObject()).containsEntry("ably.room.lobby", "host");
        assertThat(AblyJwt.verify(jwt, KEY, NOW).userClaims()).isEqualTo(userClaims);
        // a JWT without user claims, and a Herald token, have none
        assertThat(AblyJwt.verify(AblyJwt.mint(KEY, "u", null, Duration.ofMinutes(5), null, NOW), KEY, NOW)
                        .userClaims())
                .isEmpty();
    }

    @Test
    void userClaims_otherJsonValuesReadAsTheirJsonText_otherNamesIgnored() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issueTime(Date.from(Instant.ofEpochSecond(NOW_S)))
                .expirationTime(Date.from(Instant.ofEpochSecond(NOW_S + 60)))
                .claim("ably.channel.a", Map.of("role", "mod"))
                .claim("ably.channel.b", 7)
                .claim("ably.channel.", "no channel named")
                .claim("ably.other.c", "not a user claim")
                .build();
        TokenClaims verified = AblyJwt.verify(nimbusJwt(JWSAlgorithm.HS256, KEY, claims), KEY, NOW);
        assertThat(verified.userClaims())
                .containsOnly(Map.entry("ably.channel.a", "{\"role\":\"mod\"}"), Map.entry("ably.channel.b", "7"));
    }

    @Test
    void userClaims_overTheLimits_refusedWith40144() throws Exception {
        JWTClaimsSet.Builder many = new JWTClaimsSet.Builder()
                .issueTime(Date.from(Instant.ofEpochSecond(NOW_S)))
                .expirationTime(Date.from(Instant.ofEpochSecond(NOW_S + 60)));
        for (int i = 0; i <= AblyJwt.MAX_USER_CLAIMS; i++) {
            many.claim("ably.channel.c" + i, "v");
        }
        String tooMany = nimbusJwt(JWSAlgorithm.HS256, KEY, many.build());
        assertThatThrownBy(() -> AblyJwt.verify(tooMany, KEY, NOW)).isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.code()).isEqualTo(40144);
            assertThat(e.getMessage()).contains("more than " + AblyJwt.MAX_USER_CLAIMS);
        });
        String tooLong = nimbusJwt(
                JWSAlgorithm.HS256,
                KEY,
                new JWTClaimsSet.Builder()
                        .issueTime(Date.from(Instant.ofEpochSecond(NOW_S)))
                        .expirationTime(Date.from(Instant.ofEpochSecond(NOW_S + 60)))
                        .claim("ably.channel.x", "v".repeat(AblyJwt.MAX_USER_CLAIM_LENGTH + 1))
                        .build());
        assertThatThrownBy(() -> AblyJwt.verify(tooLong, KEY, NOW))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40144));
        // minting refuses what verification would
        assertThatThrownBy(() ->
                        AblyJwt.mint(KEY, null, null, Duration.ofMinutes(1), null, Map.of("x-role", "admin"), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ably.channel.");
        assertThatThrownBy(() -> AblyJwt.mint(
                        KEY,
                        null,
                        null,
                        Duration.ofMinutes(1),
                        null,
                        Map.of("ably.room.r", "v".repeat(AblyJwt.MAX_USER_CLAIM_LENGTH + 1)),
                        NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String nimbusJwt(JWSAlgorithm alg, ApiKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(alg).keyID(key.keyName()).build(), claims);
        jwt.sign(new MACSigner(key.secret().getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
