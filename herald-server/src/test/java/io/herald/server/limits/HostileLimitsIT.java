package io.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits against hostile clients, over raw WebSocket frames and raw HTTP: messages per frame, control-frame floods,
 * REST publish rate, server-decided message fields and the node-wide outbound queue bound; each refused with an Ably
 * error while the server keeps serving others.
 */
class HostileLimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("limits: { maxControlRate: 5, controlBurst: 5, maxRestPublishesPerSecond: 5, "
                + "maxOutboundQueueBytes: 268435456, maxTotalOutboundBytes: 1048576 }");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawWs connect() {
        RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=json&v=5");
        ws.awaitAction(4, WAIT);
        return ws;
    }

    @Test
    void frameWith150000Messages_nackedWith40009_serverServesOthers() {
        try (RawWs hostile = connect();
                RawWs other = connect()) {
            StringBuilder sb =
                    new StringBuilder("{\"action\":15,\"channel\":\"hostile-many\",\"msgSerial\":0,\"messages\":[");
            for (int i = 0; i < 150_000; i++) {
                sb.append(i == 0 ? "{}" : ",{}");
            }
            hostile.sendText(sb.append("]}").toString());
            RawWs.Frame nack = hostile.awaitAction(2, WAIT);
            assertThat(nack.message().path("error").path("code").asInt()).isEqualTo(40009);
            assertThat(nack.message().path("error").path("message").asText())
                    .contains("Too many messages")
                    .contains("150000");
            other.sendText(
                    "{\"action\":15,\"channel\":\"hostile-many\",\"msgSerial\":0,\"messages\":[{\"data\":\"ok\"}]}");
            assertThat(other.awaitAction(1, WAIT).message().path("msgSerial").asLong())
                    .isZero();
        }
    }

    @Test
    void attachFlood_refusedWith42910() {
        try (RawWs hostile = connect()) {
            for (int i = 0; i < 40; i++) {
                hostile.sendText("{\"action\":10,\"channel\":\"flood-" + i + "\"}");
            }
            RawWs.Frame err = hostile.await(f -> f.action() == 9, "ERROR", WAIT);
            assertThat(err.message().path("error").path("code").asInt()).isEqualTo(42910);
            assertThat(err.message().path("error").path("message").asText()).contains("Rate limit exceeded");
            assertThat(err.message().path("channel").asText()).startsWith("flood-");
        }
    }

    private static Http.Response restPublish(String channel, String body) {
        String basic =
                Base64.getEncoder().encodeToString(server.full.keyString().getBytes(StandardCharsets.UTF_8));
        return Http.send(Http.request(server.uri("/channels/" + channel + "/messages"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    @Test
    void restPublish_overTheRate_429With42910() {
        Http.Response r = restPublish(
                "rest-rate", "[{\"data\":1},{\"data\":2},{\"data\":3},{\"data\":4},{\"data\":5}," + "{\"data\":6}]");
        Http.Response again =
                restPublish("rest-rate", "[{\"data\":1},{\"data\":2},{\"data\":3},{\"data\":4},{\"data\":5}]");
        Http.Response refused = r.status() == 429 ? r : again;
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").path("code").asInt()).isEqualTo(42910);
        assertThat(refused.json().path("error").path("message").asText()).contains("published over REST");
    }

    @Test
    void clientSetActionSerialVersion_overriddenOnRealtimeAndRest() {
        try (RawWs sub = connect();
                RawWs pub = connect()) {
            sub.sendText("{\"action\":10,\"channel\":\"forged\"}");
            sub.awaitAction(11, WAIT);
            // an update/delete/append action makes a MESSAGE an operation on an earlier message (protocol.md §7.8):
            // refused on a namespace without mutableMessages, and nothing reaches subscribers
            pub.sendText("{\"action\":15,\"channel\":\"forged\",\"msgSerial\":0,\"messages\":[{\"data\":\"op\","
                    + "\"action\":2,\"serial\":\"forged\",\"version\":{\"serial\":\"forged\"}}]}");
            JsonNode nack = pub.await(f -> f.action() == 2, "NACK", WAIT).message();
            assertThat(nack.path("error").path("code").asInt()).isEqualTo(93002);
            // a create cannot choose its serial or version: the server sets them
            pub.sendText("{\"action\":15,\"channel\":\"forged\",\"msgSerial\":1,\"messages\":[{\"data\":\"rt\","
                    + "\"action\":0,\"serial\":\"forged\",\"version\":{\"serial\":\"forged\"}}]}");
            JsonNode rt = sub.await(f -> f.action() == 15, "MESSAGE", WAIT)
                    .message()
                    .path("messages")
                    .get(0);
            assertCreate(rt);
            Http.Response r = restPublish(
                    "forged",
                    "{\"data\":\"rest\",\"action\":1,\"serial\":\"forged\"," + "\"version\":{\"serial\":\"forged\"}}");
            assertThat(r.status()).isEqualTo(201);
            JsonNode rest = sub.await(f -> f.action() == 15, "MESSAGE", WAIT)
                    .message()
                    .path("messages")
                    .get(0);
            assertThat(rest.path("data").asText()).isEqualTo("rest");
            assertCreate(rest);
        }
    }

    private static void assertCreate(JsonNode m) {
        assertThat(m.path("action").asInt(0)).isZero();
        assertThat(m.path("serial").asText()).isNotEqualTo("forged");
        assertThat(m.path("version").path("serial").asText()).isNotEqualTo("forged");
    }

    /** Reads (byte by byte, so nothing after it is consumed) until {@code marker} has been seen. */
    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed before " + marker + ": " + seen);
            }
            seen.append((char) b);
        }
    }

    /** A client frame (masked with a zero key, so the payload goes as is). */
    private static void writeFrame(OutputStream out, String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x81);
        out.write(0x80 | p.length);
        out.write(new byte[4]);
        out.write(p);
        out.flush();
    }

    @Test
    void slowConsumers_overTheNodeWideOutboundBound_dropped_othersServed() throws Exception {
        try (Socket slow = new Socket();
                RawWs pub = connect()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = slow.getOutputStream();
            out.write(
                    ("GET /?format=json&key=" + RawWs.enc(server.full.keyString()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            slow.setSoTimeout((int) WAIT.toMillis());
            readUntil(slow.getInputStream(), "\"action\":4");
            writeFrame(out, "{\"action\":10,\"channel\":\"slow\"}");
            readUntil(slow.getInputStream(), "\"action\":11");
            String big = "x".repeat(60_000);
            for (int i = 0; i < 200; i++) {
                pub.sendText("{\"action\":15,\"channel\":\"slow\",\"msgSerial\":" + i + ",\"messages\":[{\"data\":\""
                        + big + "\"}]}");
                pub.awaitAction(1, WAIT);
            }
            slow.setSoTimeout((int) WAIT.toMillis());
            long started = System.nanoTime();
            InputStream in = slow.getInputStream();
            byte[] buf = new byte[1 << 16];
            long read = 0;
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    read += n;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the slow consumer was not dropped; read " + read + " bytes, still open");
            } catch (IOException reset) {
                // dropped: the server closed with data unread
            }
            assertThat(read).as("dropped before everything was delivered").isLessThan(200L * 60_000);
            // the server's dead-peer timeout (45 s) would also close this silent socket: the drop must come first
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            pub.sendText("{\"action\":15,\"channel\":\"other\",\"msgSerial\":200,\"messages\":[{\"data\":\"ok\"}]}");
            assertThat(pub.awaitAction(1, WAIT).message().path("msgSerial").asLong())
                    .isEqualTo(200);
        }
    }
}
