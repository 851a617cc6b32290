package io.herald.server.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A client of the fault control API ({@code /control/faults}, docs/faults.md) over plain {@code java.net.http}: what
 * {@code herald fault} and herald-junit's {@code herald.faults()} use. Every answer that is not a 2xx becomes a
 * {@link Refused} carrying the Ably error the server sent (code, status, message); a server that cannot be reached
 * becomes an {@link Unreachable} whose message says so in one sentence.
 */
public final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http;

    /**
     * @param base  the server, e.g. {@code http://localhost:8080} (a trailing {@code /} is ignored)
     * @param token the control token ({@code control.token} or {@code HERALD_CONTROL_TOKEN} of the server)
     * @throws IllegalArgumentException when {@code base} is not an http(s) URL with a host
     */
    public ControlClient(String base, String token) {
        this.base = baseUri(base);
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The server this client talks to. */
    public URI base() {
        return base;
    }

    /** {@code POST /control/faults} with {@code spec} as the body; the fault as the server describes it. */
    public JsonNode inject(JsonNode spec) throws Refused, Unreachable {
        String body;
        try {
            body = JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the fault is not JSON: " + e.getOriginalMessage(), e);
        }
        return send(request(ControlRoutes.BASE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    /** {@code GET /control/faults[?appId=]}: {@code {"faults":[...]}}. */
    public JsonNode list(@Nullable String appId) throws Refused, Unreachable {
        return send(request(ControlRoutes.BASE + appQuery(appId)).GET().build());
    }

    /** {@code DELETE /control/faults/{id}}: clears one fault; {@link Refused} 404 / 40400 when it is not active. */
    public void clear(String id) throws Refused, Unreachable {
        send(request(ControlRoutes.BASE + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
                .DELETE()
                .build());
    }

    /** {@code DELETE /control/faults[?appId=]}: clears every fault (of one app); {@code {"cleared":n}}. */
    public JsonNode clearAll(@Nullable String appId) throws Refused, Unreachable {
        return send(request(ControlRoutes.BASE + appQuery(appId)).DELETE().build());
    }

    /** A new JSON object to fill in as a fault's body. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(base.getRawPath() + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) throws Refused, Unreachable {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for Herald at " + base, e);
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable(
                    "cannot reach Herald at " + base + ": no answer to the connection within "
                            + CONNECT_TIMEOUT.toSeconds() + " s",
                    e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(
                    "Herald at " + base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new Unreachable(
                    "cannot reach Herald at " + base + " (connection refused): is it running on that port?", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new Unreachable("cannot talk to Herald at " + base + ": " + why, e);
        }
        int status = response.statusCode();
        String body = response.body();
        if (status >= 200 && status < 300) {
            if (body.isEmpty()) {
                return JSON.createObjectNode();
            }
            return parse(body, status);
        }
        throw refused(status, body);
    }

    private JsonNode parse(String body, int status) throws Refused {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refused(status, 0, "the answer is not JSON: " + clip(body));
        }
    }

    /** An Ably error body {@code {"error":{code,statusCode,message}}}, or whatever else a proxy may have sent. */
    private static Refused refused(int status, String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isObject()) {
                int statusCode = error.path("statusCode").asInt(status);
                return new Refused(
                        statusCode,
                        error.path("code").asInt(0),
                        error.path("message").asText("HTTP " + status));
            }
        } catch (JsonProcessingException e) {
            // not an Ably server (a proxy, another program on the port): said below
        }
        return new Refused(status, 0, "HTTP " + status + " without an Ably error: " + clip(body));
    }

    private static String appQuery(@Nullable String appId) {
        return appId == null ? "" : "?appId=" + URLEncoder.encode(appId, StandardCharsets.UTF_8);
    }

    private static URI baseUri(String base) {
        URI u;
        try {
            u = URI.create(base.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + base, e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + base);
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + u.getRawAuthority() + path);
    }

    private static String clip(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }

    /** The server answered with an error. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int statusCode;
        private final int code;
        private final String reason;

        Refused(int statusCode, int code, String reason) {
            super(statusCode + (code == 0 ? "" : " / " + code) + ": " + reason);
            this.statusCode = statusCode;
            this.code = code;
            this.reason = reason;
        }

        /** The HTTP status of the Ably error (its {@code statusCode}). */
        public int statusCode() {
            return statusCode;
        }

        /** The Ably error code, or 0 when the answer was not an Ably error. */
        public int code() {
            return code;
        }

        /** The Ably error's message. */
        public String reason() {
            return reason;
        }
    }

    /** The server could not be reached or did not answer. */
    public static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
