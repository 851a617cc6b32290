package io.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle HTTP clients against a real server: half-sent heads and bodies get a 408 and are closed after the
 * configured deadline, idle keep-alive connections are closed, WebSockets are left alone, and a flood of half-open
 * sockets from one address neither exceeds the connection caps nor keeps a prompt client (REST or WebSocket) out.
 */
class SlowClientsIT {
    private static final String SHORT =
            "limits: { httpHeaderTimeout: 300ms, httpBodyTimeout: 300ms, httpIdleTimeout: 300ms }";

    @Test
    void halfSentHead_408ThenClosed_afterTheHeaderTimeout() throws IOException {
        try (TestServer server = TestServer.start(SHORT);
                Socket s = socket(server)) {
            long start = System.nanoTime();
            send(s, "GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            String answer = readUntilClosed(s, Duration.ofSeconds(5));
            assertThat(answer)
                    .startsWith("HTTP/1.1 408")
                    .contains("\"code\":40000")
                    .contains("connection: close");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void silentNewConnection_closedAfterTheHeaderTimeout() throws IOException {
        try (TestServer server = TestServer.start(SHORT);
                Socket s = socket(server)) {
            assertThat(readUntilClosed(s, Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void halfSentBody_408ThenClosed_afterTheBodyTimeout() throws IOException {
        try (TestServer server = TestServer.start(SHORT);
                Socket s = socket(server)) {
            send(
                    s,
                    "POST /keys/test.full/requestToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Origin: https://app.example\r\nContent-Length: 100\r\n\r\n{\"keyName\":");
            String answer = readUntilClosed(s, Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.1 408").contains("Request body not received within 300 ms");
        }
    }

    @Test
    void keepAlive_secondRequestHalfSent_408AfterTheHeaderTimeout_notTheLongerIdleOne() throws IOException {
        try (TestServer server = TestServer.start("limits: { httpHeaderTimeout: 300ms, httpIdleTimeout: 4s }");
                Socket s = socket(server)) {
            for (int i = 0; i < 3; i++) {
                send(s, "GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
            }
            long start = System.nanoTime();
            send(s, "GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            String answer = readUntilClosed(s, Duration.ofSeconds(8));
            assertThat(answer).startsWith("HTTP/1.1 408").contains("Request head not received within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void idleKeepAlive_closedAfterTheIdleTimeout_afterItsAnswer() throws IOException {
        try (TestServer server = TestServer.start(SHORT);
                Socket s = socket(server)) {
            send(s, "GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String answer = readUntilClosed(s, Duration.ofSeconds(5));
            assertThat(answer)
                    .startsWith("HTTP/1.1 200")
                    .contains("connection: keep-alive")
                    .doesNotContain("408");
        }
    }

    @Test
    void webSocket_notClosedByTheHttpTimeouts() {
        try (TestServer server = TestServer.start(SHORT + "\ntimings: { maxIdleInterval: 1s }");
                RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()))) {
            ws.awaitAction(4, Duration.ofSeconds(5)); // CONNECTED
            ws.awaitAction(0, Duration.ofSeconds(5)); // a HEARTBEAT, > 3 idle timeouts later
            ws.awaitAction(0, Duration.ofSeconds(5));
            assertThat(ws.closed()).isNotDone();
        }
    }

    @Test
    void thousandHalfOpenSockets_capsHold_andPromptClientsAreServedWithinASecond() throws IOException {
        // long deadlines: here the caps, not the timeouts, must make room for the prompt clients
        try (TestServer server = TestServer.start(
                "limits: { httpHeaderTimeout: 60s, maxConnections: 800, " + "maxConnectionsPerAddress: 600 }")) {
            promptClients(server); // warm up the test's own clients (class loading, JIT)
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    Socket s = socket(server);
                    stalled.add(s);
                    send(s, "GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                }
                promptClients(server);
                // the per-address cap held: at least 1000 - 600 of the stalled sockets were closed by the server,
                // the oldest first
                // (the server's closes reach the sockets asynchronously: re-scan the open ones for up to 5 s)
                java.util.Set<Socket> closed = new java.util.HashSet<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                do {
                    for (Socket s : stalled) {
                        if (!closed.contains(s) && isClosedByPeer(s)) {
                            closed.add(s);
                        }
                    }
                } while (closed.size() < 400 && System.nanoTime() < deadline);
                assertThat(closed.size()).isGreaterThanOrEqualTo(400);
                assertThat(isClosedByPeer(stalled.get(0))).isTrue();
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    /** GET /time answered and a WebSocket CONNECTED, each within a second. */
    private static void promptClients(TestServer server) {
        long start = System.nanoTime();
        Http.Response time = Http.get(server.uri("/time"));
        assertThat(time.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        start = System.nanoTime();
        try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()))) {
            ws.awaitAction(4, Duration.ofSeconds(1));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    private static Socket socket(TestServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the server sends until it closes the connection; fails if it stays open past the deadline. */
    private static String readUntilClosed(Socket s, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            long left = end - System.nanoTime();
            assertThat(left)
                    .as("connection still open after %s; got %s", deadline, got)
                    .isPositive();
            s.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return got.toString(StandardCharsets.US_ASCII); // reset by the server: closed as well
            }
            if (n < 0) {
                return got.toString(StandardCharsets.US_ASCII);
            }
            got.write(buf, 0, n);
        }
    }

    /** One whole response on a kept-alive connection: its head, then as many body bytes as its content-length. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("closed in the head; got %s", got).isNotNegative();
            got.write(b);
        }
        String head = got.toString(StandardCharsets.US_ASCII);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertThat(m.find()).as(head).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return head + new String(body, StandardCharsets.US_ASCII);
    }

    /** True if the server has closed this socket (EOF or reset). */
    private static boolean isClosedByPeer(Socket s) throws IOException {
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
