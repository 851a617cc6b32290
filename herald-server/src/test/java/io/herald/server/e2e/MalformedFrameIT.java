package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.Message;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Json;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import io.herald.server.e2e.support.WsSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed frames on a connected WebSocket (docs/protocol.md §1.3, §2.1, §3.3: a decode failure becomes an
 * ERROR reply, never an exception on the event loop): invalid JSON or msgpack, unknown actions, wrong types and frames
 * over the 512 KiB limit get an ERROR ProtocolMessage (action 9, connection-level, with a 4xxxx code) and a clean close;
 * a connection opened afterwards works.
 */
class MalformedFrameIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int OVER_LIMIT = 600 * 1024;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    /** One bad frame: on which connection, text or binary, its bytes, and the error code if one is required. */
    record BadFrame(String name, WireFormat format, boolean binary, byte[] payload, int code) {
        @Override
        public String toString() {
            return format + ": " + name;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<BadFrame> frames() {
        byte[] deepMsgpack = new byte[301];
        Arrays.fill(deepMsgpack, (byte) 0x91);
        deepMsgpack[300] = 0x01;
        return Stream.of(
                new BadFrame("invalid JSON", WireFormat.JSON, false, utf8("{not json"), 0),
                new BadFrame("JSON array", WireFormat.JSON, false, utf8("[]"), 0),
                new BadFrame("JSON string", WireFormat.JSON, false, utf8("\"str\""), 0),
                new BadFrame("action a string", WireFormat.JSON, false, utf8("{\"action\":\"x\"}"), 0),
                new BadFrame("unknown action 99", WireFormat.JSON, false, utf8("{\"action\":99}"), 0),
                new BadFrame(
                        "wrong field types",
                        WireFormat.JSON,
                        false,
                        utf8("{\"action\":15,\"channel\":5,\"messages\":\"x\"}"),
                        0),
                new BadFrame(
                        "JSON nested 5000 deep",
                        WireFormat.JSON,
                        false,
                        utf8("{\"action\":15,\"extras\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}"),
                        0),
                new BadFrame(
                        "binary garbage on a JSON connection",
                        WireFormat.JSON,
                        true,
                        new byte[] {(byte) 0xc1, (byte) 0xff, 0x00},
                        0),
                new BadFrame("invalid msgpack (0xc1)", WireFormat.MSGPACK, true, new byte[] {(byte) 0xc1}, 0),
                new BadFrame(
                        "truncated msgpack map",
                        WireFormat.MSGPACK,
                        true,
                        new byte[] {(byte) 0x83, (byte) 0xa6, 'a', 'c', 't', 'i', 'o', 'n'},
                        0),
                new BadFrame(
                        "msgpack str32 claiming 2 GB",
                        WireFormat.MSGPACK,
                        true,
                        new byte[] {
                            (byte) 0x81,
                            (byte) 0xa7,
                            'c',
                            'h',
                            'a',
                            'n',
                            'n',
                            'e',
                            'l',
                            (byte) 0xdb,
                            0x7f,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xff,
                            'x'
                        },
                        0),
                new BadFrame(
                        "msgpack action a string",
                        WireFormat.MSGPACK,
                        true,
                        Json.writeMsgpack(Map.of("action", "x")),
                        0),
                new BadFrame(
                        "msgpack unknown action 99",
                        WireFormat.MSGPACK,
                        true,
                        Json.writeMsgpack(Map.of("action", 99)),
                        0),
                new BadFrame("msgpack not a map", WireFormat.MSGPACK, true, Json.writeMsgpack(List.of(1, 2, 3)), 0),
                new BadFrame("msgpack nested 300 deep", WireFormat.MSGPACK, true, deepMsgpack, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void frame_malformed_errorThenCleanClose(BadFrame bad) {
        try (RawWs ws = RawWs.open(
                server,
                "key=" + RawWs.enc(server.full.keyString()) + "&format="
                        + bad.format().param())) {
            ws.awaitAction(4, WAIT);
            ws.sendTolerantly(bad.payload(), bad.binary());
            RawWs.Frame e = ws.await(f -> f.action() != 0, "a reply other than HEARTBEAT", WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().has("channel"))
                    .as("connection-level ERROR: %s", e)
                    .isFalse();
            int code = e.message().path("error").path("code").asInt();
            if (bad.code() != 0) {
                assertThat(code).as("%s", e).isEqualTo(bad.code());
            } else {
                assertThat(code).as("%s", e).isBetween(40000, 49999);
            }
            assertThat(e.message().path("error").path("statusCode").asInt())
                    .as("%s", e)
                    .isBetween(400, 499);
            RawWs.Closed closed = ws.awaitClosed(WAIT);
            assertThat(closed.error())
                    .as("a clean close (close frame), not a broken socket: %s", closed)
                    .isNull();
        }
    }

    // ---- over the 512 KiB frame limit ----

    /**
     * One frame announcing 600 KiB, of which only the first KiB is sent: the server must refuse it from the header with
     * ERROR 40009 and a close frame. Sending only part of it keeps the check deterministic (nothing of the client's is
     * left unread when the server closes, so no reset can swallow the answer).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(WireFormat.class)
    void frame_headerAnnouncesOver512KiB_error40009ThenCloseFrame(WireFormat f) {
        try (WsSocket ws = new WsSocket(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=" + f.param())) {
            WsSocket.Frame connected = ws.read();
            assertThat(decode(connected, f).path("action").asInt()).isEqualTo(4);
            ws.sendPartialFrame(f.binary(), OVER_LIMIT, new byte[1024]);
            WsSocket.Frame frame = ws.read();
            while (frame != null
                    && !frame.isClose()
                    && decode(frame, f).path("action").asInt() == 0) {
                frame = ws.read();
            }
            assertThat(frame).as("an ERROR frame, not a dropped connection").isNotNull();
            assertThat(frame.isClose()).as("ERROR before the close frame").isFalse();
            com.fasterxml.jackson.databind.JsonNode e = decode(frame, f);
            assertThat(e.path("action").asInt()).as("%s", e).isEqualTo(9);
            assertThat(e.path("error").path("code").asInt()).as("%s", e).isEqualTo(40009);
            WsSocket.Frame close = ws.read();
            assertThat(close).as("a close frame after the ERROR").isNotNull();
            assertThat(close.isClose()).as("opcode %s", close.opcode()).isTrue();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode decode(WsSocket.Frame frame, WireFormat f) {
        assertThat(frame).as("a frame").isNotNull();
        return f.binary()
                ? Json.parseMsgpack(frame.payload())
                : Json.parse(new String(frame.payload(), StandardCharsets.UTF_8));
    }

    /** A message sent in 64 KiB continuation frames reaches 576 KiB before its final frame: ERROR 40009, clean close. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(WireFormat.class)
    void fragmentedMessage_over512KiB_error40009ThenCleanClose(WireFormat f) {
        try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=" + f.param())) {
            ws.awaitAction(4, WAIT);
            byte[] fragment = new byte[64 * 1024];
            Arrays.fill(fragment, (byte) 'a');
            ws.sendUnfinishedFragments(fragment, 9, f.binary());
            RawWs.Frame e = ws.await(fr -> fr.action() != 0, "a reply other than HEARTBEAT", WAIT);
            assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
            assertThat(e.message().path("error").path("code").asInt())
                    .as("%s", e)
                    .isEqualTo(40009);
            assertThat(ws.awaitClosed(WAIT).error()).as("a clean close").isNull();
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(WireFormat.class)
    void frame_over512KiBSentWhole_error40009ThenCleanClose(WireFormat f) {
        byte[] payload = utf8(
                "{\"action\":15,\"channel\":\"chat:x\",\"messages\":[{\"data\":\"" + "a".repeat(2_000_000) + "\"}]}");
        for (int i = 0; i < 20; i++) {
            try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=" + f.param())) {
                ws.awaitAction(4, WAIT);
                ws.sendTolerantly(payload, f.binary());
                RawWs.Frame e = ws.await(fr -> fr.action() != 0, "a reply other than HEARTBEAT", WAIT);
                assertThat(e.action()).as("ERROR: %s", e).isEqualTo(9);
                assertThat(e.message().path("error").path("code").asInt())
                        .as("%s", e)
                        .isEqualTo(40009);
                assertThat(ws.awaitClosed(WAIT).error()).as("a clean close").isNull();
            }
        }
    }

    /** After each bad frame, a new connection still connects and answers a ping: the event loop is not broken. */
    @AfterEach
    void newConnectionStillWorks() {
        for (WireFormat f : WireFormat.values()) {
            try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=" + f.param())) {
                ws.awaitAction(4, WAIT);
                ws.sendMessage(Map.of("action", 0, "id", "after"), f.binary());
                ws.await(
                        fr -> fr.action() == 0
                                && "after".equals(fr.message().path("id").asText()),
                        "HEARTBEAT echo",
                        WAIT);
            }
        }
    }

    @Test
    void manyMalformedConnections_sdkClientsStillExchangeMessages() throws Exception {
        frames().forEach(bad -> {
            try (RawWs ws = RawWs.open(
                    server,
                    "key=" + RawWs.enc(server.full.keyString()) + "&format="
                            + bad.format().param())) {
                ws.awaitAction(4, WAIT);
                ws.sendTolerantly(bad.payload(), bad.binary());
                ws.awaitClosed(WAIT);
            }
        });
        AblyRealtime a = AblyJava.connect(AblyJava.withKey(server, true, server.full.keyString()));
        AblyRealtime b = AblyJava.connect(AblyJava.withKey(server, false, server.full.keyString()));
        try {
            Channel sub = b.channels.get("chat:after-malformed");
            LinkedBlockingQueue<Message> q = new LinkedBlockingQueue<>();
            sub.subscribe(q::add);
            AblyJava.attach(sub);
            Channel pub = a.channels.get("chat:after-malformed");
            AblyJava.attach(pub);
            AblyJava.publish(pub, "still", "working");
            Message m = q.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("message delivered").isNotNull();
            assertThat(m.data).isEqualTo("working");
        } finally {
            AblyJava.closeAll(a, b);
        }
    }
}
