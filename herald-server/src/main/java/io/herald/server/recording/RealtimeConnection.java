package io.herald.server.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A minimal Ably realtime client over the JDK's WebSocket, JSON format, protocol 5 (docs/protocol.md §1–§8): it
 * connects with a key, attaches channels, sends presence and waits for their ACK or NACK, and hands every MESSAGE,
 * PRESENCE and SYNC frame (and unexpected channel state changes) to a consumer. It does not resume: when the
 * transport ends, {@link #lost()} completes with the reason.
 */
final class RealtimeConnection implements AutoCloseable {
    static final int HEARTBEAT = 0;
    static final int ACK = 1;
    static final int NACK = 2;
    static final int CONNECTED = 4;
    static final int DISCONNECTED = 6;
    static final int CLOSE = 7;
    static final int CLOSED = 8;
    static final int ERROR = 9;
    static final int ATTACH = 10;
    static final int ATTACHED = 11;
    static final int DETACHED = 13;
    static final int PRESENCE = 14;
    static final int MESSAGE = 15;
    static final int SYNC = 16;

    /** Channel mode flags (docs/protocol.md §2.3). */
    static final int MODE_PRESENCE = 1 << 16;

    static final int MODE_SUBSCRIBE = 1 << 18;
    static final int MODE_PRESENCE_SUBSCRIBE = 1 << 19;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Consumer<JsonNode> frames;
    private final Duration timeout;
    private final CompletableFuture<JsonNode> connected = new CompletableFuture<>();
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> attaches = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<@Nullable AblyError>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable WebSocket socket;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile long maxIdleMs = 15_000;
    private long msgSerial;

    private RealtimeConnection(Consumer<JsonNode> frames, Duration timeout) {
        this.frames = frames;
        this.timeout = timeout;
    }

    /**
     * Connects and waits for CONNECTED. {@code frames} gets the frames nobody waits for, on the socket's thread, one
     * at a time.
     */
    static RealtimeConnection open(Endpoint endpoint, Consumer<JsonNode> frames, Duration timeout)
            throws RecordingException {
        RealtimeConnection c = new RealtimeConnection(frames, timeout);
        try {
            c.socket = HTTP.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(endpoint.websocket(), c.new Listener())
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(endpoint, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(RecordingException.UNREACHABLE, "interrupted while connecting", e);
        }
        try {
            c.await(c.connected, "CONNECTED from " + endpoint.rest());
        } catch (AblyError.Failure f) {
            c.abort();
            throw new RecordingException(
                    RecordingException.REFUSED,
                    "the server refused the connection with key " + endpoint.keyName() + ": " + f.error);
        } catch (RecordingException e) {
            c.abort();
            throw e;
        }
        return c;
    }

    private static RecordingException unreachable(Endpoint endpoint, Throwable cause) {
        String why;
        if (cause instanceof WebSocketHandshakeException h) {
            why = "the WebSocket upgrade was refused with HTTP "
                    + h.getResponse().statusCode() + " (is it an Ably endpoint?)";
        } else if (cause instanceof ConnectException) {
            why = "connection refused (is the server running?)";
        } else if (cause instanceof HttpConnectTimeoutException || cause instanceof TimeoutException) {
            why = "no answer in time";
        } else {
            why = String.valueOf(cause);
        }
        return new RecordingException(
                RecordingException.UNREACHABLE, "cannot reach " + endpoint.rest() + ": " + why, cause);
    }

    /** Completes with why the connection ended (never exceptionally). */
    CompletionStage<String> lost() {
        return lost;
    }

    /** Attaches {@code channel} with the given mode flags; a channel ERROR is thrown as an {@link AblyError.Failure}. */
    JsonNode attach(String channel, int modes) throws RecordingException {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        attaches.put(channel, f);
        ObjectNode frame = RecordingFile.JSON.createObjectNode();
        frame.put("action", ATTACH);
        frame.put("channel", channel);
        frame.put("flags", modes);
        send(frame);
        return await(f, "ATTACHED for " + channel);
    }

    /** Sends one presence message on {@code channel}; null once ACKed, or the NACK's error. */
    @Nullable
    AblyError presence(String channel, ObjectNode presenceMessage) throws RecordingException {
        CompletableFuture<@Nullable AblyError> answer = new CompletableFuture<>();
        ObjectNode frame = RecordingFile.JSON.createObjectNode();
        synchronized (this) {
            long serial = msgSerial++;
            pending.put(serial, answer);
            frame.put("action", PRESENCE);
            frame.put("channel", channel);
            frame.put("msgSerial", serial);
            frame.putArray("presence").add(presenceMessage);
            send(frame);
        }
        return await(answer, "the ACK of a presence message on " + channel);
    }

    private synchronized void send(ObjectNode frame) throws RecordingException {
        WebSocket ws = socket;
        if (ws == null || lost.isDone()) {
            throw new RecordingException(
                    RecordingException.UNREACHABLE, "the connection was lost: " + lost.getNow("not connected"));
        }
        try {
            ws.sendText(RecordingFile.JSON.writeValueAsString(frame), true)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RecordingException(RecordingException.UNREACHABLE, "sending to the server failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(RecordingException.UNREACHABLE, "interrupted", e);
        }
    }

    private <T> T await(CompletableFuture<T> f, String what) throws RecordingException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(f, lost);
        try {
            either.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RecordingException(
                    RecordingException.UNREACHABLE, "no " + what + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AblyError.Failure failure) {
                throw failure;
            }
            throw new RecordingException(RecordingException.UNREACHABLE, "waiting for " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(RecordingException.UNREACHABLE, "interrupted waiting for " + what, e);
        }
        if (!f.isDone()) {
            throw new RecordingException(
                    RecordingException.UNREACHABLE, "the connection was lost waiting for " + what + ": " + lost.join());
        }
        return f.join();
    }

    /** Sends CLOSE, waits a moment for CLOSED, then closes the socket. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null || lost.isDone()) {
            abort();
            return;
        }
        ObjectNode frame = RecordingFile.JSON.createObjectNode();
        frame.put("action", CLOSE);
        try {
            send(frame);
            lost.get(2, TimeUnit.SECONDS);
        } catch (RecordingException | ExecutionException | TimeoutException e) {
            // closing is best effort: the socket is closed below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abort();
    }

    private void abort() {
        lost.complete("closed by this client");
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    /**
     * How long the server has been silent beyond what it promised ({@code maxIdleInterval} from CONNECTED, and the
     * 10 s of slack the SDKs give it); positive means the connection should be taken as dead.
     */
    Duration overdue() {
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameNanos);
        return Duration.ofMillis(silentMs - maxIdleMs - 10_000);
    }

    private void onFrame(JsonNode f) {
        lastFrameNanos = System.nanoTime();
        int action = f.path("action").asInt(-1);
        String channel = f.path("channel").asText("");
        switch (action) {
            case HEARTBEAT -> {
                // only proves the connection alive
            }
            case CONNECTED -> {
                maxIdleMs = f.path("connectionDetails").path("maxIdleInterval").asLong(15_000);
                connected.complete(f);
            }
            case DISCONNECTED -> lost.complete("the server disconnected this client: " + errorOf(f));
            case CLOSED -> lost.complete("closed");
            case ERROR -> {
                if (f.hasNonNull("channel")) {
                    CompletableFuture<JsonNode> a = attaches.remove(channel);
                    if (a != null) {
                        a.completeExceptionally(new AblyError.Failure(errorOf(f)));
                    } else {
                        frames.accept(f);
                    }
                } else {
                    connected.completeExceptionally(new AblyError.Failure(errorOf(f)));
                    lost.complete("the server ended the connection: " + errorOf(f));
                }
            }
            case ATTACHED -> {
                CompletableFuture<JsonNode> a = attaches.remove(channel);
                if (a != null) {
                    a.complete(f);
                } else {
                    frames.accept(f);
                }
            }
            case DETACHED -> {
                CompletableFuture<JsonNode> a = attaches.remove(channel);
                if (a != null) {
                    a.completeExceptionally(new AblyError.Failure(errorOf(f)));
                } else {
                    frames.accept(f);
                }
            }
            case ACK, NACK -> {
                long first = f.path("msgSerial").asLong(-1);
                int count = Math.max(1, f.path("count").asInt(1));
                for (long s = first; s < first + count; s++) {
                    CompletableFuture<@Nullable AblyError> p = pending.remove(s);
                    if (p != null) {
                        p.complete(action == ACK ? null : errorOf(f));
                    }
                }
            }
            default -> frames.accept(f);
        }
    }

    private static AblyError errorOf(JsonNode frame) {
        return frame.has("error") ? AblyError.of(frame.get("error")) : new AblyError(0, 0, "(no error given)");
    }

    /** Frames arrive on the HTTP client's thread; text frames may come in parts. */
    private final class Listener implements WebSocket.Listener {
        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(RecordingFile.JSON.readTree(text));
                } catch (JsonProcessingException e) {
                    lost.complete("the server sent a frame that is not JSON: " + e.getOriginalMessage());
                    webSocket.abort();
                    return null;
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // the JSON format has no binary frames
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended("the server closed the socket (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended("the connection failed: " + error);
        }

        private void ended(String why) {
            lost.complete(why);
            connected.completeExceptionally(new IOException(why));
            pending.values().forEach(p -> p.completeExceptionally(new IOException(why)));
            attaches.values().forEach(a -> a.completeExceptionally(new IOException(why)));
        }
    }
}
