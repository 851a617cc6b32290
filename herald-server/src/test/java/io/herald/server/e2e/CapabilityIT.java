package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.auth.TokenParams;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Capability enforcement on realtime (docs/protocol.md §5, §6.1, §7.1, §8.1): ATTACH outside the capability gets a
 * channel ERROR 40160 (channel FAILED), PUBLISH without {@code publish} and ENTER without {@code presence} get NACK
 * 40160; the connection stays CONNECTED (same connectionId) and keeps working.
 */
class CapabilityIT {
    /** chat:* subscribe only; pub:* publish and subscribe; nothing else. */
    private static final String CAPABILITY = "{\"chat:*\":[\"subscribe\"],\"pub:*\":[\"publish\",\"subscribe\"]}";

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static String token() {
        TokenParams p = new TokenParams();
        p.capability = CAPABILITY;
        p.clientId = "limited-user";
        p.ttl = Duration.ofMinutes(10).toMillis();
        return Tokens.token(server, server.full, p);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void raw_attachOutsideCapability_channelError40160ConnectionStaysUp(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(token()) + "&format=" + f.param())) {
            ws.awaitAction(4, WAIT);
            ws.sendMessage(Map.of("action", 10, "channel", "secret:room"), f.binary());
            RawWs.Frame e = ws.await(fr -> fr.action() == 9 || fr.action() == 11, "ERROR or ATTACHED", WAIT);
            assertThat(e.action()).as("%s", e).isEqualTo(9);
            assertThat(e.message().path("channel").asText())
                    .as("a channel-scoped ERROR: %s", e)
                    .isEqualTo("secret:room");
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isEqualTo(40160);
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isEqualTo(401);
            assertConnectionAlive(ws, f);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void raw_publishWithoutPublishCapability_nack40160ConnectionStaysUp(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "access_token=" + RawWs.enc(token()) + "&format=" + f.param())) {
            ws.awaitAction(4, WAIT);
            ws.sendMessage(Map.of("action", 10, "channel", "chat:room"), f.binary());
            ws.awaitAction(11, WAIT);
            ws.sendMessage(
                    Map.of(
                            "action",
                            15,
                            "channel",
                            "chat:room",
                            "msgSerial",
                            0,
                            "messages",
                            List.of(Map.of("name", "x", "data", "y"))),
                    f.binary());
            RawWs.Frame nack = ws.await(fr -> fr.action() == 1 || fr.action() == 2, "ACK or NACK", WAIT);
            assertThat(nack.action()).as("NACK: %s", nack).isEqualTo(2);
            assertThat(nack.message().path("msgSerial").asLong()).as("%s", nack).isZero();
            assertThat(nack.message().path("count").asInt()).as("%s", nack).isEqualTo(1);
            assertThat(nack.message().path("error").path("code").asInt())
                    .as("%s", nack)
                    .isEqualTo(40160);
            assertConnectionAlive(ws, f);
        }
    }

    /** A HEARTBEAT with an id is still echoed: the connection was not closed. */
    private static void assertConnectionAlive(RawWs ws, WireFormat f) {
        ws.sendMessage(Map.of("action", 0, "id", "still-there"), f.binary());
        ws.await(
                fr -> fr.action() == 0
                        && "still-there".equals(fr.message().path("id").asText()),
                "HEARTBEAT echo",
                WAIT);
        assertThat(ws.closed()).as("connection still open").isNotDone();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_operationsOutsideCapability_refusedWith40160ConnectionStaysUp(WireFormat f) throws Exception {
        ClientOptions o = AblyJava.options(server, f.binary());
        o.token = token();
        AblyRealtime rt = AblyJava.connect(o);
        List<ConnectionState> states = new ArrayList<>();
        rt.connection.on(change -> states.add(change.current));
        try {
            String connectionId = rt.connection.id;
            Channel denied = rt.channels.get("secret:room");
            ErrorInfo attachError = AblyJava.callForError("attach secret:room", denied::attach);
            assertThat(attachError).as("attach must fail").isNotNull();
            assertThat(attachError.code).as("%s", attachError).isEqualTo(40160);
            assertThat(denied.state).isEqualTo(ChannelState.failed);

            Channel chat = rt.channels.get("chat:room");
            AblyJava.attach(chat);
            ErrorInfo publishError = AblyJava.callForError("publish on chat:room", l -> chat.publish("x", "y", l));
            assertThat(publishError).as("publish must fail").isNotNull();
            assertThat(publishError.code).as("%s", publishError).isEqualTo(40160);
            ErrorInfo enterError = AblyJava.callForError("enter on chat:room", l -> chat.presence.enter("z", l));
            assertThat(enterError).as("enter must fail").isNotNull();
            assertThat(enterError.code).as("%s", enterError).isEqualTo(40160);

            Channel pub = rt.channels.get("pub:ok");
            AblyJava.attach(pub);
            AblyJava.publish(pub, "ok", "fine");
            AblyJava.call("ping", l -> rt.connection.ping(l));
            assertThat(rt.connection.state).isEqualTo(ConnectionState.connected);
            assertThat(rt.connection.id).isEqualTo(connectionId);
            assertThat(states)
                    .as("connection state changes")
                    .doesNotContain(ConnectionState.disconnected, ConnectionState.failed, ConnectionState.suspended);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_operationsOutsideCapability_refusedWith40160ConnectionStaysUp(WireFormat f) {
        JsonNode r = NodeScript.run(
                "capability.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "token",
                        token(),
                        "denied",
                        "secret:room",
                        "subscribeOnly",
                        "chat:room",
                        "publishable",
                        "pub:ok"),
                Duration.ofSeconds(40));
        assertThat(r.path("attachError").path("code").asInt()).as("%s", r).isEqualTo(40160);
        assertThat(r.path("deniedState").asText()).as("%s", r).isEqualTo("failed");
        assertThat(r.path("publishError").path("code").asInt()).as("%s", r).isEqualTo(40160);
        assertThat(r.path("presenceError").path("code").asInt()).as("%s", r).isEqualTo(40160);
        assertThat(r.path("allowedPublishError").isNull()).as("%s", r).isTrue();
        assertThat(r.path("connectionState").asText()).as("%s", r).isEqualTo("connected");
        assertThat(r.path("sameConnection").asBoolean()).as("%s", r).isTrue();
        assertThat(r.path("states").toString()).as("%s", r).doesNotContain("disconnected", "failed", "suspended");
    }
}
