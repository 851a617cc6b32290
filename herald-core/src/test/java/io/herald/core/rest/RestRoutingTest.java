package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import io.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST route table and the answer shaping every route shares: 404 and 405 (with {@code Allow}), HEAD and the CORS
 * preflight, CORS and server headers, the {@code envelope=json} form, the response format from {@code Accept}, Ably
 * error headers, health and time, and routes mounted by the transport.
 */
class RestRoutingTest {
    private final ApiKey key = ApiKey.generate("app");
    private final TestNode t = new TestNode(new AppConfig("app", List.of(KeyConfig.fullAccess(key))));

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void unknownPath_is404WithAblyErrorHeadersAndJsonBody() {
        Response r = t.get("/nope/nothing").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo(40400);
        assertThat(r.errorMessage()).isEqualTo("Not found: GET /nope/nothing");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Ably-Errormessage")).isEqualTo("Not found: GET /nope/nothing");
        assertThat(r.header("X-Ably-Serverid")).isEqualTo(TestNode.SERVER_ID);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.header("Access-Control-Expose-Headers")).contains("X-Ably-Errorcode", "Link");
        assertThat(t.observer.events()).contains("rest GET other 404", "authFailed 40400");
    }

    @Test
    void unknownPath_longPathIsTruncatedInTheMessage_andHeaderIsPrintableAscii() {
        String path = "/" + "é".repeat(300);
        Response r = t.get(path).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorMessage())
                .hasSize("Not found: GET ".length() + 200 + 1)
                .endsWith("…");
        assertThat(r.header("X-Ably-Errormessage"))
                .matches("[\\x20-\\x7e]+")
                .contains("??")
                .hasSizeLessThanOrEqualTo(512);
    }

    @Test
    void pathWithoutLeadingSlash_is400() {
        Response r = t.get("time").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo(40000);
        assertThat(r.errorMessage()).isEqualTo("Invalid path");
        assertThat(t.request("GET", "").send().status()).isEqualTo(400);
    }

    @Test
    void knownPathWithOtherMethod_is405WithTheAllowedMethods() {
        Response r = t.request("DELETE", "/channels/room/messages").send();
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.errorCode()).isEqualTo(40500);
        assertThat(r.header("Allow")).isEqualTo("POST, GET, HEAD, OPTIONS");
        assertThat(r.errorMessage()).contains("Method DELETE not allowed on /channels/{name}/messages");
        assertThat(t.observer.events()).contains("rest DELETE /channels/{name}/messages 405");

        Response put = t.request("PUT", "/time").send();
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void head_isAnsweredByTheGetRoute() {
        Response r = t.request("HEAD", "/time").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get(0).asLong()).isEqualTo(t.clock.millis());
    }

    @Test
    void options_isThePreflight_onAnyPath_withoutEnvelope() {
        Response r = t.request("OPTIONS", "/channels/x/messages")
                .query("envelope", "json")
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Headers", "X-Custom")
                .send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.raw().body()).isEmpty();
        assertThat(r.header("Access-Control-Allow-Methods")).contains("GET", "POST", "DELETE", "OPTIONS");
        assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("X-Custom");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("86400");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(r.header("Vary")).isEqualTo("Origin");
        assertThat(t.observer.events()).contains("rest OPTIONS /channels/{name}/messages 204");

        Response plain = t.request("OPTIONS", "/whatever").send();
        assertThat(plain.header("Access-Control-Allow-Headers")).contains("Authorization", "X-Ably-Version");
        assertThat(t.observer.events()).contains("rest OPTIONS other 204");
    }

    @Test
    void time_answersTheClock_inJsonOrMsgpackAsAccepted() {
        Response json = t.get("/time").send();
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Content-Type")).isEqualTo("application/json");
        assertThat(json.json().get(0).asLong()).isEqualTo(t.clock.millis());

        Response msgpack =
                t.get("/time").header("Accept", "application/x-msgpack").send();
        assertThat(msgpack.header("Content-Type")).contains("msgpack");
        assertThat(msgpack.json().get(0).asLong()).isEqualTo(t.clock.millis());

        Response both = t.get("/time")
                .header("Accept", "application/json, application/x-msgpack")
                .send();
        assertThat(both.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void envelope_wrapsSuccessAndError_andKeepsLinksAndAblyHeaders() {
        Response ok = t.get("/time").query("envelope", "json").send();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("statusCode").asInt()).isEqualTo(200);
        assertThat(ok.json().get("response").get(0).asLong()).isEqualTo(t.clock.millis());

        Response err = t.get("/stats").query("envelope", "json").send();
        assertThat(err.status()).isEqualTo(200);
        assertThat(err.json().get("statusCode").asInt()).isEqualTo(401);
        assertThat(err.json().get("response").get("error").get("code").asInt()).isEqualTo(40101);
        assertThat(err.header("X-Ably-Errorcode")).isEqualTo("40101");
        // browser ably-js reads an enveloped error's code only when the envelope's headers name it
        assertThat(err.json().get("headers").get("x-ably-errorcode").asText()).isEqualTo("40101");
        assertThat(err.json().get("headers").get("x-ably-errormessage").asText())
                .isEqualTo(err.header("X-Ably-Errormessage"));

        t.post("/channels/room/messages", "{\"data\":\"x\"}").basic(key).send();
        Response history = t.get("/channels/room/messages")
                .query("envelope", "json")
                .header("Accept", "application/x-msgpack")
                .basic(key)
                .send();
        assertThat(history.header("Content-Type")).isEqualTo("application/json");
        assertThat(history.json().get("response").get(0).get("data").asText()).isEqualTo("x");
        assertThat(history.json().get("headers").get("link").asText()).contains("rel=\"first\"", "rel=\"current\"");

        Response empty =
                t.request("DELETE", "/apps/x").query("envelope", "json").send();
        assertThat(empty.json().get("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    void health_liveAlways_readyWhenEngineAndKeys() {
        assertThat(t.get("/health/live").send().json().get("status").asText()).isEqualTo("live");
        Response ready = t.get("/health/ready").send();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().toString())
                .isEqualTo("{\"status\":\"ready\",\"engine\":\"reachable\",\"keys\":\"loaded\"}");

        try (TestNode empty = new TestNode()) {
            Response notReady = empty.get("/health/ready").send();
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().get("status").asText()).isEqualTo("not ready");
            assertThat(notReady.json().get("keys").asText()).isEqualTo("none");
        }
    }

    @Test
    void credentials_everyFormAndEveryRefusal() {
        assertThat(t.get("/stats").basic(key).send().status()).isEqualTo(200);
        assertThat(t.get("/stats").query("key", key.keyString()).send().status())
                .isEqualTo(200);
        String token = t.token(key, null, null, java.time.Duration.ofMinutes(5));
        assertThat(t.get("/stats").query("access_token", token).send().status()).isEqualTo(200);
        assertThat(t.get("/stats").query("accessToken", token).send().status()).isEqualTo(200);
        assertThat(t.get("/stats").bearer(token).send().status()).isEqualTo(200);

        Response none = t.get("/stats").send();
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorMessage()).startsWith("No authentication information provided");
        Response digest = t.get("/stats").header("Authorization", "Digest abc").send();
        assertThat(digest.errorCode()).isEqualTo(40101);
        assertThat(digest.errorMessage()).isEqualTo("Unsupported Authorization scheme 'Digest'");
        Response notBase64 =
                t.get("/stats").header("Authorization", "Basic !!!").send();
        assertThat(notBase64.errorCode()).isEqualTo(40101);
        assertThat(notBase64.errorMessage()).contains("not base64");
        Response badKey =
                t.get("/stats").query("key", "app.nokey:" + "s".repeat(40)).send();
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(badKey.errorMessage()).isEqualTo(io.herald.core.security.Authenticator.UNKNOWN_CREDENTIALS);
        assertThat(t.observer.events("authFailed")).hasSize(4);
    }

    @Test
    void corsWithOrigin_echoesTheOriginOnEveryAnswer() {
        Response r = t.get("/time").header("Origin", "https://site.example").send();
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://site.example");
        assertThat(r.header("Vary")).isEqualTo("Origin");
    }

    @Test
    void transportError_hasAblyCorsAndServerHeaders() {
        RestResponse r =
                t.node.transportError(ErrorCode.MESSAGE_TOO_LARGE.info("Request body too large"), "https://o.example");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.firstHeader("X-Ably-Errorcode")).isEqualTo("40009");
        assertThat(r.firstHeader("Access-Control-Allow-Origin")).isEqualTo("https://o.example");
        assertThat(r.firstHeader("X-Ably-Serverid")).isEqualTo(TestNode.SERVER_ID);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"code\":40009", "Request body too large");
        assertThat(t.node.transportError(ErrorCode.BAD_REQUEST.info("x"), null)
                        .firstHeader("Access-Control-Allow-Origin"))
                .isEqualTo("*");
    }

    @Test
    void mountedRoute_isAnsweredBare_andStillGets405ForOtherMethods() {
        t.node.mountRoute(
                "GET",
                "/metrics",
                req -> CompletableFuture.completedFuture(new RestResponse(
                        200, "text/plain", ("scrape " + req.path()).getBytes(StandardCharsets.UTF_8))));
        Response r = t.get("/metrics").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("scrape /metrics");
        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        assertThat(r.header("X-Ably-Serverid")).isNull();
        assertThat(t.observer.events("rest")).isEmpty();
        assertThat(t.request("POST", "/metrics").send().header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(t.node.routes()).contains("GET /metrics");
    }

    @Test
    void routes_listTheAblyApi_andTheSandboxOnlyWhenOn() {
        assertThat(t.node.routes())
                .contains(
                        "GET /time",
                        "POST /keys/{keyName}/requestToken",
                        "POST /channels/{name}/messages",
                        "GET /channels/{name}/history",
                        "POST /messages",
                        "GET /presence",
                        "GET /health/ready")
                .doesNotContain("POST /apps", "DELETE /apps/{id}");
        try (TestNode sandbox = new TestNode(TestNode.sandbox(TestNode.config()))) {
            assertThat(sandbox.node.routes()).contains("POST /apps", "DELETE /apps/{id}", "POST /stats");
        }
        assertThat(t.request("POST", "/apps").send().status()).isEqualTo(404);
    }
}
