package io.herald.server.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A raw WebSocket client ({@code java.net.http.WebSocket}) for sending frames no SDK would send. Every received
 * data frame is decoded independently of Herald (text as JSON, binary as msgpack) and queued; the close handshake and
 * errors complete {@link #closed()}.
 */
public final class RawWs implements AutoCloseable {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One received data frame. */
    public record Frame(boolean binary, JsonNode message) {
        public int action() {
            return message.path("action").asInt(-1);
        }

        @Override
        public String toString() {
            return (binary ? "binary " : "text ") + message;
        }
    }

    /** How the connection ended: the close code and reason from the server, or the transport error. */
    public record Closed(int code, String reason, Throwable error) {}

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<Frame> seen = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private RawWs(URI uri) {
        try {
            this.ws = CLIENT.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, new Listener())
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted opening " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("WebSocket upgrade to " + uri + " failed: " + e, e);
        }
    }

    /** Opens {@code ws://127.0.0.1:port/?query}. */
    public static RawWs open(TestServer server, String query) {
        return new RawWs(server.wsUri(query));
    }

    /** Opens any WebSocket URI (a server in another process). */
    public static RawWs open(URI uri) {
        return new RawWs(uri);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String s = text.toString();
                text.setLength(0);
                JsonNode m;
                try {
                    m = Json.parse(s);
                } catch (IllegalArgumentException e) {
                    m = Json.object().put("undecodable", s);
                }
                frames.add(new Frame(false, m));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
            if (last) {
                byte[] all = bytes.toByteArray();
                bytes.reset();
                JsonNode m;
                try {
                    m = Json.parseMsgpack(all);
                } catch (RuntimeException e) {
                    m = Json.object()
                            .put("undecodable", java.util.HexFormat.of().formatHex(all));
                }
                frames.add(new Frame(true, m));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason, null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, null, error));
        }
    }

    public void sendText(String text) {
        join(ws.sendText(text, true));
    }

    public void sendBinary(byte[] bytes) {
        join(ws.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    /**
     * Sends a frame the server may refuse before it has all of it (e.g. one over the size limit): a send cut short
     * because the server already answered and closed is not a failure; the test then checks what the server sent.
     */
    public void sendTolerantly(byte[] payload, boolean binary) {
        CompletableFuture<WebSocket> f = binary
                ? ws.sendBinary(ByteBuffer.wrap(payload), true)
                : ws.sendText(new String(payload, StandardCharsets.UTF_8), true);
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            // the server closed while the frame was still being sent
        } catch (TimeoutException e) {
            throw new AssertionError("sending did not complete or fail within 10 s", e);
        }
    }

    /** Sends one message as several frames (continuations) and does not finish it (no final frame). */
    public void sendUnfinishedFragments(byte[] fragment, int count, boolean binary) {
        for (int i = 0; i < count; i++) {
            join(
                    binary
                            ? ws.sendBinary(ByteBuffer.wrap(fragment), false)
                            : ws.sendText(new String(fragment, StandardCharsets.UTF_8), false));
        }
    }

    /** Sends a ProtocolMessage in the connection's format: JSON text, or msgpack binary. */
    public void sendMessage(Object message, boolean msgpack) {
        if (msgpack) {
            sendBinary(Json.writeMsgpack(message));
        } else {
            sendText(Json.write(message));
        }
    }

    private static void join(CompletableFuture<WebSocket> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("sending failed: " + e, e);
        }
    }

    /** The next data frame, failing after {@code timeout}. */
    public Frame next(Duration timeout) {
        try {
            Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + timeout + "; frames so far: " + seen
                        + (closed.isDone() ? "; closed: " + closed.join() : ""));
            }
            seen.add(f);
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips frames until one matches (e.g. ignoring HEARTBEATs), failing after {@code timeout} in total. */
    public Frame await(Predicate<Frame> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout + "; frames: " + seen
                        + (closed.isDone() ? "; closed: " + closed.join() : ""));
            }
            Frame f;
            try {
                f = frames.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                if (f == null && closed.isDone() && frames.isEmpty()) {
                    throw new AssertionError("the connection ended without " + what + "; frames: " + seen + "; closed: "
                            + closed.join());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (f == null) {
                continue;
            }
            seen.add(f);
            if (match.test(f)) {
                return f;
            }
        }
    }

    /** The next frame with this action, skipping HEARTBEATs and anything else. */
    public Frame awaitAction(int action, Duration timeout) {
        return await(f -> f.action() == action, "frame with action " + action, timeout);
    }

    /** Completes when the server closes the connection (or it breaks). */
    public CompletableFuture<Closed> closed() {
        return closed;
    }

    /** Waits for the connection to end. */
    public Closed awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout + "; frames: " + seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Every frame taken from the queue so far. */
    public List<Frame> seen() {
        return List.copyOf(seen);
    }

    /** URL-encodes a query parameter value. */
    public static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
