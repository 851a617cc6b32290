package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import io.herald.server.e2e.support.WireFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The authentication surface against hostile callers: a token cannot mint tokens (40162), a JWT cannot escape
 * revocation through a future {@code iat} (40104) or an unbounded lifetime (40003), and an unknown app, an unknown key
 * and a wrong secret get the very same answer so app ids and key names cannot be enumerated.
 */
class AuthHardeningIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static Http.Response unsignedRequestToken(ApiKey pathKey, String body, String authorization) {
        return Http.postJson(
                server.uri("/keys/" + pathKey.keyName() + "/requestToken"), body, "Authorization", authorization);
    }

    private static Http.Response history(String authorization) {
        return Http.get(server.uri("/channels/chat:hardening/messages"), "Authorization", authorization);
    }

    private static String jwt(ApiKey key, String clientId, Duration ttl, String revocationKey, Clock clock) {
        return AblyJwt.mint(key, clientId, null, ttl, revocationKey, clock);
    }

    // ---- a token cannot mint tokens ----

    @Test
    void unsignedRequestToken_withWildcardShortToken_refusedWith40162() {
        String parent = Tokens.token(server, server.full, "*", Duration.ofSeconds(60));
        Http.Response r = unsignedRequestToken(
                server.full, "{\"clientId\":\"anyone-else\",\"ttl\":86400000}", Http.bearerBase64(parent));
        Http.assertAblyError(r, 401, 40162);
    }

    @Test
    void unsignedRequestToken_withAnonymousToken_refusedWith40162() {
        String parent = Tokens.token(server, server.full, null, Duration.ofSeconds(60));
        Http.assertAblyError(unsignedRequestToken(server.full, "{}", Http.bearerBase64(parent)), 401, 40162);
    }

    @Test
    void unsignedRequestToken_withRevocableJwt_refusedWith40162_soNoChildEscapesItsRevocation() {
        String parent =
                jwt(server.revocable, "bob", Duration.ofMinutes(5), "rk-" + UUID.randomUUID(), Clock.systemUTC());
        Http.assertAblyError(
                unsignedRequestToken(server.revocable, "{\"clientId\":\"bob\"}", Http.bearerBase64(parent)),
                401,
                40162);
    }

    @Test
    void unsignedRequestToken_withBasicKey_stillIssues() {
        Http.Response r =
                unsignedRequestToken(server.full, "{\"clientId\":\"alice\",\"ttl\":60000}", Http.basic(server.full));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("clientId").asText()).isEqualTo("alice");
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_tokenAuthClientPostingRequestToken_refusedWith40162(WireFormat f) {
        String parent = Tokens.token(server, server.full, "*", Duration.ofSeconds(60));
        JsonNode r = NodeScript.run(
                "request-token.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "scenario",
                        "withToken",
                        "token",
                        parent,
                        "keyName",
                        server.full.keyName(),
                        "params",
                        Map.of("clientId", "mallory", "ttl", 86_400_000)),
                Duration.ofSeconds(30));
        assertThat(r.path("statusCode").asInt()).as("%s", r).isEqualTo(401);
        assertThat(r.path("errorCode").asInt()).as("%s", r).isEqualTo(40162);
    }

    // ---- JWT times: no escape from revocation ----

    @Test
    void jwt_iatFarInTheFuture_refusedWith40104() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30));
        String future = jwt(server.revocable, "carol", Duration.ofMinutes(10), null, ahead);
        Http.assertAblyError(history(Http.bearerBase64(future)), 401, 40104);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void jwt_iatFarInTheFuture_realtimeRefusedWith40104(WireFormat f) {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30));
        String future = jwt(server.revocable, "carol", Duration.ofMinutes(10), null, ahead);
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(future) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isEqualTo(40104);
            ws.awaitClosed(WAIT);
        }
    }

    @Test
    void jwt_iatWithinClockSkew_accepted() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(20));
        String nearFuture = jwt(server.full, "dave", Duration.ofMinutes(10), null, ahead);
        assertThat(history(Http.bearerBase64(nearFuture)).status()).isEqualTo(200);
    }

    @Test
    void jwt_lifetimeBeyondTheMaximumTokenTtl_refusedWith40003() {
        String forever = jwt(server.revocable, "erin", Duration.ofDays(3650), null, Clock.systemUTC());
        Http.assertAblyError(history(Http.bearerBase64(forever)), 400, 40003);
    }

    @Test
    void jwt_lifetimeOfTheMaximumTokenTtl_accepted() {
        String day = jwt(server.revocable, "erin", Duration.ofHours(24), null, Clock.systemUTC());
        assertThat(history(Http.bearerBase64(day)).status()).isEqualTo(200);
    }

    // ---- no enumeration of apps and keys ----

    private static void assertSameAnswer(List<Http.Response> answers) {
        Http.Response first = answers.get(0);
        JsonNode firstError = Http.assertAblyErrorShape(
                first, first.json().path("error").path("code").asInt());
        for (Http.Response r : answers) {
            assertThat(r.status()).as("status of %s vs %s", r, first).isEqualTo(first.status());
            JsonNode error = r.json().path("error");
            assertThat(error.path("code").asInt())
                    .as("code of %s vs %s", r, first)
                    .isEqualTo(firstError.path("code").asInt());
            assertThat(error.path("message").asText())
                    .as("message of %s vs %s", r, first)
                    .isEqualTo(firstError.path("message").asText());
            assertThat(r.header("X-Ably-Errormessage")).isEqualTo(first.header("X-Ably-Errormessage"));
        }
    }

    @Test
    void basicAuth_unknownAppUnknownKeyWrongSecret_identicalAnswers() {
        String secret = ApiKey.generate("x").secret();
        List<Http.Response> answers = List.of(
                history(Http.basic(new ApiKey("noSuchApp", "full", secret))),
                history(Http.basic(new ApiKey("test", "noSuchKey", secret))),
                history(Http.basic(new ApiKey("test", "full", secret))));
        Http.assertAblyError(answers.get(0), 401, 40101);
        assertSameAnswer(answers);
    }

    @Test
    void signedTokenRequest_unknownAppUnknownKeyWrongMac_identicalAnswers() {
        String secret = ApiKey.generate("x").secret();
        TokenParams p = new TokenParams();
        p.clientId = "alice";
        List<Http.Response> answers = new java.util.ArrayList<>();
        for (ApiKey k : List.of(
                new ApiKey("noSuchApp", "full", secret),
                new ApiKey("test", "noSuchKey", secret),
                new ApiKey("test", "full", secret))) {
            answers.add(Tokens.post(server, k.keyName(), Tokens.signed(k, p).toJson()));
        }
        Http.assertAblyError(answers.get(0), 401, 40101);
        assertSameAnswer(answers);
    }

    @Test
    void jwt_unknownKeyWrongSecret_identicalAnswers_unknownApp404() {
        String secret = ApiKey.generate("x").secret();
        List<Http.Response> answers = new java.util.ArrayList<>();
        for (ApiKey k : List.of(new ApiKey("test", "noSuchKey", secret), new ApiKey("test", "full", secret))) {
            answers.add(history(Http.bearerBase64(jwt(k, "frank", Duration.ofMinutes(5), null, Clock.systemUTC()))));
        }
        assertThat(answers.get(0).status()).isEqualTo(401);
        assertSameAnswer(answers);
        // a token naming an app that does not exist is final, as on Ably (docs/security.md, "No enumeration")
        Http.assertAblyError(
                history(Http.bearerBase64(jwt(
                        new ApiKey("noSuchApp", "full", secret),
                        "frank",
                        Duration.ofMinutes(5),
                        null,
                        Clock.systemUTC()))),
                404,
                40400);
    }
}
