package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import io.herald.server.e2e.support.WireFormat;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /keys/{keyName}/requestToken} (docs/protocol.md §4.3-§4.8): TokenRequests from ably-js, ably-java and
 * herald-auth are exchanged for TokenDetails; replayed, tampered, stale, over-long, empty-clientId and unknown-key
 * requests are refused with the right code, over raw HTTP and through both SDKs.
 */
class TokenRequestIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CAPABILITY = "{\"chat:*\":[\"publish\",\"subscribe\"]}";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    // ---- crafting requests ----

    static String nonce() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(RANDOM.nextInt(10));
        }
        return sb.toString();
    }

    /** A request signed by the rule of docs/protocol.md §4.5, fields as given (null = absent). */
    static TokenRequest sign(ApiKey key, String ttl, String capability, String clientId, long timestamp, String nonce) {
        String ts = Long.toString(timestamp);
        return new TokenRequest(
                key.keyName(),
                ttl,
                capability,
                clientId,
                ts,
                nonce,
                TokenRequests.mac(key.secret(), key.keyName(), ttl, capability, clientId, ts, nonce));
    }

    /** A valid request of the full key: ttl 10 min, a capability, clientId alice. */
    static TokenRequest valid() {
        return sign(server.full, "600000", CAPABILITY, "alice", System.currentTimeMillis(), nonce());
    }

    static TokenRequest with(TokenRequest r, String field, String value) {
        return new TokenRequest(
                field.equals("keyName") ? value : r.keyName(),
                field.equals("ttl") ? value : r.ttl(),
                field.equals("capability") ? value : r.capability(),
                field.equals("clientId") ? value : r.clientId(),
                field.equals("timestamp") ? value : r.timestamp(),
                field.equals("nonce") ? value : r.nonce(),
                field.equals("mac") ? value : r.mac());
    }

    /** One refused request: what it is, how to make a fresh one, and the expected status and code. */
    record Refusal(String name, Supplier<TokenRequest> request, int status, int code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Refusal> refusals() {
        List<Refusal> list = new ArrayList<>();
        // every signed field altered after signing (docs/protocol.md §4.5): the MAC no longer verifies
        list.add(new Refusal("ttl altered", () -> with(valid(), "ttl", "600001"), 401, 40101));
        list.add(new Refusal(
                "capability altered", () -> with(valid(), "capability", "{\"chat:*\":[\"subscribe\"]}"), 401, 40101));
        list.add(new Refusal("clientId altered", () -> with(valid(), "clientId", "mallory"), 401, 40101));
        list.add(new Refusal("clientId removed", () -> with(valid(), "clientId", null), 401, 40101));
        list.add(new Refusal(
                "timestamp altered",
                () -> {
                    TokenRequest r = valid();
                    return with(r, "timestamp", Long.toString(Long.parseLong(r.timestamp()) - 1));
                },
                401,
                40101));
        list.add(new Refusal("nonce altered", () -> with(valid(), "nonce", nonce()), 401, 40101));
        list.add(new Refusal(
                "mac altered",
                () -> {
                    TokenRequest r = valid();
                    char c = r.mac().charAt(0);
                    return with(r, "mac", (c == 'A' ? 'B' : 'A') + r.mac().substring(1));
                },
                401,
                40101));
        list.add(new Refusal(
                "keyName altered to another key of the app",
                () -> with(valid(), "keyName", server.limited.keyName()),
                401,
                40101));
        list.add(new Refusal(
                "signed with the wrong secret",
                () -> {
                    ApiKey wrong =
                            new ApiKey("test", "full", ApiKey.generate("test").secret());
                    return sign(wrong, "600000", CAPABILITY, "alice", System.currentTimeMillis(), nonce());
                },
                401,
                40101));
        // freshness (docs/protocol.md §4.6)
        list.add(new Refusal(
                "timestamp 3 minutes old",
                () -> sign(
                        server.full,
                        "600000",
                        CAPABILITY,
                        "alice",
                        System.currentTimeMillis() - Duration.ofMinutes(3).toMillis(),
                        nonce()),
                401,
                40104));
        list.add(new Refusal(
                "timestamp 3 minutes ahead",
                () -> sign(
                        server.full,
                        "600000",
                        CAPABILITY,
                        "alice",
                        System.currentTimeMillis() + Duration.ofMinutes(3).toMillis(),
                        nonce()),
                401,
                40104));
        // limits and values (docs/protocol.md §4.3, §11)
        list.add(new Refusal(
                "ttl 25 hours",
                () -> sign(
                        server.full,
                        Long.toString(Duration.ofHours(25).toMillis()),
                        CAPABILITY,
                        "alice",
                        System.currentTimeMillis(),
                        nonce()),
                400,
                40003));
        list.add(new Refusal(
                "revocable key, ttl 2 hours",
                () -> sign(
                        server.revocable,
                        Long.toString(Duration.ofHours(2).toMillis()),
                        null,
                        "alice",
                        System.currentTimeMillis(),
                        nonce()),
                400,
                40003));
        list.add(new Refusal(
                "empty clientId",
                () -> sign(server.full, "600000", CAPABILITY, "", System.currentTimeMillis(), nonce()),
                400,
                40012));
        list.add(new Refusal(
                "unknown key of a known app",
                () -> sign(
                        new ApiKey("test", "nokey", server.full.secret()),
                        "600000",
                        null,
                        null,
                        System.currentTimeMillis(),
                        nonce()),
                401,
                40101));
        list.add(new Refusal(
                "key of an unknown app",
                () -> sign(
                        new ApiKey("noapp", "full", server.full.secret()),
                        "600000",
                        null,
                        null,
                        System.currentTimeMillis(),
                        nonce()),
                401,
                40101));
        return list;
    }

    // ---- raw HTTP ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void requestToken_invalidRequest_refused(Refusal refusal) {
        TokenRequest r = refusal.request().get();
        Http.Response resp = Tokens.post(server, r.keyName(), r.toJson());
        Http.assertAblyError(resp, refusal.status(), refusal.code());
    }

    @Test
    void requestToken_sameRequestTwice_secondRefusedWith40105() {
        TokenRequest r = valid();
        assertThat(Tokens.post(server, r.keyName(), r.toJson()).status()).isEqualTo(200);
        Http.assertAblyError(Tokens.post(server, r.keyName(), r.toJson()), 401, 40105);
    }

    @Test
    void requestToken_heraldAuthRequest_tokenDetails() {
        long before = System.currentTimeMillis();
        TokenRequest r = TokenRequests.create(
                server.full,
                new io.herald.auth.TokenParams()
                        .withClientId("carol")
                        .withCapability("{\"chat:b\":[\"subscribe\"],\"chat:a\":[\"subscribe\",\"publish\"]}")
                        .withTtl(Duration.ofMinutes(5)));
        Http.Response resp = Tokens.post(server, r.keyName(), r.toJson());
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        assertThat(resp.header("Content-Type")).startsWith("application/json");
        assertTokenDetails(
                resp.json(),
                server.full.keyName(),
                "carol",
                "{\"chat:a\":[\"publish\",\"subscribe\"],\"chat:b\":[\"subscribe\"]}",
                300_000,
                before);
    }

    @Test
    void requestToken_noTtlNoCapability_oneHourWithKeyCapability() {
        long before = System.currentTimeMillis();
        TokenRequest r = sign(server.limited, null, null, null, System.currentTimeMillis(), nonce());
        Http.Response resp = Tokens.post(server, r.keyName(), r.toJson());
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        JsonNode d = resp.json();
        assertTokenDetails(d, server.limited.keyName(), null, TestServer.LIMITED_CAPABILITY, 3_600_000, before);
    }

    @Test
    void requestToken_ttlAndTimestampAsStrings_accepted() {
        long ts = System.currentTimeMillis();
        TokenRequest r = sign(server.full, "60000", null, "dave", ts, nonce());
        String body = "{\"keyName\":\"" + r.keyName() + "\",\"ttl\":\"60000\",\"clientId\":\"dave\",\"timestamp\":\""
                + ts + "\",\"nonce\":\"" + r.nonce() + "\",\"mac\":\"" + r.mac() + "\"}";
        Http.Response resp = Tokens.post(server, r.keyName(), body);
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        assertTokenDetails(resp.json(), server.full.keyName(), "dave", "{\"*\":[\"*\"]}", 60_000, ts);
    }

    static Stream<Arguments> widerCapabilities() {
        return Stream.of(
                Arguments.of(
                        "{\"chat:*\":[\"presence\",\"publish\",\"subscribe\"],\"other\":[\"publish\"]}",
                        TestServer.LIMITED_CAPABILITY),
                Arguments.of("{\"*\":[\"*\"]}", TestServer.LIMITED_CAPABILITY),
                Arguments.of("{\"chat:room1\":[\"*\"]}", "{\"chat:room1\":[\"presence\",\"subscribe\"]}"),
                Arguments.of("{\"chat:room1\":[\"publish\",\"subscribe\"]}", "{\"chat:room1\":[\"subscribe\"]}"));
    }

    @ParameterizedTest
    @MethodSource("widerCapabilities")
    void requestToken_capabilityWiderThanKey_narrowedToIntersection(String requested, String granted) {
        TokenRequest r = sign(server.limited, "60000", requested, "erin", System.currentTimeMillis(), nonce());
        Http.Response resp = Tokens.post(server, r.keyName(), r.toJson());
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        assertThat(resp.json().path("capability").asText()).isEqualTo(granted);
    }

    @Test
    void requestToken_unsignedParamsWithBasicAuth_tokenDetails() {
        long before = System.currentTimeMillis();
        Http.Response resp = Http.postJson(
                server.uri("/keys/" + server.full.keyName() + "/requestToken"),
                "{\"clientId\":\"frank\",\"ttl\":120000,\"capability\":\"{\\\"chat:*\\\":[\\\"subscribe\\\"]}\"}",
                "Authorization",
                Http.basic(server.full));
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        assertTokenDetails(
                resp.json(), server.full.keyName(), "frank", "{\"chat:*\":[\"subscribe\"]}", 120_000, before);
    }

    @Test
    void requestToken_unsignedParamsWithoutAuth_refusedWith401() {
        Http.Response resp = Http.postJson(
                server.uri("/keys/" + server.full.keyName() + "/requestToken"),
                "{\"clientId\":\"frank\",\"ttl\":120000}");
        assertThat(resp.status()).as("%s", resp).isEqualTo(401);
        assertThat(Http.assertAblyErrorShape(
                                resp, resp.json().path("error").path("code").asInt())
                        .path("code")
                        .asInt())
                .isBetween(40100, 40199);
    }

    @Test
    void requestToken_unsignedParamsWithWrongBasicAuth_refusedWith40101() {
        ApiKey wrong = new ApiKey("test", "full", ApiKey.generate("test").secret());
        Http.Response resp = Http.postJson(
                server.uri("/keys/" + server.full.keyName() + "/requestToken"),
                "{\"clientId\":\"frank\"}",
                "Authorization",
                Http.basic(wrong));
        Http.assertAblyError(resp, 401, 40101);
    }

    /**
     * TokenDetails (docs/protocol.md §4.7): a token usable as a realtime credential (no ':' and not JSON), the key name, issued (server
     * time, ms) and expires = issued + ttl, the canonical capability, the clientId only when there is one.
     */
    static void assertTokenDetails(
            JsonNode d, String keyName, String clientId, String capability, long ttl, long before) {
        long after = System.currentTimeMillis();
        assertThat(d.path("token").asText())
                .as("token of %s", d)
                .isNotEmpty()
                .doesNotContain(":")
                .doesNotStartWith("{");
        assertThat(d.path("keyName").asText()).as("%s", d).isEqualTo(keyName);
        assertThat(d.path("issued").isIntegralNumber())
                .as("issued is an integer: %s", d)
                .isTrue();
        assertThat(d.path("issued").asLong()).as("issued (ms) of %s", d).isBetween(before - 1000, after + 1000);
        assertThat(d.path("expires").asLong() - d.path("issued").asLong())
                .as("expires - issued of %s", d)
                .isEqualTo(ttl);
        assertThat(d.path("capability").asText()).as("%s", d).isEqualTo(capability);
        if (clientId == null) {
            assertThat(d.path("clientId").isMissingNode() || d.path("clientId").isNull())
                    .as("no clientId: %s", d)
                    .isTrue();
        } else {
            assertThat(d.path("clientId").asText()).as("%s", d).isEqualTo(clientId);
        }
    }

    // ---- ably-js ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_createTokenRequestThenRequestToken_tokenDetails(WireFormat f) {
        long before = System.currentTimeMillis();
        JsonNode r = NodeScript.run(
                "request-token.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "scenario",
                        "create",
                        "key",
                        server.full.keyString(),
                        "params",
                        Map.of(
                                "clientId",
                                "alice",
                                "ttl",
                                600_000,
                                "capability",
                                Map.of("chat:*", List.of("subscribe", "publish")))),
                Duration.ofSeconds(40));
        JsonNode tr = r.path("tokenRequest");
        assertThat(tr.path("keyName").asText()).isEqualTo(server.full.keyName());
        assertThat(tr.path("mac").asText()).isNotEmpty();
        assertTokenDetails(r.path("viaTokenRequest"), server.full.keyName(), "alice", CAPABILITY, 600_000, before);
        assertTokenDetails(r.path("viaKey"), server.full.keyName(), "alice", CAPABILITY, 600_000, before);
        assertThat(r.path("viaKey").path("token").asText())
                .isNotEqualTo(r.path("viaTokenRequest").path("token").asText());
    }

    @Test
    void ablyJs_invalidRequests_refusedWithServerCodes() {
        List<Refusal> cases = refusals();
        List<Object> requests = new ArrayList<>();
        for (Refusal c : cases) {
            requests.add(
                    io.herald.server.e2e.support.Json.parse(c.request().get().toJson()));
        }
        TokenRequest replayed = valid();
        JsonNode replayedJson = io.herald.server.e2e.support.Json.parse(replayed.toJson());
        requests.add(replayedJson);
        requests.add(replayedJson);
        JsonNode results = NodeScript.run(
                "request-token.js",
                Map.of("port", server.port(), "binary", false, "scenario", "post", "requests", requests),
                Duration.ofSeconds(60));
        for (int i = 0; i < cases.size(); i++) {
            JsonNode res = results.get(i);
            assertThat(res.path("error").path("code").asInt())
                    .as("%s: %s", cases.get(i), res)
                    .isEqualTo(cases.get(i).code());
            assertThat(res.path("error").path("statusCode").asInt())
                    .as("%s: %s", cases.get(i), res)
                    .isEqualTo(cases.get(i).status());
        }
        assertThat(results.get(cases.size()).has("details"))
                .as("first use: %s", results.get(cases.size()))
                .isTrue();
        JsonNode replay = results.get(cases.size() + 1);
        assertThat(replay.path("error").path("code").asInt())
                .as("replay: %s", replay)
                .isEqualTo(40105);
        assertThat(replay.path("error").path("statusCode").asInt())
                .as("replay: %s", replay)
                .isEqualTo(401);
    }

    // ---- ably-java ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_requestToken_tokenDetails(WireFormat f) throws Exception {
        long before = System.currentTimeMillis();
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        Auth.TokenParams p = new Auth.TokenParams();
        p.clientId = "alice";
        p.ttl = 600_000;
        p.capability = CAPABILITY;
        Auth.TokenDetails d = rest.auth.requestToken(p, null);
        assertThat(d.token).isNotEmpty().doesNotContain(":");
        assertThat(d.clientId).isEqualTo("alice");
        assertThat(d.capability).isEqualTo(CAPABILITY);
        assertThat(d.issued).isBetween(before - 1000, System.currentTimeMillis() + 1000);
        assertThat(d.expires - d.issued).isEqualTo(600_000);

        // the same through a TokenRequest made by ably-java and handed over by an authCallback
        Auth.TokenRequest tr = rest.auth.createTokenRequest(p, null);
        ClientOptions keyless = AblyJava.options(server, f.binary());
        keyless.authCallback = params -> tr;
        Auth.TokenDetails d2 = AblyJava.rest(keyless).auth.requestToken(null, null);
        assertThat(d2.clientId).isEqualTo("alice");
        assertThat(d2.capability).isEqualTo(CAPABILITY);
        assertThat(d2.token).isNotEqualTo(d.token);
    }

    @Test
    void ablyJava_heraldAuthRequestViaAuthCallback_tokenDetails() throws Exception {
        ClientOptions o = AblyJava.options(server, true);
        o.authCallback = params -> Auth.TokenRequest.fromJson(TokenRequests.create(
                        server.full,
                        new io.herald.auth.TokenParams().withClientId("gina").withCapability(CAPABILITY))
                .toJson());
        Auth.TokenDetails d = AblyJava.rest(o).auth.requestToken(null, null);
        assertThat(d.clientId).isEqualTo("gina");
        assertThat(d.capability).isEqualTo(CAPABILITY);
    }

    @Test
    void ablyJava_invalidRequests_refusedWithServerCodes() {
        for (Refusal c : refusals()) {
            ErrorInfo e = postWithAblyJava(c.request().get().toJson());
            assertThat(e).as("%s should fail", c).isNotNull();
            assertThat(e.code).as("%s: %s", c, e).isEqualTo(c.code());
            assertThat(e.statusCode).as("%s: %s", c, e).isEqualTo(c.status());
        }
        String replayed = valid().toJson();
        assertThat(postWithAblyJava(replayed)).as("first use").isNull();
        ErrorInfo e = postWithAblyJava(replayed);
        assertThat(e).as("replay should fail").isNotNull();
        assertThat(e.code).as("%s", e).isEqualTo(40105);
        assertThat(e.statusCode).as("%s", e).isEqualTo(401);
    }

    /** requestToken through ably-java with an authCallback returning this TokenRequest JSON; the error or null. */
    private static ErrorInfo postWithAblyJava(String tokenRequestJson) {
        ClientOptions o = AblyJava.options(server, false);
        o.authCallback = params -> Auth.TokenRequest.fromJson(tokenRequestJson);
        try {
            AblyJava.rest(o).auth.requestToken(null, null);
            return null;
        } catch (io.ably.lib.types.AblyException ex) {
            return ex.errorInfo;
        }
    }
}
