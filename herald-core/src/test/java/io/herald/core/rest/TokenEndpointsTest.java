package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.security.Authenticator;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code requestToken} (signed TokenRequests and unsigned TokenParams with Basic auth), {@code revokeTokens} and
 * {@code /stats} over REST: what each issues or refuses, and that the tokens then work, or stop working, on other
 * routes.
 */
class TokenEndpointsTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey chatOnly = ApiKey.generate("app");
    private final ApiKey revocable = ApiKey.generate("app");
    private final ApiKey limitedRate = ApiKey.generate("rl");
    private final TestNode t = new TestNode(
            new AppConfig(
                    "app",
                    List.of(
                            KeyConfig.fullAccess(key),
                            new KeyConfig(
                                    chatOnly, Capability.parse("{\"chat:*\":[\"publish\",\"subscribe\"]}"), false),
                            new KeyConfig(revocable, Capability.ALL, true))),
            new AppConfig(
                    "rl",
                    List.of(KeyConfig.fullAccess(limitedRate)),
                    List.of(),
                    List.of(),
                    Limits.DEFAULTS.withRates(0, 0, 2)));

    @AfterEach
    void close() {
        t.close();
    }

    private String path(ApiKey k) {
        return "/keys/" + k.keyName() + "/requestToken";
    }

    private Response unsigned(ApiKey k, String body) {
        return t.post(path(k), body).basic(k).send();
    }

    private Response signed(ApiKey k, TokenParams params) {
        TokenRequest tr = TokenRequests.create(k, params, t.clock);
        return t.post(path(k), tr.toJson()).send();
    }

    @Test
    void unsigned_withBasicAuth_issuesTheIntersectedCapability_andTheTokenWorks() {
        Response r = unsigned(
                chatOnly,
                "{\"clientId\":\"alice\",\"ttl\":60000,"
                        + "\"capability\":\"{\\\"chat:a\\\":[\\\"subscribe\\\",\\\"presence\\\"],\\\"other\\\":[\\\"*\\\"]}\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("keyName").asText()).isEqualTo(chatOnly.keyName());
        assertThat(r.json().get("clientId").asText()).isEqualTo("alice");
        assertThat(r.json().get("issued").asLong()).isEqualTo(t.clock.millis());
        assertThat(r.json().get("expires").asLong()).isEqualTo(t.clock.millis() + 60_000);
        assertThat(r.json().get("capability").asText()).isEqualTo("{\"chat:a\":[\"subscribe\"]}");
        assertThat(t.observer.events("tokenIssued"))
                .containsExactly("tokenIssued " + chatOnly.keyName() + " alice {\"chat:a\":[\"subscribe\"]} 127.0.0.1");

        String token = r.json().get("token").asText();
        assertThat(t.get("/channels/chat:a/messages").bearer(token).send().errorCode())
                .as("no history")
                .isEqualTo(40160);
        assertThat(t.get("/channels/chat:a/presence").bearer(token).send().status())
                .isEqualTo(200);
        assertThat(t.post("/channels/chat:a/messages", "{}")
                        .bearer(token)
                        .send()
                        .errorCode())
                .isEqualTo(40160);
        String base64 = java.util.Base64.getEncoder().encodeToString(token.getBytes());
        assertThat(t.get("/channels/chat:a/presence").bearer(base64).send().status())
                .isEqualTo(200);

        t.clock.advance(Duration.ofSeconds(61));
        Response expired = t.get("/channels/chat:a/presence").bearer(token).send();
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo(40142);
    }

    @Test
    void unsigned_defaults_keyCapabilityAndDefaultTtl_anonymous() {
        Response r = unsigned(key, "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().has("clientId")).isFalse();
        assertThat(r.json().get("capability").asText()).isEqualTo("{\"*\":[\"*\"]}");
        assertThat(r.json().get("expires").asLong() - r.json().get("issued").asLong())
                .isEqualTo(3_600_000L);
    }

    @Test
    void unsigned_refusals_needBasicAuthWithThatKey() {
        Response none = t.post(path(key), "{}").send();
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo(40101);
        assertThat(none.errorMessage()).contains("unsigned token request needs Basic authentication");

        String token = t.token(key, null, null, Duration.ofMinutes(5));
        Response byToken = t.post(path(key), "{}").bearer(token).send();
        assertThat(byToken.status()).isEqualTo(401);
        assertThat(byToken.errorCode()).isEqualTo(40162);

        Response otherKey = t.post(path(key), "{}").basic(chatOnly).send();
        assertThat(otherKey.errorCode()).isEqualTo(40101);
        assertThat(otherKey.errorMessage()).isEqualTo("The credentials are not for key " + key.keyName());
        assertThat(t.observer.events("tokenRefused"))
                .hasSize(3)
                .allMatch(e -> e.startsWith("tokenRefused " + key.keyName()));
    }

    @Test
    void signed_needsNoAuth_isSingleUse_andChecksWindowMacAndKey() {
        TokenParams params = new TokenParams().withClientId("bob").withTtl(Duration.ofMinutes(10));
        TokenRequest tr = TokenRequests.create(key, params, t.clock);
        Response first = t.post(path(key), tr.toJson()).send();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("clientId").asText()).isEqualTo("bob");
        assertThat(first.json().get("expires").asLong()).isEqualTo(t.clock.millis() + 600_000);

        Response replay = t.post(path(key), tr.toJson()).send();
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.errorCode()).isEqualTo(40105);

        Response stale = signed(
                key,
                params.withTimestamp(t.clock.millis() - Duration.ofMinutes(3).toMillis()));
        assertThat(stale.errorCode()).isEqualTo(40104);
        assertThat(stale.errorMessage()).contains("skew");

        TokenRequest good = TokenRequests.create(key, params, t.clock);
        TokenRequest tampered = new TokenRequest(
                good.keyName(), good.ttl(), good.capability(), "mallory", good.timestamp(), good.nonce(), good.mac());
        Response badMac = t.post(path(key), tampered.toJson()).send();
        assertThat(badMac.errorCode()).isEqualTo(40101);
        assertThat(badMac.errorMessage()).isEqualTo(Authenticator.UNKNOWN_CREDENTIALS);

        TokenRequest forOther = TokenRequests.create(chatOnly, params, t.clock);
        Response wrongPath = t.post(path(key), forOther.toJson()).send();
        assertThat(wrongPath.errorCode()).isEqualTo(40101);
        assertThat(wrongPath.errorMessage()).contains("does not match the key in the request path");

        String nonce = "short";
        String ts = String.valueOf(t.clock.millis());
        String mac = TokenRequests.mac(key.secret(), key.keyName(), null, null, null, ts, nonce);
        Response shortNonce = t.post(
                        path(key), new TokenRequest(key.keyName(), null, null, null, ts, nonce, mac).toJson())
                .send();
        assertThat(shortNonce.errorCode()).isEqualTo(40003);
        assertThat(shortNonce.errorMessage()).contains("nonce");
    }

    @Test
    void requestToken_bodyAndParameterRefusals() {
        Response unknown = t.post("/keys/app.nokey/requestToken", "{}").send();
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.errorMessage()).isEqualTo(Authenticator.UNKNOWN_CREDENTIALS);
        assertThat(unsigned(key, "[1]").errorCode()).isEqualTo(40001);
        assertThat(t.post(path(key), null).basic(key).send().errorMessage()).isEqualTo("Request body is missing");
        assertThat(unsigned(key, "{oops").status()).isEqualTo(400);

        Response ttlTooLong = unsigned(key, "{\"ttl\":" + Duration.ofHours(25).toMillis() + "}");
        assertThat(ttlTooLong.errorCode()).isEqualTo(40003);
        assertThat(ttlTooLong.errorMessage()).contains("the maximum is 86400000");
        Response revocableTtl =
                unsigned(revocable, "{\"ttl\":" + Duration.ofHours(2).toMillis() + "}");
        assertThat(revocableTtl.errorMessage()).endsWith("for keys with revocable tokens");
        assertThat(unsigned(key, "{\"ttl\":-5}").errorCode()).isEqualTo(40003);
        assertThat(unsigned(key, "{\"ttl\":\"soon\"}").errorCode()).isEqualTo(40003);

        Response disjoint = unsigned(chatOnly, "{\"capability\":\"{\\\"news\\\":[\\\"subscribe\\\"]}\"}");
        assertThat(disjoint.errorCode()).isEqualTo(40160);
        assertThat(disjoint.errorMessage()).contains("nothing in common");
        Response malformed = unsigned(key, "{\"capability\":\"not json\"}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo(40000);
        assertThat(malformed.errorMessage()).startsWith("Invalid capability");

        assertThat(unsigned(key, "{\"clientId\":\"\"}").errorCode()).isEqualTo(40012);
        Response longId = unsigned(key, "{\"clientId\":\"" + "c".repeat(2049) + "\"}");
        assertThat(longId.errorCode()).isEqualTo(40012);
        assertThat(longId.errorMessage()).contains("2048");
        assertThat(unsigned(key, "{\"clientId\":\"" + "c".repeat(2048) + "\"}").status())
                .isEqualTo(200);
    }

    @Test
    void requestToken_isRateLimitedPerKey() {
        assertThat(unsigned(limitedRate, "{}").status()).isEqualTo(200);
        assertThat(unsigned(limitedRate, "{}").status()).isEqualTo(200);
        Response third = unsigned(limitedRate, "{}");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.errorCode()).isEqualTo(42910);
        assertThat(third.errorMessage()).contains("token requests per second");
        t.clock.advance(Duration.ofMillis(500));
        assertThat(unsigned(limitedRate, "{}").status()).isEqualTo(200);
    }

    private String revocableToken(String clientId) {
        Response r = unsigned(revocable, clientId == null ? "{}" : "{\"clientId\":\"" + clientId + "\"}");
        assertThat(r.status()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    private int statusWith(String token) {
        return t.get("/channels/room/messages").bearer(token).send().status();
    }

    @Test
    void revokeTokens_byClientId_refusesTokensIssuedBefore() {
        String alice = revocableToken("alice");
        String bob = revocableToken("bob");
        t.clock.advance(Duration.ofMillis(1));
        Response r = t.post(
                        "/keys/" + revocable.keyName() + "/revokeTokens",
                        "{\"targets\":[\"clientId:alice\",\"nonsense\",5,\"clientId:\"]}")
                .basic(revocable)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("successCount").asInt()).isEqualTo(1);
        assertThat(r.json().get("failureCount").asInt()).isEqualTo(3);
        assertThat(r.json().at("/results/0/target").asText()).isEqualTo("clientId:alice");
        assertThat(r.json().at("/results/0/issuedBefore").asLong()).isEqualTo(t.clock.millis());
        assertThat(r.json().at("/results/0/appliesAt").asLong()).isEqualTo(t.clock.millis());
        assertThat(r.json().at("/results/1/error/code").asInt()).isEqualTo(40003);
        assertThat(r.json().at("/results/2/target").asText()).isEqualTo("5");
        assertThat(t.observer.events("tokensRevoked")).containsExactly("tokensRevoked " + revocable.keyName() + " 1");

        Response refused = t.get("/channels/room/messages").bearer(alice).send();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo(40141);
        assertThat(statusWith(bob)).isEqualTo(200);
        t.clock.advance(Duration.ofMillis(1));
        assertThat(statusWith(revocableToken("alice")))
                .as("a token issued after the revocation")
                .isEqualTo(200);
    }

    @Test
    void revokeTokens_withReauthMargin_andByRevocationKey() {
        String jwt = AblyJwt.mint(revocable, "carol", null, Duration.ofMinutes(10), "group-1", t.clock);
        String plain = revocableToken("dave");
        t.clock.advance(Duration.ofSeconds(1));
        Response r = t.post(
                        "/keys/" + revocable.keyName() + "/revokeTokens",
                        "{\"targets\":[\"revocationKey:group-1\",\"clientId:dave\"],\"allowReauthMargin\":true,"
                                + "\"issuedBefore\":" + t.clock.millis() + "}")
                .basic(revocable)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().at("/results/0/appliesAt").asLong()).isEqualTo(t.clock.millis() + 30_000);
        assertThat(statusWith(jwt)).as("within the margin").isEqualTo(200);
        assertThat(statusWith(plain)).isEqualTo(200);
        t.clock.advance(Duration.ofSeconds(31));
        assertThat(t.get("/channels/room/messages").bearer(jwt).send().errorCode())
                .isEqualTo(40141);
        assertThat(t.get("/channels/room/messages").bearer(plain).send().errorCode())
                .isEqualTo(40141);
    }

    @Test
    void revokeTokens_refusals() {
        String path = "/keys/" + revocable.keyName() + "/revokeTokens";
        assertThat(t.post(path, "{\"targets\":[\"clientId:a\"]}").send().errorCode())
                .isEqualTo(40101);
        String token = revocableToken(null);
        Response byToken =
                t.post(path, "{\"targets\":[\"clientId:a\"]}").bearer(token).send();
        assertThat(byToken.errorCode()).isEqualTo(40162);
        Response otherKey =
                t.post(path, "{\"targets\":[\"clientId:a\"]}").basic(key).send();
        assertThat(otherKey.errorCode()).isEqualTo(40101);
        assertThat(otherKey.errorMessage()).contains("not for key");
        Response notRevocable = t.post("/keys/" + key.keyName() + "/revokeTokens", "{\"targets\":[\"clientId:a\"]}")
                .basic(key)
                .send();
        assertThat(notRevocable.status()).isEqualTo(401);
        assertThat(notRevocable.errorCode()).isEqualTo(40162);
        assertThat(notRevocable.errorMessage()).contains("does not have revocable tokens enabled");

        assertThat(t.post(path, "{}").basic(revocable).send().errorCode()).isEqualTo(40001);
        assertThat(t.post(path, "{\"targets\":\"clientId:a\"}")
                        .basic(revocable)
                        .send()
                        .errorCode())
                .isEqualTo(40001);
        assertThat(t.post(path, "{\"targets\":[]}").basic(revocable).send().errorCode())
                .isEqualTo(40003);
        String many =
                IntStream.range(0, 101).mapToObj(i -> "\"clientId:c" + i + "\"").collect(Collectors.joining(","));
        Response tooMany =
                t.post(path, "{\"targets\":[" + many + "]}").basic(revocable).send();
        assertThat(tooMany.errorMessage()).contains("1 to 100 targets, got 101");
        Response future = t.post(
                        path, "{\"targets\":[\"clientId:a\"],\"issuedBefore\":" + (t.clock.millis() + 1000) + "}")
                .basic(revocable)
                .send();
        assertThat(future.errorCode()).isEqualTo(40003);
        assertThat(future.errorMessage()).contains("future");
        Response notTime = t.post(path, "{\"targets\":[\"clientId:a\"],\"issuedBefore\":\"yesterday\"}")
                .basic(revocable)
                .send();
        assertThat(notTime.errorMessage()).isEqualTo("issuedBefore must be a time in ms");
        assertThat(t.observer.events("tokensRevoked")).isEmpty();
    }

    @Test
    void stats_needTheStatsCapability_andValidParameters() {
        Response ok = t.get("/stats").basic(key).query("unit", "hour").send();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json()).isEmpty();
        Response noCap = t.get("/stats").basic(chatOnly).send();
        assertThat(noCap.status()).isEqualTo(401);
        assertThat(noCap.errorCode()).isEqualTo(40160);
        assertThat(noCap.errorMessage()).contains("stats capability");
        Response badUnit = t.get("/stats").basic(key).query("unit", "week").send();
        assertThat(badUnit.errorCode()).isEqualTo(40003);
        assertThat(badUnit.errorMessage()).contains("'week'");
        assertThat(t.get("/stats")
                        .basic(key)
                        .query("start", "10")
                        .query("end", "5")
                        .send()
                        .errorCode())
                .isEqualTo(40003);
    }

    @Test
    void sameRequestedCapability_underKeysWithDifferentCapabilities_eachGetsItsOwnIntersection() {
        String body =
                "{\"capability\":\"{\\\"chat:a\\\":[\\\"subscribe\\\",\\\"presence\\\"],\\\"other\\\":[\\\"*\\\"]}\"}";
        for (int round = 0; round < 2; round++) {
            Response narrow = unsigned(chatOnly, body);
            Response full = unsigned(key, body);
            assertThat(narrow.status()).as(narrow.toString()).isEqualTo(200);
            assertThat(full.status()).as(full.toString()).isEqualTo(200);
            assertThat(narrow.json().get("capability").asText()).isEqualTo("{\"chat:a\":[\"subscribe\"]}");
            assertThat(full.json().get("capability").asText())
                    .isEqualTo("{\"chat:a\":[\"presence\",\"subscribe\"],\"other\":[\"*\"]}");
        }
    }

    @Test
    void requestedCapabilityWithNothingInCommon_refusedEveryTime() {
        String body = "{\"capability\":\"{\\\"news\\\":[\\\"subscribe\\\"]}\"}";
        for (int round = 0; round < 2; round++) {
            Response r = unsigned(chatOnly, body);
            assertThat(r.errorCode()).as(r.toString()).isEqualTo(40160);
            assertThat(r.errorMessage()).contains("nothing in common");
        }
    }
}
