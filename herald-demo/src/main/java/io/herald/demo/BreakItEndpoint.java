package io.herald.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/break/{action}}: the admin's "break it" panel. The backend asks Herald's fault control API
 * (docs/faults.md) to do to the signed-in admin's own connection what the real service can do to any client, so the
 * page can show the SDK recovering:
 * <ul>
 *   <li>{@code drop}: {@code connection.drop} for the user's clientId: the socket closes, the SDK resumes;
 *   <li>{@code expire}: {@code token.expire} for the user's clientId: DISCONNECTED 40142, the SDK renews its token
 *       at {@code /api/ably/token} and resumes;
 *   <li>{@code fail-channel} ({@code {"room":"lobby"}}): {@code channel.fail} on the room's channel
 *       {@code lobby::$chat}, for the user's connections only: the room goes {@code failed} and the page re-attaches.
 * </ul>
 * The control token stays in this process. Answers in the demo's error style ({@code {"error": "..."}}): 415 unless
 * JSON, 403 for a cross-origin request or a user who is not an admin, 401 without a session, 400 for an unknown
 * action or room, 429 over the rate (a burst of {@link #BURST}, then one a second per user), 503 when no control
 * token is configured, 502 when Herald cannot be reached or refuses; 200 with the fault Herald made otherwise.
 */
final class BreakItEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(BreakItEndpoint.class);
    /** How many requests a user may make at once; then one per {@link #REFILL}. */
    static final int BURST = 3;

    static final Duration REFILL = Duration.ofSeconds(1);
    /**
     * One-shot faults act when injected; Herald lists them until their ttl. A short ttl keeps the list (at most 100
     * faults per node) clear of spent ones.
     */
    static final long FAULT_TTL_MS = 5_000;

    static final String OFF = "The break-it panel is off: this demo backend has no HERALD_CONTROL_TOKEN (Herald's "
            + "fault control token); ./herald demo sets one for each run";

    /** The panel's actions and the fault kind each one injects. */
    static final Map<String, String> ACTIONS =
            Map.of("drop", "connection.drop", "expire", "token.expire", "fail-channel", "channel.fail");

    private final DemoConfig.@Nullable HeraldControl control;
    private final String appId;
    private final Clock clock;
    private final TokenEndpoint.Sessions sessions;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    BreakItEndpoint(
            DemoConfig.@Nullable HeraldControl control, String appId, Clock clock, TokenEndpoint.Sessions sessions) {
        this.control = control;
        this.appId = appId;
        this.clock = clock;
        this.sessions = sessions;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Whether the panel can work: the front end shows it (to admins) only then. */
    boolean enabled() {
        return control != null;
    }

    void handle(Context ctx) throws JsonProcessingException {
        if (!sameOrigin(ctx)) {
            error(ctx, 403, "Cross-origin requests are refused");
            return;
        }
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(ctx, 415, "Send application/json");
            return;
        }
        Optional<User> user = sessions.user(ctx);
        if (user.isEmpty()) {
            ctx.status(401).contentType("application/json").result(TokenEndpoint.NOT_AUTHORIZED);
            return;
        }
        if (user.get().role() != Role.ADMIN) {
            error(ctx, 403, "Only the admin role may break things");
            return;
        }
        String action = ctx.pathParam("action");
        String kind = ACTIONS.get(action);
        if (kind == null) {
            error(ctx, 400, "Unknown action; one of drop, expire, fail-channel");
            return;
        }
        String room = null;
        if (action.equals("fail-channel")) {
            room = room(ctx);
            if (room == null) {
                error(ctx, 400, "Expected {\"room\": \"…\"} naming one of the rooms " + DemoServer.ROOMS);
                return;
            }
        }
        if (!admit(user.get().username())) {
            ctx.header("Retry-After", Long.toString(REFILL.toSeconds()));
            error(ctx, 429, "Too many requests; try again in a second");
            return;
        }
        DemoConfig.HeraldControl c = control;
        if (c == null) {
            error(ctx, 503, OFF);
            return;
        }
        inject(ctx, c, user.get(), action, kind, room);
    }

    private void inject(
            Context ctx, DemoConfig.HeraldControl c, User user, String action, String kind, @Nullable String room)
            throws JsonProcessingException {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("kind", kind);
        fault.put("appId", appId);
        fault.put("clientId", user.username());
        if (room != null) {
            fault.put("channel", room + "::$chat");
        }
        fault.put("ttlMs", FAULT_TTL_MS);
        HttpRequest request = HttpRequest.newBuilder(URI.create(c.url() + "/control/faults"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + c.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(fault)))
                .build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warn(
                    "break-it {} for {}: Herald's control API at {} is unreachable: {}",
                    action,
                    user.username(),
                    c.url(),
                    e.toString());
            error(ctx, 502, "Herald's control API could not be reached");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ctx, 503, "Interrupted");
            return;
        }
        JsonNode body = parse(answer.body());
        if (answer.statusCode() != 201) {
            JsonNode e = body.path("error");
            String why = e.path("message").asText("HTTP " + answer.statusCode());
            LOG.warn("break-it {} for {}: Herald answered {} {}", action, user.username(), answer.statusCode(), why);
            error(
                    ctx,
                    502,
                    "Herald refused the fault: " + why
                            + (e.has("code") ? " (" + e.path("code").asInt() + ")" : ""));
            return;
        }
        LOG.info(
                "break-it: {} injected {} for clientId {}{} (fault {})",
                user.username(),
                kind,
                user.username(),
                room == null ? "" : " on " + room + "::$chat",
                body.path("id").asText("?"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", action);
        out.put("kind", kind);
        out.put("applied", body.path("applied").asInt());
        out.put("fault", body.path("id").asText(""));
        ctx.status(200).contentType("application/json").result(mapper.writeValueAsString(out));
    }

    /** The room named in the body, if it is one of the demo's rooms. */
    private @Nullable String room(Context ctx) {
        try {
            JsonNode body = mapper.readTree(ctx.body());
            JsonNode room = body == null ? null : body.get("room");
            return room != null && room.isTextual() && DemoServer.ROOMS.contains(room.asText()) ? room.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private JsonNode parse(String text) {
        try {
            JsonNode n = mapper.readTree(text);
            return n == null ? mapper.createObjectNode() : n;
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }

    /**
     * A request from a page of another origin is refused even with a session (defence in depth: the session
     * cookie is SameSite=Strict, and JSON needs a CORS preflight this server never grants). No {@code Origin}
     * (a non-browser client) passes.
     */
    static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        String host = ctx.host();
        return host != null && origin.equalsIgnoreCase(ctx.scheme() + "://" + host);
    }

    /** A token bucket per user: {@link #BURST} at once, one more per {@link #REFILL}. */
    private boolean admit(String username) {
        long now = clock.millis();
        long refill = REFILL.toMillis();
        Bucket b = buckets.computeIfAbsent(username, u -> new Bucket(now));
        synchronized (b) {
            long earned = (now - b.stamp) / refill;
            if (earned > 0) {
                b.tokens = (int) Math.min(BURST, b.tokens + earned);
                b.stamp += earned * refill;
            }
            if (b.tokens >= BURST) {
                b.stamp = now;
            }
            if (b.tokens == 0) {
                return false;
            }
            b.tokens--;
            return true;
        }
    }

    private static final class Bucket {
        int tokens = BURST;
        long stamp;

        Bucket(long stamp) {
            this.stamp = stamp;
        }
    }

    private void error(Context ctx, int status, String message) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(mapper.writeValueAsString(Map.of("error", message)));
    }
}
