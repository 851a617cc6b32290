package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code POST /keys/{keyName}/revokeTokens} (docs/protocol.md §4.12; SPEC RSA17): a revoked token is
 * refused on REST with 40141 and its realtime connection gets DISCONNECTED 40141 at once; token auth gets 40162; a key
 * without revocable tokens cannot revoke.
 */
class RevocationIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static String freshClientId() {
        return "user-" + UUID.randomUUID();
    }

    private static Http.Response history(String token) {
        return Http.get(server.uri("/channels/chat:revocation/messages"), "Authorization", Http.bearerBase64(token));
    }

    private static Http.Response revoke(String clientId, String... authorization) {
        return Http.postJson(
                server.uri("/keys/" + server.revocable.keyName() + "/revokeTokens"),
                "{\"targets\":[\"clientId:" + clientId + "\"]}",
                authorization);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void revokeTokens_clientIdTarget_restRefusedAndRealtimeDisconnectedWith40141(WireFormat f) {
        String clientId = freshClientId();
        String token = Tokens.token(server, server.revocable, clientId, Duration.ofMinutes(10));
        assertThat(history(token).status())
                .as("the token works before revocation")
                .isEqualTo(200);
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(token) + "&format=" + f.param())) {
            ws.awaitAction(4, WAIT);
            long before = System.nanoTime();
            Http.Response r = revoke(clientId, "Authorization", Http.basic(server.revocable));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.path("successCount").asInt()).as("%s", body).isEqualTo(1);
            assertThat(body.path("failureCount").asInt()).as("%s", body).isEqualTo(0);
            JsonNode result = body.path("results").path(0);
            assertThat(result.path("target").asText()).as("%s", body).isEqualTo("clientId:" + clientId);
            assertThat(result.path("issuedBefore").isIntegralNumber())
                    .as("%s", body)
                    .isTrue();
            assertThat(result.path("appliesAt").isIntegralNumber())
                    .as("%s", body)
                    .isTrue();

            RawWs.Frame d = ws.awaitAction(6, Duration.ofSeconds(1).plusMillis(200));
            long ms = (System.nanoTime() - before) / 1_000_000;
            assertThat(d.message().path("error").path("code").asInt())
                    .as("%s", d)
                    .isEqualTo(40141);
            assertThat(d.message().path("error").path("statusCode").asInt())
                    .as("%s", d)
                    .isEqualTo(401);
            assertThat(ms)
                    .as("DISCONNECTED within a second of the revokeTokens request")
                    .isLessThanOrEqualTo(1000);
            ws.awaitClosed(WAIT);
        }
        Http.assertAblyError(history(token), 401, 40141);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void revokeTokens_connectWithRevokedToken_refusedWith40141(WireFormat f) {
        String clientId = freshClientId();
        JsonNode details = Tokens.details(server, server.revocable, clientId, Duration.ofMinutes(10));
        String token = details.path("token").asText();
        long issued = details.path("issued").asLong();
        Tokens.revokeCovering(
                server.uri("/keys/" + server.revocable.keyName() + "/revokeTokens"),
                server.revocable,
                clientId,
                issued);
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(token) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR or DISCONNECTED: %s", e).isIn(6, 9);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isEqualTo(40141);
            ws.awaitClosed(WAIT);
        }
    }

    @Test
    void revokeTokens_withTokenAuth_refusedWith40162() {
        String token = Tokens.token(server, server.revocable, freshClientId(), Duration.ofMinutes(10));
        Http.assertAblyError(revoke("someone", "Authorization", Http.bearerBase64(token)), 401, 40162);
    }

    @Test
    void revokeTokens_withoutAuth_refusedWith401() {
        Http.Response r = revoke("someone");
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        Http.assertClientError(r);
    }

    @Test
    void revokeTokens_keyWithoutRevocableTokens_refused() {
        Http.Response r = Http.postJson(
                server.uri("/keys/" + server.full.keyName() + "/revokeTokens"),
                "{\"targets\":[\"clientId:someone\"]}",
                "Authorization",
                Http.basic(server.full));
        Http.assertClientError(r);
    }

    // ---- ably-java: the realtime client of a revoked token is told 40141 ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_tokenRevoked_connectionLeftWith40141(WireFormat f) {
        String clientId = freshClientId();
        ClientOptions o = AblyJava.options(server, f.binary());
        o.token = Tokens.token(server, server.revocable, clientId, Duration.ofMinutes(10));
        AblyRealtime rt = AblyJava.connect(o);
        try {
            CompletableFuture<io.ably.lib.types.ErrorInfo> reason = new CompletableFuture<>();
            rt.connection.on(change -> {
                if (change.current != ConnectionState.connected
                        && change.reason != null
                        && change.reason.code == 40141) {
                    reason.complete(change.reason);
                }
            });
            long before = System.nanoTime();
            assertThat(revoke(clientId, "Authorization", Http.basic(server.revocable))
                            .status())
                    .isEqualTo(200);
            AblyJava.get(reason, Duration.ofSeconds(2), "a connection state change with reason 40141");
            assertThat((System.nanoTime() - before) / 1_000_000).isLessThanOrEqualTo(1000);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    // ---- ably-js: revokeTokens from the SDK ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_revokeTokens_restRefusedAndRealtimeDisconnectedWith40141(WireFormat f) {
        String clientId = freshClientId();
        Map<String, Object> in = new HashMap<>();
        in.put("port", server.port());
        in.put("binary", f.binary());
        in.put("revocableKey", server.revocable.keyString());
        in.put("otherKey", server.full.keyString());
        in.put("clientId", clientId);
        String token = Tokens.token(server, server.revocable, clientId, Duration.ofMinutes(10));
        in.put("token", token);
        JsonNode r = NodeScript.run("revoke.js", in, Duration.ofSeconds(40));
        assertThat(r.path("result").path("successCount").asInt()).as("%s", r).isEqualTo(1);
        assertThat(r.path("result").path("results").path(0).path("target").asText())
                .as("%s", r)
                .isEqualTo("clientId:" + clientId);
        assertThat(r.path("disconnectAfterRevokeMs").asLong()).as("%s", r).isLessThanOrEqualTo(1000);
        assertThat(r.path("states").toString())
                .as("the realtime client saw DISCONNECTED 40141: %s", r)
                .contains("\"code\":40141");
        assertThat(r.path("otherKeyError").isObject())
                .as("revokeTokens with a non-revocable key fails: %s", r)
                .isTrue();
        assertThat(r.path("otherKeyError").path("statusCode").asInt())
                .as("%s", r)
                .isBetween(400, 499);
        Http.assertAblyError(history(token), 401, 40141);
    }
}
