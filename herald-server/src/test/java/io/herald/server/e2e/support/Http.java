package io.herald.server.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Raw HTTP against the server under test, with timeouts so a hanging server fails the test instead of blocking it. */
public final class Http {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Http() {}

    /** A response, with the request line kept for assertion messages. */
    public record Response(String request, int status, HttpHeaders headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return Json.parse(text());
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + headers.map() + " " + Json.abbreviate(text());
        }
    }

    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    }

    public static Response send(HttpRequest request) {
        String line = request.method() + " " + Json.abbreviate(request.uri().toString());
        try {
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(line, r.statusCode(), r.headers(), r.body());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT + " to " + line, e);
        } catch (IOException e) {
            throw new AssertionError("I/O error on " + line + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + line, e);
        }
    }

    public static Response get(URI uri, String... headers) {
        HttpRequest.Builder b = request(uri).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public static Response post(URI uri, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = request(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public static Response postJson(URI uri, String json, String... headers) {
        return post(uri, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    public static String basic(io.herald.auth.ApiKey key) {
        return "Basic " + Base64.getEncoder().encodeToString(key.keyString().getBytes(StandardCharsets.UTF_8));
    }

    public static String bearerBase64(String token) {
        return "Bearer " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An Ably error answer (docs/protocol.md §10.3): the status, {@code Content-Type: application/json} exactly, the
     * {@code X-Ably-Errorcode}/{@code X-Ably-Errormessage} headers and the {@code {"error":{...}}} body agreeing.
     */
    public static JsonNode assertAblyError(Response r, int status, int code) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        return assertAblyErrorShape(r, code);
    }

    /** As {@link #assertAblyError} for a code whose status is not pinned; returns the {@code error} object. */
    public static JsonNode assertAblyErrorShape(Response r, int code) {
        assertThat(r.header("Content-Type")).as("Content-Type of %s", r).isEqualTo("application/json");
        JsonNode body = r.json();
        JsonNode error = body.path("error");
        assertThat(error.isObject()).as("error object in %s", r).isTrue();
        assertThat(error.path("code").asInt()).as("error.code of %s", r).isEqualTo(code);
        assertThat(error.path("statusCode").asInt())
                .as("error.statusCode of %s", r)
                .isEqualTo(r.status());
        assertThat(error.path("message").asText()).as("error.message of %s", r).isNotBlank();
        assertThat(r.header("X-Ably-Errorcode")).as("X-Ably-Errorcode of %s", r).isEqualTo(String.valueOf(code));
        assertThat(r.header("X-Ably-Errormessage"))
                .as("X-Ably-Errormessage of %s", r)
                .isNotBlank();
        return error;
    }

    /** Any 4xx Ably error (bad input): never a 5xx, always the docs/protocol.md §10.3 shape. */
    public static JsonNode assertClientError(Response r) {
        assertThat(r.status()).as("status of %s", r).isBetween(400, 499);
        assertThat(r.header("Content-Type")).as("Content-Type of %s", r).isEqualTo("application/json");
        JsonNode error = r.json().path("error");
        assertThat(error.path("code").asInt()).as("error.code of %s", r).isBetween(40000, 49999);
        assertThat(error.path("statusCode").asInt())
                .as("error.statusCode of %s", r)
                .isEqualTo(r.status());
        assertThat(error.path("message").asText()).as("error.message of %s", r).isNotBlank();
        assertThat(r.header("X-Ably-Errorcode"))
                .as("X-Ably-Errorcode of %s", r)
                .isEqualTo(String.valueOf(error.path("code").asInt()));
        assertThat(r.header("X-Ably-Errormessage"))
                .as("X-Ably-Errormessage of %s", r)
                .isNotBlank();
        return error;
    }
}
