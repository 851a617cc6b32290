package io.herald.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw realtime connection in the JSON protocol over {@link java.net.http.WebSocket}: send frames, await them. */
final class RawRealtime implements AutoCloseable {
    static final int ACK = 1;
    static final int CONNECTED = 4;
    static final int CLOSE = 7;
    static final int CLOSED = 8;
    static final int ERROR = 9;
    static final int ATTACH = 10;
    static final int ATTACHED = 11;
    static final int MESSAGE = 15;

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private RawRealtime(OpsServer server, String query) {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/?" + query);
        this.ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(OpsServer.WAIT)
                .buildAsync(uri, new Listener())
                .orTimeout(OpsServer.WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Connected with the server's key, JSON format. */
    static RawRealtime connect(OpsServer server) {
        RawRealtime r = new RawRealtime(
                server,
                "key=" + URLEncoder.encode(server.key.keyString(), StandardCharsets.UTF_8) + "&format=json&v=6");
        r.await(m -> m.path("action").asInt() == CONNECTED, "CONNECTED");
        return r;
    }

    /** Opened with an arbitrary query (e.g. bad credentials), nothing awaited. */
    static RawRealtime open(OpsServer server, String query) {
        return new RawRealtime(server, query);
    }

    void send(String json) {
        ws.sendText(json, true)
                .orTimeout(OpsServer.WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** The next frame that matches, skipping others (heartbeats and so on). */
    JsonNode await(Predicate<JsonNode> match, String what) {
        long deadline = System.nanoTime() + OpsServer.WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode m;
            try {
                m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (m == null) {
                throw new AssertionError("no " + what + " within " + OpsServer.WAIT.toSeconds() + " s");
            }
            if (match.test(m)) {
                return m;
            }
        }
    }

    JsonNode awaitAction(int action) {
        return await(m -> m.path("action").asInt() == action, "action " + action);
    }

    /** Drops the TCP connection without a CLOSE: the server keeps the connection for a resume (suspended). */
    void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(OpsServer.json(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
        }
    }
}
