package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.SequencePublisher;
import io.herald.server.e2e.support.TcpProxy;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Comet (HTTP long-polling) transport (docs/protocol.md, Comet): ably-js with {@code transports: ['comet']}
 * connects, publishes and receives (also with a WebSocket client on the same channel), on both engines and with
 * {@code useBinaryProtocol} on and off; it resumes without loss after its sockets are cut; a bad key fails the
 * connection with the Ably error. Raw HTTP covers the msgpack framing and hostile requests: unknown connection keys,
 * bodies over the limit, garbage bodies and a recv on a closed connection, each an Ably error and never a 5xx.
 */
class CometIT {
    private static final int MAX_FRAME = 65536;
    private static final int MAX_QUEUE = 262144;

    @RegisterExtension
    static final TestServer memory = TestServer.perClass(
            "limits: { maxFrameSize: " + MAX_FRAME + ", maxOutboundQueueBytes: " + MAX_QUEUE + " }\n");

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("");

    static Stream<Arguments> serversAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("serversAndFormats")
    void ablyJs_overComet_connectsPublishesAndReceives(TestServer server, WireFormat f) {
        JsonNode r = NodeScript.run(
                "comet.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "channel", "comet:pubsub-" + server.engine() + "-" + f,
                        "key", server.full.keyString(),
                        "mode", "pubsub"),
                Duration.ofSeconds(60));
        assertThat(r.path("transport").asText()).isEqualTo("comet");
        List<String> expected = List.of("comet:c0", "comet:c1", "comet:c2", "ws:w0");
        assertThat(texts(r.path("cometNames"))).containsExactlyElementsOf(expected);
        assertThat(texts(r.path("wsNames"))).containsExactlyElementsOf(expected);
    }

    @Test
    void ablyJs_badKey_failsWithTheAblyError() {
        JsonNode r = NodeScript.run(
                "comet.js",
                Map.of(
                        "port",
                        memory.port(),
                        "binary",
                        false,
                        "channel",
                        "comet:bad",
                        "key",
                        memory.full.keyString().replaceFirst(":.*", ":not-the-secret"),
                        "mode",
                        "badkey"),
                Duration.ofSeconds(30));
        assertThat(r.path("state").asText()).isEqualTo("failed");
        assertThat(r.path("reason").path("code").asInt()).isBetween(40100, 40199);
        assertThat(r.path("reason").path("statusCode").asInt()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_socketsCut_resumesSameConnectionWithoutLoss(WireFormat f) {
        String channelName = "comet:resume-" + f;
        try (TcpProxy proxy = new TcpProxy(memory.port());
                NodeScript js = NodeScript.start(
                        "resume.js",
                        Map.of(
                                "port", proxy.port(),
                                "binary", f.binary(),
                                "channel", channelName,
                                "key", memory.full.keyString(),
                                "progressAt", 10,
                                "transports", List.of("comet")))) {
            String connectionId = js.await("attached", NodeScript.STARTUP)
                    .path("connectionId")
                    .asText();
            JsonNode r;
            int total;
            try (SequencePublisher pub = new SequencePublisher(memory, channelName, 10)) {
                js.await("progress", Duration.ofSeconds(20));
                proxy.cutAndHold();
                pub.awaitPublished(pub.published() + 15, Duration.ofSeconds(20));
                proxy.release();
                JsonNode again = js.await("reconnected", Duration.ofSeconds(40));
                assertThat(again.path("connectionId").asText()).as("resumed").isEqualTo(connectionId);
                total = pub.finish(20);
                r = js.result(Duration.ofSeconds(40));
            }
            List<String> expected = ResumeIT.expected(total);
            assertThat(texts(r.path("names"))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void browser_withoutWebSocket_fallsBackToXhrPolling_publishesReceivesAndResumes() {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromium).as("apt-get install chromium").isExecutable();
        JsonNode r = NodeScript.run(
                "comet-browser.js",
                Map.of(
                        "port", memory.port(),
                        "key", memory.full.keyString(),
                        "channel", "comet:browser",
                        "chromium", chromium.toString()),
                Duration.ofSeconds(130));
        assertThat(r.path("first").path("transport").asText()).isEqualTo("xhr_polling");
        assertThat(r.path("wsRequests").asInt()).as("no WebSocket opened").isZero();
        assertThat(texts(r.path("first").path("got"))).containsExactly("m0", "m1", "m2");
        assertThat(r.path("againId").asText())
                .as("resumed the same connection")
                .isEqualTo(r.path("first").path("connectionId").asText());
        assertThat(texts(r.path("got"))).containsExactly("m0", "m1", "m2", "r0", "r1", "r2", "r3", "r4", "end");
        assertThat(r.path("transport").asText()).isEqualTo("xhr_polling");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"comet,web_socket", "web_socket,comet"})
    void ablyJs_recoversAConnectionOnTheOtherTransport(String from, String to) {
        String channelName = "comet:across-" + from;
        String recoveryKey;
        String connectionId;
        Map<String, Object> input = new java.util.HashMap<>(
                Map.of("port", memory.port(), "key", memory.full.keyString(), "channel", channelName));
        input.put("transport", from);
        input.put("mode", "first");
        try (NodeScript first = NodeScript.start("recover-across.js", input)) {
            JsonNode k = first.await("recoveryKey", NodeScript.STARTUP);
            recoveryKey = k.path("recoveryKey").asText();
            connectionId = k.path("connectionId").asText();
        } // the first process is killed: its sockets drop
        input.put("transport", to);
        input.put("mode", "second");
        input.put("recoveryKey", recoveryKey);
        JsonNode r = NodeScript.run("recover-across.js", input, Duration.ofSeconds(60));
        assertThat(r.path("transport").asText()).isEqualTo(to);
        assertThat(r.path("connectionId").asText()).as("recovered: %s", r).isEqualTo(connectionId);
        assertThat(r.path("reason").isNull()).as("no error on recover: %s", r).isTrue();
        assertThat(texts(r.path("names"))).containsExactly("second", "end");
    }

    // ---- raw HTTP ----

    private static Http.Response connect(TestServer server, String format) {
        return Http.get(server.uri(
                "/comet/connect?v=3&stream=false&format=" + format + "&key=" + enc(server.full.keyString())));
    }

    private static String connectionKey(Http.Response connected, Format format) {
        assertThat(connected.status()).as("%s", connected).isEqualTo(200);
        JsonNode batch = ProtocolCodec.of(format).decodeTree(connected.body());
        assertThat(batch.isArray()).as("%s", connected).isTrue();
        JsonNode first = batch.get(0);
        assertThat(first.path("action").asInt()).isEqualTo(Action.CONNECTED);
        String key = first.path("connectionDetails").path("connectionKey").asText();
        assertThat(key).isNotBlank();
        return key;
    }

    private static URI op(String key, String op) {
        return memory.uri("/comet/" + enc(key) + "/" + op + "?stream=false");
    }

    @Test
    void msgpack_framing_attachAndAttachedAreArrays() {
        Http.Response connected = connect(memory, "msgpack");
        assertThat(connected.header("Content-Type")).isEqualTo("application/x-msgpack");
        String key = connectionKey(connected, Format.MSGPACK);
        ProtocolCodec codec = ProtocolCodec.of(Format.MSGPACK);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x91); // an array of one
        body.writeBytes(codec.encode(ProtocolMessage.of(Action.ATTACH, "comet:raw")));
        Http.Response sent = Http.post(op(key, "send"), "application/x-msgpack", body.toByteArray());
        assertThat(sent.status()).as("%s", sent).isEqualTo(204);
        boolean attached = false;
        for (int i = 0; i < 5 && !attached; i++) {
            Http.Response got = Http.get(op(key, "recv"));
            assertThat(got.status()).as("%s", got).isEqualTo(200);
            for (JsonNode pm : codec.decodeTree(got.body())) {
                attached |= pm.path("action").asInt() == Action.ATTACHED;
            }
        }
        assertThat(attached).as("ATTACHED received").isTrue();
    }

    @Test
    void connectWithABadKey_answersTheErrorInAnArrayUnderItsStatus() {
        String bad = memory.full.keyString().replaceFirst(":.*", ":not-the-secret");
        Http.Response r = Http.get(memory.uri("/comet/connect?v=3&stream=false&key=" + enc(bad)));
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        JsonNode error = r.json().get(0);
        assertThat(error.path("action").asInt()).isEqualTo(Action.ERROR);
        assertThat(error.path("error").path("statusCode").asInt()).isEqualTo(401);
        assertThat(error.path("error").path("code").asInt()).isBetween(40100, 40199);
    }

    @Test
    void unknownConnectionKey_isAResumableAblyError() {
        Http.assertAblyError(Http.get(op("nope!abcdef", "recv")), 404, 80018);
        Http.assertAblyError(Http.postJson(op("nope!abcdef", "send"), "[]"), 404, 80018);
        Http.assertAblyError(Http.get(memory.uri("/comet/nope")), 404, 40400);
    }

    @Test
    void oversizeSendBody_is413() {
        String key = connectionKey(connect(memory, "json"), Format.JSON);
        String big =
                "[{\"action\":15,\"channel\":\"x\",\"messages\":[{\"data\":\"" + "a".repeat(MAX_FRAME + 10) + "\"}]}]";
        Http.assertAblyError(Http.postJson(op(key, "send"), big), 413, 40009);
    }

    @Test
    void garbageSendBodies_are400NeverServerErrors() {
        String key = connectionKey(connect(memory, "json"), Format.JSON);
        Http.assertAblyError(Http.postJson(op(key, "send"), "{{{ not json"), 400, 40000);
        String other = connectionKey(connect(memory, "json"), Format.JSON);
        Http.assertAblyError(Http.postJson(op(other, "send"), "\"a string\""), 400, 40000);
        String mp = connectionKey(connect(memory, "msgpack"), Format.MSGPACK);
        Http.Response r = Http.post(op(mp, "send"), "application/x-msgpack", new byte[] {(byte) 0xc1, 0x00, 0x7f});
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        Http.assertClientError(r);
    }

    @Test
    void recvOnAClosedConnection_isConnectionClosed() {
        String key = connectionKey(connect(memory, "json"), Format.JSON);
        assertThat(Http.get(op(key, "close")).status()).isEqualTo(204);
        List<Integer> actions = new ArrayList<>();
        Http.Response last = null;
        for (int i = 0; i < 5; i++) {
            last = Http.get(op(key, "recv"));
            if (last.status() != 200) {
                break;
            }
            last.json().forEach(pm -> actions.add(pm.path("action").asInt()));
        }
        assertThat(actions).contains(Action.CLOSED);
        Http.assertAblyError(last, 400, 80017);
    }

    @Test
    void pollerThatStopsReceiving_isDroppedAsASlowConsumer() {
        String key = connectionKey(connect(memory, "json"), Format.JSON);
        Http.Response sent = Http.postJson(op(key, "send"), "[{\"action\":10,\"channel\":\"comet:slow\"}]");
        assertThat(sent.status()).as("%s", sent).isEqualTo(204);
        boolean attached = false;
        for (int i = 0; i < 5 && !attached; i++) {
            for (JsonNode pm : Http.get(op(key, "recv")).json()) {
                attached |= pm.path("action").asInt() == Action.ATTACHED;
            }
        }
        assertThat(attached).isTrue();
        double drops = metric("herald_outbound_queue_drops_total");
        String data = "x".repeat(40_000);
        // no recv while publishing: the frames wait in the connection's queue until it overflows
        for (int i = 0; i < 2 * MAX_QUEUE / data.length(); i++) {
            Http.Response r = Http.postJson(
                    memory.uri("/channels/comet:slow/messages"),
                    "{\"name\":\"big\",\"data\":\"" + data + "\"}",
                    "Authorization",
                    Http.basic(memory.full));
            assertThat(r.status()).as("%s", r).isEqualTo(201);
        }
        Eventually.await(
                "the comet connection dropped as a slow consumer",
                Duration.ofSeconds(10),
                () -> metric("herald_outbound_queue_drops_total") > drops);
        Http.assertAblyError(Http.get(op(key, "recv")), 404, 80018);
    }

    @Test
    void pollerThatVanishes_isSuspendedLikeADroppedSocket() {
        double suspended = metric("herald_connections_suspended_total{format=\"msgpack\"}");
        String key = connectionKey(connect(memory, "msgpack"), Format.MSGPACK);
        // no recv after connect: after the dead-peer time (30 s here) the session is suspended
        Eventually.await(
                "the vanished poller's session suspended",
                Duration.ofSeconds(60),
                () -> metric("herald_connections_suspended_total{format=\"msgpack\"}") > suspended);
        Http.assertAblyError(Http.get(op(key, "recv")), 404, 80018);
    }

    /** The sum of the series starting with {@code prefix} in {@code GET /metrics}. */
    private static double metric(String prefix) {
        return Http.get(memory.uri("/metrics"))
                .text()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
