package io.herald.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.TestServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * Mutated and random REST bodies against a running server: publishes (JSON and msgpack) and requestToken bodies
 * (mutations of validly signed TokenRequests). Every answer is below 500; nothing reaches the Netty handlers'
 * {@code exceptionCaught} nor is logged as an error; and afterwards the server still answers a normal request.
 */
class RestFuzzIT {
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static TestServer server;
    /** The serial of a message on a mutableMessages channel, which the annotation bodies annotate. */
    private static String annotated = "";

    /** The serial of a chat message in room {@code fuzz}, which the Chat API bodies update and react to. */
    private static String chatSerial = "";

    private static ListAppender<ILoggingEvent> log;
    private static final List<Logger> WATCHED = new ArrayList<>();

    @BeforeContainer
    static void start() {
        server = TestServer.start("    namespaces:\n      - id: notes\n        mutableMessages: true\n");
        Http.Response published = Http.post(
                server.uri("/channels/notes:fuzz/messages"),
                "application/json",
                "{\"data\":\"annotate me\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Authorization",
                Http.basic(server.full));
        annotated = new String(published.body(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(".*\"serials\":\\[\"([^\"]+)\".*", "$1");
        assertThat(annotated).as("the published message's serial").matches("[^\"{}]+:000");
        Http.Response chat = Http.post(
                server.uri("/chat/v4/rooms/fuzz/messages"),
                "application/json",
                "{\"text\":\"react to me\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Authorization",
                Http.basic(server.full));
        chatSerial = new String(chat.body(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(".*\"serial\":\"([^\"]+)\".*", "$1");
        assertThat(chatSerial).as("the chat message's serial").matches("[^\"{}]+:000");
        log = new ListAppender<>();
        log.start();
        for (String name :
                List.of("io.herald.server.netty.HttpHandler", "io.herald.server.netty.WebSocketHandler", "io.herald")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            if (!name.equals("io.herald")) {
                l.setLevel(Level.DEBUG);
            }
            l.addAppender(log);
            WATCHED.add(l);
        }
    }

    @AfterContainer
    static void stop() {
        try {
            assertThat(Http.get(server.uri("/time")).status())
                    .as("a normal request after the fuzzing")
                    .isEqualTo(200);
            List<String> unexpected = log.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
                            || e.getLoggerName().endsWith("Handler")
                                    && e.getFormattedMessage().contains(" error: "))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
                    .distinct()
                    .toList();
            assertThat(unexpected)
                    .as("errors logged or caught by the Netty handlers")
                    .isEmpty();
            System.out.println("RestFuzzIT: " + REQUESTS.get() + " requests sent");
        } finally {
            WATCHED.forEach(l -> l.detachAppender(log));
            ((Logger) LoggerFactory.getLogger("io.herald.server.netty.HttpHandler")).setLevel(null);
            ((Logger) LoggerFactory.getLogger("io.herald.server.netty.WebSocketHandler")).setLevel(null);
            server.close();
        }
    }

    @Property
    void publishBody_neverA5xx(@ForAll("publishBodies") byte[] body, @ForAll boolean msgpack) {
        REQUESTS.incrementAndGet();
        Http.Response r = Http.post(
                server.uri("/channels/fuzz/messages"),
                msgpack ? "application/x-msgpack" : "application/json",
                body,
                "Authorization",
                Http.basic(server.full));
        assertThat(r.status()).as("%s", r).isLessThan(500);
    }

    @Property
    void annotationBody_neverA5xx(@ForAll("annotationBodies") byte[] body, @ForAll boolean msgpack) {
        REQUESTS.incrementAndGet();
        Http.Response r = Http.post(
                server.uri("/channels/notes:fuzz/messages/"
                        + java.net.URLEncoder.encode(annotated, java.nio.charset.StandardCharsets.UTF_8)
                        + "/annotations"),
                msgpack ? "application/x-msgpack" : "application/json",
                body,
                "Authorization",
                Http.basic(server.full));
        assertThat(r.status()).as("%s", r).isLessThan(500);
    }

    @Provide
    Arbitrary<byte[]> annotationBodies() {
        List<String> bodies = List.of(
                "[{\"type\":\"reactions:distinct.v1\",\"name\":\"+1\",\"clientId\":\"a\"}]",
                "{\"type\":\"votes:multiple.v1\",\"name\":\"x\",\"count\":3,\"data\":{\"n\":1},\"extras\":{}}",
                "[{\"type\":\"seen:total.v1\",\"action\":1,\"id\":\"i:0\",\"encoding\":\"base64\",\"data\":\"AAEC\"}]",
                "{\"type\":\"s:unique.v1\",\"name\":\"ok\",\"clientId\":\"b\",\"messageSerial\":\"nope\"}");
        List<byte[]> seeds = new ArrayList<>(Seeds.utf8(bodies));
        seeds.addAll(Seeds.msgpackBodies(bodies));
        return Mutator.bytes(seeds);
    }

    private static Http.Response chat(String method, String path, byte[] body, boolean msgpack) {
        return Http.send(Http.request(server.uri("/chat/v4/rooms/fuzz/messages" + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", msgpack ? "application/x-msgpack" : "application/json")
                .header("Authorization", Http.basic(server.full))
                .build());
    }

    private static String chatMessage() {
        return "/" + java.net.URLEncoder.encode(chatSerial, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Property
    void chatBodies_neverA5xx(@ForAll("chatBodies") byte[] body, @ForAll boolean msgpack) {
        REQUESTS.incrementAndGet();
        for (Http.Response r : List.of(
                chat("POST", "", body, msgpack),
                chat("PUT", chatMessage(), body, msgpack),
                chat("POST", chatMessage() + "/delete", body, msgpack),
                chat("POST", chatMessage() + "/reactions", body, msgpack))) {
            assertThat(r.status()).as("%s", r).isLessThan(500);
        }
    }

    @Provide
    Arbitrary<byte[]> chatBodies() {
        List<String> bodies = List.of(
                "{\"text\":\"hi\",\"metadata\":{\"a\":{\"b\":[1,2]}},\"headers\":{\"h\":\"v\",\"n\":1}}",
                "{\"message\":{\"text\":\"edited\",\"headers\":{}},\"description\":\"d\",\"metadata\":{\"k\":\"v\"}}",
                "{\"type\":\"multiple\",\"name\":\"clap\",\"count\":3}",
                "{\"type\":\"unique\",\"name\":\"like\"}");
        List<byte[]> seeds = new ArrayList<>(Seeds.utf8(bodies));
        seeds.addAll(Seeds.msgpackBodies(bodies));
        return Mutator.bytes(seeds);
    }

    @Property
    void requestTokenBody_neverA5xx(@ForAll("tokenRequestBodies") byte[] body) {
        REQUESTS.incrementAndGet();
        Http.Response r = Http.post(server.uri("/keys/test.full/requestToken"), "application/json", body);
        assertThat(r.status()).as("%s", r).isLessThan(500);
    }

    @Provide
    Arbitrary<byte[]> publishBodies() {
        List<byte[]> seeds = new ArrayList<>(Seeds.utf8(Seeds.MESSAGE_BODIES));
        seeds.addAll(Seeds.msgpackBodies(Seeds.MESSAGE_BODIES));
        return Mutator.bytes(seeds);
    }

    @Provide
    Arbitrary<byte[]> tokenRequestBodies() {
        TokenParams p = new TokenParams();
        p.clientId = "alice";
        p.capability = "{\"fuzz:*\":[\"publish\",\"subscribe\"]}";
        p.ttl = 60_000L;
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // fresh nonces: a valid seed that survives mutation issues a token
            seeds.add(TokenRequests.create(server.full, i % 2 == 0 ? p : new TokenParams(), Clock.systemUTC())
                    .toJson());
        }
        return Mutator.bytes(Seeds.utf8(seeds));
    }
}
