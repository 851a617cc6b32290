package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.TokenParams;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault control API (docs/faults.md) against a real server, with ably-js as the client: every fault makes the SDK
 * react as Ably documents it (states and error codes), and once it is cleared or used up the client recovers with
 * nothing lost that the protocol promises. The control API refuses app keys, app tokens and anonymous callers, and
 * answers bad input with 4xx Ably errors.
 */
class FaultsIT {
    private static final String CONTROL_TOKEN = "fault-control-token-" + UUID.randomUUID();
    private static final Duration RUN = Duration.ofSeconds(60);

    @RegisterExtension
    static final TestServer server = TestServer.perClass("control:\n  token: \"" + CONTROL_TOKEN + "\"\n");

    private static JsonNode scenario(String name) {
        return scenario(name, false);
    }

    private static JsonNode scenario(String name, boolean binary) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return NodeScript.run(
                "faults.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        false,
                        "scenario",
                        name,
                        "controlToken",
                        CONTROL_TOKEN,
                        "appId",
                        "test",
                        "key",
                        server.full.keyString(),
                        "revocableKey",
                        server.revocable.keyString(),
                        "channel",
                        "faults-" + name + "-" + suffix,
                        "clientId",
                        "client-" + suffix),
                RUN);
    }

    private static String bearer() {
        return "Bearer " + CONTROL_TOKEN;
    }

    private static Http.Response inject(String json, String... auth) {
        return Http.postJson(server.uri("/control/faults"), json, auth);
    }

    private static Http.Response delete(String path, String... headers) {
        HttpRequest.Builder b = Http.request(server.uri(path)).DELETE();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return Http.send(b.build());
    }

    // ---- the SDK's reactions ----

    @Test
    void drop_sdkDisconnectsThenResumesSameConnectionWithNothingLost() {
        JsonNode r = scenario("drop");
        assertThat(r.path("fault").path("applied").asInt()).as("%s", r).isEqualTo(1);
        assertThat(r.path("idAfter").asText())
                .as("resumed: %s", r)
                .isEqualTo(r.path("idBefore").asText());
        assertThat(r.path("received")).extracting(JsonNode::asText).containsExactly("before", "during", "after");
    }

    @Test
    void drop_overMsgpack_sdkResumesWithNothingLost() {
        JsonNode r = scenario("drop", true);
        assertThat(r.path("idAfter").asText())
                .as("resumed: %s", r)
                .isEqualTo(r.path("idBefore").asText());
        assertThat(r.path("received")).extracting(JsonNode::asText).containsExactly("before", "during", "after");
    }

    @Test
    void disconnect_sdkSeesTheChosenErrorThenResumes() {
        JsonNode r = scenario("disconnect");
        assertThat(r.path("disconnected").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(80003);
        assertThat(r.path("disconnected").path("reason").path("message").asText())
                .as("%s", r)
                .contains("go away for a bit");
        assertThat(r.path("idAfter").asText())
                .as("resumed: %s", r)
                .isEqualTo(r.path("idBefore").asText());
        assertThat(r.path("received")).extracting(JsonNode::asText).containsExactly("before", "during", "after");
    }

    @Test
    void failResume_sdkGetsNewConnectionIdWith80008AndReattaches() {
        JsonNode r = scenario("failResume");
        assertThat(r.path("idAfter").asText())
                .as("a new connection: %s", r)
                .isNotEqualTo(r.path("idBefore").asText());
        assertThat(r.path("connected").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(80008);
        assertThat(r.path("errorReason").path("code").asInt()).as("%s", r).isEqualTo(80008);
        assertThat(r.path("resumeFault").path("remaining").asInt()).as("%s", r).isEqualTo(1);
        assertThat(r.path("received")).extracting(JsonNode::asText).contains("after");
    }

    @Test
    void fail_sdkGoesFailedWithTheChosenCodeAndCanConnectAgain() {
        JsonNode r = scenario("fail");
        assertThat(r.path("failed").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(40300);
        assertThat(r.path("failed").path("reason").path("statusCode").asInt())
                .as("%s", r)
                .isEqualTo(403);
    }

    @Test
    void tokenExpire_sdkRenewsThroughItsAuthCallbackAndResumes() {
        JsonNode r = scenario("expire");
        assertThat(r.path("fault").path("applied").asInt()).as("%s", r).isEqualTo(1);
        assertThat(r.path("disconnected").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(40142);
        assertThat(r.path("calls").asInt())
                .as("authCallback called again: %s", r)
                .isGreaterThanOrEqualTo(2);
        assertThat(r.path("idAfter").asText())
                .as("resumed: %s", r)
                .isEqualTo(r.path("idBefore").asText());
    }

    @Test
    void tokenRevoke_sdkIsDisconnectedWith40141AndRenews() {
        JsonNode r = scenario("revoke");
        assertThat(r.path("fault").path("applied").asInt())
                .as("revocable keys: %s", r)
                .isEqualTo(1);
        assertThat(r.path("disconnected").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(40141);
        assertThat(r.path("calls").asInt())
                .as("authCallback called again: %s", r)
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void tokenRequestFail_sdkSeesTheErrorTwiceThenConnects() {
        JsonNode r = scenario("requestFail");
        assertThat(r.path("errors")).as("%s", r).hasSize(2);
        for (JsonNode e : r.path("errors")) {
            assertThat(e.path("code").asInt()).as("%s", r).isEqualTo(50300);
        }
        assertThat(r.path("calls").asInt()).as("%s", r).isEqualTo(3);
        assertThat(r.path("disconnected").path("current").asText()).isEqualTo("disconnected");
    }

    @Test
    void channelDetach_sdkReattachesByItself() {
        JsonNode r = scenario("detach");
        assertThat(r.path("attaching").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(90000);
        assertThat(r.path("received")).extracting(JsonNode::asText).contains("after");
    }

    @Test
    void channelFail_sdkChannelFailsUntilAttachedAgain() {
        JsonNode r = scenario("channelFail");
        assertThat(r.path("failed").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(90000);
        assertThat(r.path("state").asText()).isEqualTo("attached");
        assertThat(r.path("received")).extracting(JsonNode::asText).contains("after");
    }

    @Test
    void channelSuspend_sdkChannelSuspendedUntilTheFaultIsCleared() {
        JsonNode r = scenario("suspend");
        assertThat(r.path("suspended").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(90000);
        assertThat(r.path("state").asText()).isEqualTo("attached");
        assertThat(r.path("received")).extracting(JsonNode::asText).contains("after");
    }

    @Test
    void channelUpdate_sdkEmitsUpdateWithResumedFalse() {
        JsonNode r = scenario("update");
        assertThat(r.path("update").path("resumed").asBoolean(true)).as("%s", r).isFalse();
        assertThat(r.path("update").path("reason").path("code").asInt())
                .as("%s", r)
                .isEqualTo(80020);
        assertThat(r.path("state").asText()).isEqualTo("attached");
    }

    @Test
    void delivery_dropSignalsLossDuplicateDeliversTwiceDelayWaitsInOrder() {
        JsonNode r = scenario("delivery");
        assertThat(r.path("dropUpdate").path("resumed").asBoolean(true))
                .as("a drop is signalled as lost continuity: %s", r)
                .isFalse();
        List<String> received = new ArrayList<>();
        r.path("received").forEach(n -> received.add(n.asText()));
        assertThat(received)
                .as("dropped never arrives, twice twice, the delayed ones in order before what followed")
                .containsExactly("twice", "twice", "late1", "late2", "afterDelay", "last");
        assertThat(r.path("delayMs").asLong()).as("%s", r).isGreaterThanOrEqualTo(650);
    }

    @Test
    void latency_delaysTheConnectionsFramesUntilCleared() {
        JsonNode r = scenario("latency");
        assertThat(r.path("slowMs").asLong()).as("%s", r).isGreaterThanOrEqualTo(750);
        assertThat(r.path("fastMs").asLong()).as("%s", r).isLessThan(750);
        assertThat(r.path("state").asText()).isEqualTo("connected");
    }

    @Test
    void restFail_answersTheChosenErrorNTimesThenNormally() {
        JsonNode r = scenario("restFail");
        assertThat(r.path("errors")).as("%s", r).hasSize(2);
        for (JsonNode e : r.path("errors")) {
            assertThat(e.path("code").asInt()).as("%s", r).isEqualTo(50000);
            assertThat(e.path("statusCode").asInt()).as("%s", r).isEqualTo(500);
        }
        assertThat(r.path("thirdOk").asBoolean()).as("%s", r).isTrue();
    }

    // ---- listing, clearing, expiry ----

    @Test
    void faults_areListedClearedOneByOneAndAllAtOnce() {
        String channel = "listed-" + UUID.randomUUID();
        Http.Response a = inject(
                "{\"kind\":\"delivery.delay\",\"appId\":\"test\",\"channel\":\"" + channel
                        + "\",\"delayMs\":100,\"ttlMs\":600000}",
                "Authorization",
                bearer());
        assertThat(a.status()).as("%s", a).isEqualTo(201);
        String id = a.json().path("id").asText();
        assertThat(a.json().path("expiresAt").asLong()
                        - a.json().path("createdAt").asLong())
                .isEqualTo(600_000);
        Http.Response b =
                inject("{\"kind\":\"rest.fail\",\"appId\":\"test\",\"path\":\"/stats\"}", "Authorization", bearer());
        assertThat(b.status()).as("%s", b).isEqualTo(201);
        assertThat(b.json().path("remaining").asInt()).isEqualTo(1);
        assertThat(b.json().path("ttlLeftMs").asLong()).isBetween(1L, 60_000L);

        JsonNode list = Http.get(server.uri("/control/faults?appId=test"), "Authorization", bearer())
                .json();
        assertThat(list.path("faults").findValuesAsText("id"))
                .contains(id, b.json().path("id").asText());

        assertThat(delete("/control/faults/" + id, "Authorization", bearer()).status())
                .isEqualTo(204);
        Http.assertAblyError(delete("/control/faults/" + id, "Authorization", bearer()), 404, 40400);
        Http.Response all = delete("/control/faults", "Authorization", bearer());
        assertThat(all.status()).as("%s", all).isEqualTo(200);
        assertThat(all.json().path("cleared").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(Http.get(server.uri("/control/faults"), "Authorization", bearer())
                        .json()
                        .path("faults"))
                .isEmpty();
    }

    @Test
    void restFault_isUsedUpAndThenGoneFromTheList() {
        Http.Response f = inject(
                "{\"kind\":\"rest.fail\",\"appId\":\"test\",\"method\":\"GET\",\"path\":\"/time\",\"count\":1,"
                        + "\"error\":{\"code\":42910,\"statusCode\":429,\"message\":\"slow down (test)\"}}",
                "Authorization",
                bearer());
        assertThat(f.status()).as("%s", f).isEqualTo(201);
        // /time needs no credentials: the request's app cannot be told, so the fault of app test applies
        Http.assertAblyError(Http.get(server.uri("/time")), 429, 42910);
        assertThat(Http.get(server.uri("/time")).status()).isEqualTo(200);
        assertThat(Http.get(server.uri("/control/faults"), "Authorization", bearer())
                        .json()
                        .path("faults")
                        .findValuesAsText("id"))
                .doesNotContain(f.json().path("id").asText());
    }

    // ---- hostile callers and input ----

    @Test
    void controlApi_refusesNoCredentialsAppKeyAndAppToken() {
        String body = "{\"kind\":\"connection.drop\",\"appId\":\"test\"}";
        String token = Tokens.token(server, server.full, new TokenParams());
        List<Http.Response> refused = List.of(
                inject(body),
                inject(body, "Authorization", Http.basic(server.full)),
                inject(body, "Authorization", Http.bearerBase64(token)),
                inject(body, "Authorization", "Bearer " + token),
                inject(body, "Authorization", "Bearer " + CONTROL_TOKEN + "x"),
                Http.get(server.uri("/control/faults")),
                Http.get(server.uri("/control/faults"), "Authorization", Http.basic(server.full)),
                delete("/control/faults", "Authorization", Http.bearerBase64(token)));
        for (Http.Response r : refused) {
            Http.assertAblyError(r, 401, 40100);
            assertThat(r.header("WWW-Authenticate")).as("%s", r).contains("Bearer");
        }
        assertThat(Http.get(server.uri("/control/faults"), "Authorization", bearer())
                        .json()
                        .path("faults")
                        .findValuesAsText("kind"))
                .as("nothing was injected")
                .doesNotContain("connection.drop");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[1,2]",
                "{}",
                "{\"kind\":\"connection.explode\",\"appId\":\"test\"}",
                "{\"kind\":\"connection.drop\"}",
                "{\"kind\":\"connection.drop\",\"appId\":\"test\",\"bogus\":1}",
                "{\"kind\":\"connection.drop\",\"appId\":\"test\",\"ttlMs\":0}",
                "{\"kind\":\"connection.drop\",\"appId\":\"test\",\"ttlMs\":99999999999}",
                "{\"kind\":\"connection.drop\",\"appId\":\"test\",\"count\":3}",
                "{\"kind\":\"connection.latency\",\"appId\":\"test\"}",
                "{\"kind\":\"connection.latency\",\"appId\":\"test\",\"delayMs\":-5}",
                "{\"kind\":\"delivery.drop\",\"appId\":\"test\"}",
                "{\"kind\":\"token.revoke\",\"appId\":\"test\"}",
                "{\"kind\":\"rest.fail\",\"appId\":\"test\",\"path\":\"/control/faults\"}",
                "{\"kind\":\"rest.fail\",\"appId\":\"test\",\"path\":\"/x\",\"method\":\"BREW\"}",
                "{\"kind\":\"rest.fail\",\"appId\":\"test\",\"path\":\"/x\",\"count\":100000}",
                "{\"kind\":\"channel.fail\",\"appId\":\"test\",\"channel\":\"c\",\"error\":{\"code\":\"x\"}}",
                "{\"kind\":\"channel.fail\",\"appId\":\"test\",\"channel\":\"c\",\"error\":{\"code\":40000,\"statusCode\":200}}",
                "{\"kind\":\"channel.fail\",\"appId\":\"test\",\"channel\":\"c\",\"error\":{\"code\":40000,\"x\":1}}",
                "{\"kind\":\"connection.drop\",\"appId\":\"nosuchapp\"}"
            })
    void badInput_isA4xxAblyErrorNeverA5xx(String body) {
        Http.Response r = inject(body, "Authorization", bearer());
        Http.assertClientError(r);
        assertThat(r.json().path("error").path("message").asText()).as("%s", r).isNotBlank();
    }

    @Test
    void oversizedBody_isRefusedWith400() {
        String big = "{\"kind\":\"connection.drop\",\"appId\":\"test\",\"clientId\":\"" + "x".repeat(20_000) + "\"}";
        Http.Response r = Http.post(
                server.uri("/control/faults"),
                "application/json",
                big.getBytes(StandardCharsets.UTF_8),
                "Authorization",
                bearer());
        assertThat(r.status()).as("%s", r).isBetween(400, 499);
    }

    @Test
    void tooManyFaults_areRefusedWith429() {
        String channel = "many-" + UUID.randomUUID();
        int created = 0;
        Http.Response last = null;
        for (int i = 0; i < 120; i++) {
            last = inject(
                    "{\"kind\":\"delivery.duplicate\",\"appId\":\"test\",\"channel\":\"" + channel + "\"}",
                    "Authorization",
                    bearer());
            if (last.status() != 201) {
                break;
            }
            created++;
        }
        try {
            assertThat(created).isLessThanOrEqualTo(100);
            Http.assertAblyError(last, 429, 42910);
        } finally {
            delete("/control/faults?appId=test", "Authorization", bearer());
        }
    }

    @Test
    void controlApi_isAbsentWithoutAControlTokenOrSandbox() {
        try (TestServer plain = TestServer.start()) {
            Http.assertAblyError(Http.get(plain.uri("/control/faults"), "Authorization", bearer()), 404, 40400);
        }
    }

    @Test
    void controlApi_inSandboxModeExistsBehindAGeneratedToken() {
        try (TestServer sandbox = TestServer.start("sandbox: true")) {
            Http.assertAblyError(Http.get(sandbox.uri("/control/faults")), 401, 40100);
            Http.assertAblyError(
                    Http.get(sandbox.uri("/control/faults"), "Authorization", Http.basic(sandbox.full)), 401, 40100);
            Http.assertAblyError(Http.get(sandbox.uri("/control/faults"), "Authorization", bearer()), 401, 40100);
        }
    }
}
