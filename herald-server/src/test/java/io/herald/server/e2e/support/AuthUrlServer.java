package io.herald.server.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * The customer's app server of the tutorial (docs/protocol.md §13 step 1): {@code GET /api/ably/token} answers a
 * TokenRequest signed by herald-auth for a fixed clientId, capability and ttl, as {@code application/json} with
 * {@code Cache-Control: no-store}. Records when it was called; a hook runs before each answer (call number from 1).
 */
public final class AuthUrlServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Long> calls = new CopyOnWriteArrayList<>();
    private volatile IntConsumer beforeAnswer = n -> {};

    public AuthUrlServer(ApiKey key, String clientId, String capability, Duration ttl) {
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/api/ably/token", exchange -> answer(exchange, key, clientId, capability, ttl));
        http.setExecutor(executor);
        http.start();
    }

    private void answer(HttpExchange exchange, ApiKey key, String clientId, String capability, Duration ttl)
            throws IOException {
        try {
            calls.add(System.nanoTime());
            beforeAnswer.accept(calls.size());
            TokenParams p = new TokenParams();
            p.clientId = clientId;
            p.capability = capability;
            p.ttl = ttl == null ? null : ttl.toMillis();
            byte[] body =
                    TokenRequests.create(key, p, Clock.systemUTC()).toJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (RuntimeException e) {
            byte[] body = e.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    /** Runs before each answer with the call number (1 = first); e.g. to publish while a client renews its token. */
    public void beforeAnswer(IntConsumer hook) {
        this.beforeAnswer = hook;
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/ably/token";
    }

    /** {@link System#nanoTime()} of each call so far. */
    public List<Long> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
