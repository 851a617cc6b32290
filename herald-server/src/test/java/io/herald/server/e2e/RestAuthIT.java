package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Param;
import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import io.herald.server.e2e.support.WireFormat;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * REST basics and credentials (docs/protocol.md §4.2, §4.9, §10.1, §10.3, §10.4): {@code GET /time}, CORS for browsers,
 * bearer tokens raw and base64, and Ably JWTs on REST and realtime (accepted, expired 40142, unknown app answered
 * like a wrong signature, 40144).
 */
class RestAuthIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ORIGIN = "https://app.example.com:8443";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    // ---- /time ----

    @Test
    void time_get_jsonArrayWithServerTimeMs() {
        long before = System.currentTimeMillis();
        Http.Response r = Http.get(server.uri("/time"), "Accept", "application/json");
        long after = System.currentTimeMillis();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.isArray() && body.size() == 1 && body.get(0).isIntegralNumber())
                .as("%s", r)
                .isTrue();
        assertThat(body.get(0).asLong()).isBetween(before - 1000, after + 1000);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_time_serverTime(WireFormat f) throws Exception {
        long before = System.currentTimeMillis();
        long t = AblyJava.rest(AblyJava.withKey(server, f.binary(), server.full.keyString()))
                .time();
        assertThat(t).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    }

    // ---- CORS (docs/protocol.md §10.4) ----

    @Test
    void preflight_fromBrowserOrigin_204AllowingOriginCredentialsAndHeaders() {
        Http.Response r = Http.send(Http.request(server.uri("/channels/chat:cors/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-ably-version,ably-agent")
                .build());
        assertThat(r.status()).as("%s", r).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(lowerList(r.header("Access-Control-Allow-Methods"))).contains("get", "post");
        assertThat(lowerList(r.header("Access-Control-Allow-Headers")))
                .contains("authorization", "content-type", "x-ably-version", "ably-agent");
    }

    @Test
    void get_fromBrowserOrigin_originEchoedWithCredentialsAndExposedHeaders() {
        Http.Response r = Http.get(server.uri("/time"), "Origin", ORIGIN);
        assertThat(r.status()).isEqualTo(200);
        assertCors(r);
    }

    @Test
    void errorResponse_fromBrowserOrigin_corsHeadersSoTheBrowserCanReadTheCode() {
        Http.Response r = Http.get(
                server.uri("/channels/chat:cors/messages"), "Origin", ORIGIN, "Authorization", "Bearer nonsense-token");
        assertThat(r.status()).isEqualTo(401);
        Http.assertClientError(r);
        assertCors(r);
    }

    @Test
    void requestToken_fromBrowserOrigin_corsHeaders() {
        Http.Response r = Http.send(Http.request(server.uri("/keys/" + server.full.keyName() + "/requestToken"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        Tokens.signed(server.full, null).toJson()))
                .header("Content-Type", "application/json")
                .header("Origin", ORIGIN)
                .build());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertCors(r);
    }

    private static void assertCors(Http.Response r) {
        assertThat(r.header("Access-Control-Allow-Origin")).as("%s", r).isEqualTo(ORIGIN);
        assertThat(r.header("Access-Control-Allow-Credentials")).as("%s", r).isEqualTo("true");
        assertThat(lowerList(r.header("Access-Control-Expose-Headers")))
                .as("%s", r)
                .contains("link", "x-ably-errorcode", "x-ably-errormessage");
    }

    private static List<String> lowerList(String header) {
        assertThat(header).as("header present").isNotNull();
        return Arrays.stream(header.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .toList();
    }

    // ---- bearer tokens (docs/protocol.md §4.2) ----

    private static Http.Response history(String authorization) {
        return Http.get(server.uri("/channels/chat:bearer/messages"), "Authorization", authorization);
    }

    @Test
    void bearer_tokenBase64_accepted() {
        String token = Tokens.token(server, server.full, "alice", Duration.ofMinutes(5));
        Http.Response r = history(Http.bearerBase64(token));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @Test
    void bearer_tokenRaw_accepted() {
        String token = Tokens.token(server, server.full, "alice", Duration.ofMinutes(5));
        Http.Response r = history("Bearer " + token);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @Test
    void bearer_unknownToken_refusedWithTokenError() {
        Http.Response r = history(Http.bearerBase64("test.notATokenThisServerIssued"));
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(Http.assertClientError(r).path("code").asInt())
                .as("a token error (40140-40149) so SDKs renew: %s", r)
                .isBetween(40140, 40149);
    }

    @Test
    void bearer_forgedToken_refusedWith401() {
        String forged =
                Tokens.forgeClientId(Tokens.token(server, server.full, "alice", Duration.ofMinutes(5)), "admin");
        Http.Response r = history(Http.bearerBase64(forged));
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(Http.assertClientError(r).path("code").asInt()).as("%s", r).isBetween(40100, 40199);
    }

    @Test
    void bearer_expiredToken_refusedWith40142() {
        Http.assertAblyError(history(Http.bearerBase64(ConnectionIT.expiredTokenOf(server))), 401, 40142);
    }

    // ---- JWT (docs/protocol.md §4.9) ----

    private static String jwt(ApiKey key, String clientId, Duration ttl) {
        return AblyJwt.mint(key, clientId, null, ttl, null, Clock.systemUTC());
    }

    private static String expiredJwt() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        return AblyJwt.mint(server.full, "alice", null, Duration.ofHours(1), null, past);
    }

    private static String unknownAppJwt() {
        return jwt(new ApiKey("noapp", "key1", ApiKey.generate("noapp").secret()), "alice", Duration.ofMinutes(5));
    }

    @Test
    void jwt_restBearerBase64AndRaw_accepted() {
        String jwt = jwt(server.full, "alice", Duration.ofMinutes(5));
        assertThat(history(Http.bearerBase64(jwt)).status()).isEqualTo(200);
        assertThat(history("Bearer " + jwt).status()).isEqualTo(200);
    }

    @Test
    void jwt_restExpired_refusedWith40142() {
        Http.assertAblyError(history(Http.bearerBase64(expiredJwt())), 401, 40142);
    }

    @Test
    void jwt_restUnknownApp_refusedWith404AsOnAbly_unknownKeyLikeAWrongSignature() {
        // 404 / 40400 is final for an SDK; a 401 token error would make it fetch the same bad JWT again and again
        Http.assertAblyError(history(Http.bearerBase64(unknownAppJwt())), 404, 40400);
        String unknownKey =
                jwt(new ApiKey("test", "noSuchKey", ApiKey.generate("test").secret()), "alice", Duration.ofMinutes(5));
        Http.assertAblyError(history(Http.bearerBase64(unknownKey)), 401, 40144);
    }

    @Test
    void jwt_restWrongSignature_refusedWith401() {
        String forged =
                jwt(new ApiKey("test", "full", ApiKey.generate("test").secret()), "alice", Duration.ofMinutes(5));
        Http.Response r = history(Http.bearerBase64(forged));
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        Http.assertClientError(r);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void jwt_realtimeExpired_refusedWith40142(WireFormat f) {
        ConnectionIT.assertConnectRefusedWith40142(server, f, expiredJwt());
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void jwt_realtimeWrongSignature_errorWith401(WireFormat f) {
        String forged =
                jwt(new ApiKey("test", "full", ApiKey.generate("test").secret()), "alice", Duration.ofMinutes(5));
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(forged) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isEqualTo(401);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isBetween(40100, 40199);
            ws.awaitClosed(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void jwt_realtimeUnknownApp_errorWith40400(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(unknownAppJwt()) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isEqualTo(40400);
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isEqualTo(404);
            ws.awaitClosed(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_jwtOnRestAndRealtime_accepted(WireFormat f) throws Exception {
        String jwt = jwt(server.full, "jwt-user", Duration.ofMinutes(5));
        ClientOptions o = AblyJava.options(server, f.binary());
        o.token = jwt;
        AblyRest rest = AblyJava.rest(o);
        String channel = "chat:jwt-" + f;
        assertThat(rest.channels.get(channel).history(new Param[0]).items()).isEmpty();
        AblyRealtime rt = AblyJava.connect(o);
        try {
            assertThat(rt.auth.clientId).isEqualTo("jwt-user");
            AblyJava.attach(rt.channels.get(channel));
            AblyJava.publish(rt.channels.get(channel), "hello", "from a JWT client");
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_jwtOnRealtime_connected(WireFormat f) {
        Map<String, Object> in =
                new HashMap<>(Map.of("port", server.port(), "binary", f.binary(), "expect", "connected"));
        in.put("token", jwt(server.full, "jwt-js", Duration.ofMinutes(5)));
        JsonNode r = NodeScript.run("connection.js", in, Duration.ofSeconds(30));
        assertThat(r.path("clientId").asText()).as("%s", r).isEqualTo("jwt-js");
    }
}
