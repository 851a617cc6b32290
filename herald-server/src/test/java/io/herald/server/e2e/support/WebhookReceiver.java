package io.herald.server.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook endpoint, as a customer would write one: it checks each request's {@code X-Ably-Signature} (base64
 * HMAC-SHA256 of the body with the secret of the key {@code X-Ably-Key} names) and keeps the items of the requests
 * that pass; those that fail are counted.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final CopyOnWriteArrayList<JsonNode> items = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<String> badSignatures = new CopyOnWriteArrayList<>();
    /** The keys allowed to sign, as keyName to secrets (servers of different tests may share a key name). */
    private final java.util.Map<String, java.util.Set<String>> secrets = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String keyName = exchange.getRequestHeaders().getFirst("X-Ably-Key");
            String signature = exchange.getRequestHeaders().getFirst("X-Ably-Signature");
            java.util.Set<String> known =
                    keyName == null ? java.util.Set.of() : secrets.getOrDefault(keyName, java.util.Set.of());
            if (signature == null || known.stream().noneMatch(secret -> signature.equals(sign(secret, body)))) {
                badSignatures.add(keyName + " " + signature);
                exchange.sendResponseHeaders(401, -1);
            } else {
                new ObjectMapper().readTree(body).path("items").forEach(items::add);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    /** Accepts requests signed with this key. */
    public WebhookReceiver trust(io.herald.auth.ApiKey key) {
        secrets.computeIfAbsent(
                        key.appId() + "." + key.keyId(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                .add(key.secret());
        return this;
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The items received so far that match. */
    public List<JsonNode> items(Predicate<JsonNode> which) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : items) {
            if (which.test(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Waits until at least {@code count} matching items arrived (10 s at most) and returns them. */
    public List<JsonNode> await(Predicate<JsonNode> which, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (items(which).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " webhook items, got " + items(which)
                        + "; bad signatures: " + badSignatures);
            }
            Thread.onSpinWait();
        }
        return items(which);
    }

    public List<String> badSignatures() {
        return List.copyOf(badSignatures);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
