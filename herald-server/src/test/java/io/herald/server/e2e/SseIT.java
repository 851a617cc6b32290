package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.Json;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.SseClient;
import io.herald.server.e2e.support.SseClient.Event;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Server-Sent Events endpoint (docs/protocol.md §15) with a line-by-line java.net.http client: messages
 * published over REST arrive as enveloped events with a resume id; a reconnect with Last-Event-ID gets exactly the
 * missed messages; rewind; {@code enveloped=false}; and the refusals before the stream starts (credentials,
 * capability, channel name, version, too many channels, a huge query). Each streaming case runs on the in-memory
 * engine and on the Redis engine.
 */
class SseIT {
    @RegisterExtension
    static final TestServer memory = TestServer.perClass("timings: { maxIdleInterval: 3s }\n");

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("");

    static Stream<TestServer> engines() {
        return Stream.of(memory, redis);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static URI sse(TestServer server, String channels, String extra) {
        return server.uri("/sse?v=1.2&key=" + enc(server.full.keyString()) + "&channels=" + enc(channels) + extra);
    }

    private static void publish(TestServer server, String channel, String name, String data) {
        Http.Response r = Http.postJson(
                server.uri("/channels/" + enc(channel) + "/messages"),
                "{\"name\":\"" + name + "\",\"data\":\"" + data + "\"}",
                "Authorization",
                Http.basic(server.full));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }

    private static List<String> names(List<Event> events) {
        return events.stream()
                .map(e -> Json.parse(e.data()).path("name").asText())
                .collect(Collectors.toList());
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("engines")
    void restPublishes_arriveAsEnvelopedEvents(TestServer server) throws Exception {
        String a = "sse-a-" + server.engine();
        String b = "sse-b-" + server.engine();
        try (SseClient c = SseClient.open(sse(server, a + "," + b, ""))) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.response.headers().firstValue("Content-Type")).contains("text/event-stream");
            c.awaitLastEventId(10);
            publish(server, a, "one", "hello");
            publish(server, b, "two", "world");
            List<Event> got = c.next(2, 10);
            JsonNode first = Json.parse(got.get(0).data());
            assertThat(first.path("channel").asText()).isEqualTo(a);
            assertThat(first.path("name").asText()).isEqualTo("one");
            assertThat(first.path("data").asText()).isEqualTo("hello");
            assertThat(first.path("id").asText()).isNotEmpty();
            assertThat(first.path("timestamp").asLong()).isPositive();
            assertThat(Json.parse(got.get(1).data()).path("channel").asText()).isEqualTo(b);
            assertThat(got.get(1).type()).isEqualTo("message");
            assertThat(got.get(1).lastEventId()).isNotEqualTo(got.get(0).lastEventId());
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("engines")
    void lastEventId_resumesWithExactlyTheMissedMessages(TestServer server) throws Exception {
        String a = "sse-resume-a-" + server.engine();
        String b = "sse-resume-b-" + server.engine();
        URI uri = sse(server, a + "," + b, "");
        String resumeId;
        try (SseClient c = SseClient.open(uri)) {
            c.awaitLastEventId(10);
            publish(server, a, "m1", "x");
            assertThat(names(c.next(1, 10))).containsExactly("m1");
            resumeId = c.lastEventId();
        }
        publish(server, a, "m2", "x");
        publish(server, b, "m3", "x");
        publish(server, a, "m4", "x");
        try (SseClient c = SseClient.open(uri, "Last-Event-ID", resumeId)) {
            assertThat(c.status).isEqualTo(200);
            List<Event> missed = c.next(3, 10);
            assertThat(names(missed)).containsExactlyInAnyOrder("m2", "m3", "m4");
            assertThat(names(missed.stream().filter(e -> e.data().contains(a)).toList()))
                    .containsExactly("m2", "m4");
            publish(server, b, "m5", "x");
            assertThat(names(c.next(1, 10))).as("then live, nothing repeated").containsExactly("m5");
        }
        // the same position given as lastEvent in the query
        try (SseClient c = SseClient.open(
                server.uri(uri.toString().substring(uri.toString().indexOf("/sse")) + "&lastEvent=" + enc(resumeId)))) {
            assertThat(names(c.next(4, 10))).containsExactlyInAnyOrder("m2", "m3", "m4", "m5");
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("engines")
    void rewind_andUnenveloped(TestServer server) throws Exception {
        String ch = "sse-rewind-" + server.engine();
        publish(server, ch, "r1", "first");
        publish(server, ch, "r2", "second");
        publish(server, ch, "r3", "third");
        try (SseClient c = SseClient.open(sse(server, ch, "&rewind=2&enveloped=false"))) {
            List<Event> got = c.next(2, 10);
            assertThat(got).extracting(Event::data).containsExactly("second", "third");
            publish(server, ch, "r4", "fourth");
            assertThat(c.next(10).data()).isEqualTo("fourth");
        }
        try (SseClient c = SseClient.open(sse(server, "[?rewind=1]" + ch, ""))) {
            assertThat(names(c.next(1, 10))).containsExactly("r4");
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("engines")
    void eventSourceOfNode_receivesAblyJsPublishes_andResumesWithLastEventId(TestServer server) throws Exception {
        JsonNode r = NodeScript.run(
                "sse.js",
                Map.of(
                        "port", server.port(),
                        "key", server.full.keyString(),
                        "limitedKey", server.limited.keyString(),
                        "channel", "sse-node-" + server.engine()),
                Duration.ofSeconds(50));
        assertThat(r.path("first").path("name").asText()).isEqualTo("one");
        assertThat(r.path("first").path("data").asText()).isEqualTo("hello");
        assertThat(r.path("first").path("channel").asText()).isEqualTo("sse-node-" + server.engine());
        assertThat(texts(r.path("resumed"))).containsExactly("two", "three", "four", "five");
        assertThat(r.path("refusedStatus").asInt())
                .as("no subscribe capability: 401")
                .isEqualTo(401);
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void authorizationHeader_andAlias() throws Exception {
        String ch = "sse-header";
        URI uri = memory.uri("/event-stream?v=1.2&channels=" + ch);
        try (SseClient c = SseClient.open(uri, "Authorization", Http.basic(memory.full))) {
            assertThat(c.status).isEqualTo(200);
            c.awaitLastEventId(10);
            publish(memory, ch, "h", "x");
            assertThat(names(c.next(1, 10))).containsExactly("h");
        }
    }

    @Test
    void tokenExpiry_endsTheStreamWithAnErrorEvent_andHeartbeatsKeepItAlive() throws Exception {
        String token = Tokens.token(memory, memory.full, null, Duration.ofSeconds(6));
        URI uri = memory.uri("/sse?v=1.2&channels=sse-token&accessToken=" + enc(token));
        try (SseClient c = SseClient.open(uri)) {
            assertThat(c.status).isEqualTo(200);
            c.awaitLastEventId(10);
            publish(memory, "sse-token", "t", "x");
            assertThat(names(c.next(1, 10))).containsExactly("t");
            assertThat(c.nextComment(5)).as("a comment line while idle").startsWith(":");
            Event end = c.next(15);
            assertThat(end.type()).isEqualTo("error");
            assertThat(Json.parse(end.data()).path("code").asInt()).isEqualTo(40142);
            assertThat(Json.parse(end.data()).path("statusCode").asInt()).isEqualTo(401);
        }
        refused(uri, 401, 40142);
        try (SseClient c = SseClient.open(
                memory.uri("/sse?v=1.2&channels=sse-token"),
                "Authorization",
                Http.bearerBase64(Tokens.token(memory, memory.full, null, Duration.ofMinutes(5))))) {
            assertThat(c.status).as("Bearer token").isEqualTo(200);
        }
    }

    @Test
    void slowReader_isDroppedAtTheOutboundQueueBound() throws Exception {
        try (TestServer server = TestServer.start("limits: { maxOutboundQueueBytes: 262144 }");
                java.net.Socket slow = new java.net.Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            slow.getOutputStream()
                    .write(("GET /sse?v=1.2&channels=slow&key=" + enc(server.full.keyString())
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            slow.setSoTimeout(15_000);
            java.io.InputStream in = slow.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("id: ")) {
                int b = in.read();
                assertThat(b).as("stream start: %s", head).isNotNegative();
                assertThat(head.length()).as("stream start: %s", head).isLessThan(4096);
                head.append((char) b);
            }
            String big = "x".repeat(60_000);
            int count = 300;
            for (int i = 0; i < count; i++) {
                publish(server, "slow", "m" + i, big);
            }
            byte[] buf = new byte[1 << 16];
            long read = 0;
            try {
                // comment lines keep a live stream from timing out: stop once everything could have arrived
                for (int n = in.read(buf); n >= 0 && read < count * 60_000L; n = in.read(buf)) {
                    read += n;
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the slow reader was not dropped; read " + read + " bytes, still open");
            } catch (java.io.IOException reset) {
                // dropped: the server closed with data unread
            }
            assertThat(read).as("dropped before everything was delivered").isLessThan(count * 60_000L);
        }
    }

    private static void refused(URI uri, int status, int code) throws Exception {
        try (SseClient c = SseClient.open(uri)) {
            assertThat(c.status).as("%s", uri).isEqualTo(status);
            JsonNode error = Json.parse(c.body()).path("error");
            assertThat(error.path("code").asInt()).as("%s: %s", uri, error).isEqualTo(code);
            assertThat(c.response.headers().firstValue("X-Ably-Errorcode")).contains(String.valueOf(code));
        }
    }

    @Test
    void hostileRequests_areRefusedBeforeTheStream() throws Exception {
        String key = "&key=" + enc(memory.full.keyString());
        refused(memory.uri("/sse?v=1.2&channels=x"), 401, 40101);
        refused(memory.uri("/sse?v=1.2&channels=x&key=" + enc(memory.full.keyString() + "wrong")), 401, 40101);
        refused(
                memory.uri("/sse?v=1.2&channels=" + enc("chat:ok,secret") + "&key=" + enc(memory.limited.keyString())),
                401,
                40160);
        refused(memory.uri("/sse?v=1.2&channels=" + enc(":bad") + key), 400, 40010);
        refused(memory.uri("/sse?channels=x" + key), 400, 40000);
        refused(memory.uri("/sse?v=1.1&channels=x" + key), 400, 40017);
        refused(memory.uri("/sse?v=1.2" + key), 400, 40000);
        String many = IntStream.range(0, 101).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
        refused(memory.uri("/sse?v=1.2&channels=" + many + key), 400, 40003);
        refused(memory.uri("/sse?v=1.2&channels=x&rewind=1000" + key), 400, 40003);
        refused(memory.uri("/sse?v=1.2&channels=x&lastEvent=nonsense" + key), 400, 40003);
        try (SseClient c = SseClient.open(memory.uri("/sse?v=1.2&channels=" + "x".repeat(20_000) + key))) {
            assertThat(c.status).isBetween(400, 431);
        }
        Http.Response post = Http.postJson(memory.uri("/sse?v=1.2&channels=x" + key), "{}");
        assertThat(post.status()).isEqualTo(405);
    }
}
