package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.auth.TokenParams;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Json;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connection basics (docs/protocol.md §1.2, §3.1-§3.3, §3.5, §4.9): the CONNECTED message, ping, CLOSE, and how a
 * connection with bad, expired or mismatched credentials is refused, over raw WebSockets, ably-java and ably-js.
 */
class ConnectionIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static String q(String s) {
        return RawWs.enc(s);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void connect_validKey_connectedCarriesConnectionDetails(WireFormat f) {
        try (RawWs ws =
                RawWs.open(server, "key=" + q(server.full.keyString()) + "&clientId=alice&v=6&format=" + f.param())) {
            RawWs.Frame frame = ws.next(WAIT);
            assertThat(frame.binary())
                    .as("msgpack goes in binary frames, JSON in text frames")
                    .isEqualTo(f.binary());
            JsonNode m = frame.message();
            assertThat(m.path("action").asInt()).as("CONNECTED first: %s", m).isEqualTo(4);
            String connectionId = m.path("connectionId").asText();
            assertThat(connectionId).isNotEmpty().doesNotContain(":");
            JsonNode d = m.path("connectionDetails");
            assertThat(d.path("connectionKey").asText()).isNotEmpty();
            assertThat(m.path("connectionKey").asText(""))
                    .isIn("", d.path("connectionKey").asText());
            assertThat(d.path("clientId").asText()).isEqualTo("alice");
            assertThat(d.path("maxMessageSize").asLong()).isEqualTo(65536);
            assertThat(d.path("maxFrameSize").asLong()).isGreaterThanOrEqualTo(65536);
            assertThat(d.path("maxInboundRate").asLong()).isPositive();
            assertThat(d.path("connectionStateTtl").asLong()).isEqualTo(120000);
            assertThat(d.path("maxIdleInterval").asLong()).isEqualTo(15000);
            assertThat(d.path("serverId").asText()).isNotEmpty();
            for (String field : new String[] {
                "maxMessageSize", "maxFrameSize", "maxInboundRate", "connectionStateTtl", "maxIdleInterval"
            }) {
                assertThat(d.path(field).isIntegralNumber())
                        .as("%s is an integer (docs/protocol.md §1.4): %s", field, d)
                        .isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void heartbeat_withId_echoedWithSameId(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "key=" + q(server.full.keyString()) + "&format=" + f.param())) {
            ws.awaitAction(4, WAIT);
            ws.sendMessage(Map.of("action", 0, "id", "ping-4711"), f.binary());
            RawWs.Frame hb = ws.await(fr -> fr.action() == 0 && fr.message().has("id"), "HEARTBEAT with id", WAIT);
            assertThat(hb.message().path("id").asText()).isEqualTo("ping-4711");
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void close_connected_closedThenSocketClosed(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "key=" + q(server.full.keyString()) + "&format=" + f.param())) {
            ws.awaitAction(4, WAIT);
            ws.sendMessage(Map.of("action", 7), f.binary());
            ws.awaitAction(8, WAIT);
            ws.awaitClosed(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void connect_wrongSecret_error40101ThenClose(WireFormat f) {
        String bad = server.full.keyName() + ":" + "x".repeat(43);
        try (RawWs ws = RawWs.open(server, "key=" + q(bad) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("code").asInt()).isEqualTo(40101);
            assertThat(e.message().path("error").path("statusCode").asInt()).isEqualTo(401);
            ws.awaitClosed(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void connect_expiredToken_refusedWith40142(WireFormat f) {
        assertConnectRefusedWith40142(server, f, expiredToken());
    }

    /** The server's answer to a connect with an expired token: ERROR/DISCONNECTED 40142, then close (docs/protocol.md §3.3, §4.11). */
    static void assertConnectRefusedWith40142(TestServer server, WireFormat f, String token) {
        try (RawWs ws = RawWs.open(server, "access_token=" + q(token) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR or DISCONNECTED: %s", e).isIn(6, 9);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isEqualTo(40142);
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isEqualTo(401);
            ws.awaitClosed(WAIT);
        }
    }

    /** An Ably token from the server with a 1 ms ttl: expired by the time anyone uses it. */
    static String expiredTokenOf(TestServer server) {
        TokenParams p = new TokenParams();
        p.ttl = 1L;
        return Tokens.token(server, server.full, p);
    }

    private static String expiredToken() {
        return expiredTokenOf(server);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void connect_unknownToken_refusedWithTokenError(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "access_token=test.notATokenThisServerIssued&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR or DISCONNECTED: %s", e).isIn(6, 9);
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isEqualTo(401);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("a token error (40140-40149): %s", e)
                    .isBetween(40140, 40149);
            ws.awaitClosed(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void connect_forgedToken_refusedWith401(WireFormat f) {
        String forged =
                Tokens.forgeClientId(Tokens.token(server, server.full, "alice", Duration.ofMinutes(5)), "admin");
        try (RawWs ws = RawWs.open(server, "access_token=" + q(forged) + "&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR or DISCONNECTED: %s", e).isIn(6, 9);
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
    void connect_noCredentials_error401ThenClose(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isEqualTo(401);
            ws.awaitClosed(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void connect_clientIdNotInToken_error40102(WireFormat f) {
        String token = Tokens.token(server, server.full, "alice", Duration.ofMinutes(5));
        try (RawWs ws = RawWs.open(server, "accessToken=" + q(token) + "&clientId=bob&format=" + f.param())) {
            RawWs.Frame e = ws.next(WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("code").asInt()).isEqualTo(40102);
            ws.awaitClosed(WAIT);
        }
    }

    // ---- ably-java ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_connectPingClose_closed(WireFormat f) {
        ClientOptions o = AblyJava.withKey(server, f.binary(), server.full.keyString());
        o.clientId = "java-client";
        AblyRealtime rt = AblyJava.connect(o);
        try {
            assertThat(rt.connection.id).isNotEmpty().doesNotContain(":");
            assertThat(rt.connection.key).isNotEmpty();
            assertThat(rt.auth.clientId).isEqualTo("java-client");
            AblyJava.call("ping", l -> rt.connection.ping(l));
            rt.close();
            AblyJava.awaitState(rt, ConnectionState.closed, WAIT);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_wrongSecret_failedWith40101(WireFormat f) {
        AblyRealtime rt =
                AblyJava.realtime(AblyJava.withKey(server, f.binary(), server.full.keyName() + ":" + "y".repeat(43)));
        try {
            rt.connect();
            AblyJava.get(failedOrDisconnected(rt), WAIT, "connection refused");
            assertThat(rt.connection.state).isEqualTo(ConnectionState.failed);
            assertThat(rt.connection.reason.code).isEqualTo(40101);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_clientIdNotInToken_failedWith40102(WireFormat f) {
        ClientOptions o = AblyJava.options(server, f.binary());
        o.token = Tokens.token(server, server.full, "alice", Duration.ofMinutes(5));
        o.clientId = "bob";
        AblyRealtime rt = AblyJava.realtime(o);
        try {
            rt.connect();
            AblyJava.get(failedOrDisconnected(rt), WAIT, "connection refused");
            ErrorInfo reason = rt.connection.reason;
            assertThat(rt.connection.state).isEqualTo(ConnectionState.failed);
            assertThat(reason.code).as("%s", reason).isEqualTo(40102);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_expiredToken_refusedWith40142(WireFormat f) {
        ClientOptions o = AblyJava.options(server, f.binary());
        o.token = expiredToken();
        AblyRealtime rt = AblyJava.realtime(o);
        java.util.List<ErrorInfo> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> saw = new CompletableFuture<>();
        rt.connection.on(change -> {
            if (change.reason != null) {
                reasons.add(change.reason);
                if (change.reason.code == 40142) {
                    saw.complete(null);
                }
            }
        });
        try {
            rt.connect();
            AblyJava.get(saw, WAIT, "a connection state change with reason 40142 (reasons so far: " + reasons + ")");
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    private static CompletableFuture<Void> failedOrDisconnected(AblyRealtime rt) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        rt.connection.on(change -> {
            if (change.current == ConnectionState.failed || change.current == ConnectionState.disconnected) {
                done.complete(null);
            }
        });
        if (rt.connection.state == ConnectionState.failed) {
            done.complete(null);
        }
        return done;
    }

    // ---- ably-js ----

    private static Map<String, Object> jsInput(WireFormat f) {
        return new java.util.HashMap<>(Map.of("port", server.port(), "binary", f.binary()));
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_connectPingClose_closed(WireFormat f) {
        Map<String, Object> in = jsInput(f);
        in.put("key", server.full.keyString());
        in.put("clientId", "js-client");
        in.put("expect", "connected");
        JsonNode r = NodeScript.run("connection.js", in, Duration.ofSeconds(30));
        assertThat(r.path("id").asText()).isNotEmpty().doesNotContain(":");
        assertThat(r.path("key").asText()).isNotEmpty();
        assertThat(r.path("clientId").asText()).isEqualTo("js-client");
        assertThat(r.path("pingMs").isNumber()).as("%s", r).isTrue();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_wrongSecret_failedWith40101(WireFormat f) {
        Map<String, Object> in = jsInput(f);
        in.put("key", server.full.keyName() + ":" + "z".repeat(43));
        in.put("expect", "refused");
        JsonNode r = NodeScript.run("connection.js", in, Duration.ofSeconds(30));
        assertThat(r.path("state").asText()).as("%s", r).isEqualTo("failed");
        assertThat(r.path("reason").path("code").asInt()).as("%s", r).isEqualTo(40101);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_expiredToken_refusedWith40142(WireFormat f) {
        Map<String, Object> in = jsInput(f);
        in.put("token", expiredToken());
        in.put("expect", "refused");
        JsonNode r = NodeScript.run("connection.js", in, Duration.ofSeconds(30));
        assertThat(Json.write(r))
                .as("a 40142 reason (or cause) among the state changes: %s", r)
                .contains("40142");
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_clientIdNotInToken_failedWith40102(WireFormat f) {
        Map<String, Object> in = jsInput(f);
        in.put("token", Tokens.token(server, server.full, "alice", Duration.ofMinutes(5)));
        in.put("clientId", "bob");
        in.put("expect", "refused");
        JsonNode r = NodeScript.run("connection.js", in, Duration.ofSeconds(30));
        assertThat(r.path("state").asText()).as("%s", r).isEqualTo("failed");
        assertThat(r.path("reason").path("code").asInt()).as("%s", r).isEqualTo(40102);
    }
}
