package io.herald.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import io.herald.core.observe.Observer;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real server on an ephemeral port with one full-access key, and blocking HTTP helpers. */
final class OpsServer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    final HeraldServer server;
    final ApiKey key;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private OpsServer(HeraldServer server, ApiKey key) {
        this.server = server;
        this.key = key;
    }

    /** A server with one full-access key, {@code test.k1}. */
    static OpsServer start() {
        ApiKey key = ApiKey.parse("test.k1:" + secret());
        return start(null, key, false, List.of(key.keyString()));
    }

    /** Sandbox mode (its provisioning routes too) with one full-access key, {@code test.k1}. */
    static OpsServer startSandbox() {
        ApiKey key = ApiKey.parse("test.k1:" + secret());
        return start(null, key, true, List.of(key.keyString()));
    }

    /** One full-access key, and the admin page on with this {@code admin.token} (set as HERALD_ADMIN_TOKEN). */
    static OpsServer startWithAdmin(String adminToken) {
        ApiKey key = ApiKey.parse("test.k1:" + secret());
        return start(null, key, false, List.of(key.keyString()), Map.of("HERALD_ADMIN_TOKEN", adminToken));
    }

    /** Sandbox mode and the admin page: every route there is, with one full-access key. */
    static OpsServer startSandboxWithAdmin() {
        ApiKey key = ApiKey.parse("test.k1:" + secret());
        return start(null, key, true, List.of(key.keyString()), Map.of("HERALD_ADMIN_TOKEN", secret()));
    }

    /** Sandbox mode with no key configured: a server that is live but not ready (no keys loaded). */
    static OpsServer startWithoutKeys() {
        return start(null, ApiKey.parse("test.k1:" + secret()), true, List.of());
    }

    /** One key with this capability (null: full access) and revocable tokens or not, from a YAML file in {@code dir}. */
    static OpsServer startWithKey(Path dir, String capability, boolean revocable) {
        ApiKey key = ApiKey.parse("test.k1:" + secret());
        Path yaml = dir.resolve("herald.yaml");
        try {
            Files.writeString(
                    yaml,
                    "apps:\n  - id: test\n    keys:\n      - key: " + key.keyString()
                            + "\n        revocableTokens: " + revocable + "\n"
                            + (capability == null ? "" : "        capability: '" + capability + "'\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(yaml, key, false, null);
    }

    private static OpsServer start(Path yaml, ApiKey key, boolean sandbox, List<String> keys) {
        return start(yaml, key, sandbox, keys, Map.of());
    }

    private static OpsServer start(Path yaml, ApiKey key, boolean sandbox, List<String> keys, Map<String, String> env) {
        ServerConfig cfg = ConfigLoader.load(
                yaml, new ConfigLoader.Overrides(0, "127.0.0.1", "memory", null, sandbox, keys, "ops-it"), env);
        try {
            return new OpsServer(HeraldServer.start(cfg, Clock.systemUTC(), Observer.NONE), key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String secret() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 43; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(WAIT).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** POST /keys/test.k1/requestToken with this body. */
    HttpResponse<String> requestToken(String body) {
        return postJson("/keys/" + key.keyName() + "/requestToken", body);
    }

    /** A fresh signed TokenRequest for the server's key. */
    String tokenRequest(TokenParams params) {
        return TokenRequests.create(key, params, Clock.systemUTC()).toJson();
    }

    /** POST with Basic auth of the server's key. */
    HttpResponse<String> postJsonWithKey(String path, String body) {
        String basic = java.util.Base64.getEncoder()
                .encodeToString(key.keyString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** A token for the server's key (via a signed TokenRequest). */
    String token(TokenParams params) {
        HttpResponse<String> r = requestToken(tokenRequest(params));
        if (r.statusCode() != 200) {
            throw new AssertionError("requestToken: " + r.statusCode() + " " + r.body());
        }
        return json(r.body()).path("token").asText();
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET /metrics, parsed. */
    Prometheus scrape() {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.body());
        }
        return Prometheus.parse(r.body());
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
