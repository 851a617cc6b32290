package io.herald.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo backend: the built front end at {@code /} and a small JSON API.
 * <ul>
 *   <li>{@code GET /api/config}: where Herald is and which auth mode to start in (public, no secrets)</li>
 *   <li>{@code POST /api/sign-in} {@code {"username","password"}}: starts a session (HttpOnly, SameSite=Strict
 *       cookie); {@code POST /api/sign-out} ends it; {@code GET /api/me}: the signed-in user</li>
 *   <li>{@code GET|POST /api/ably/token}: a TokenRequest for the signed-in user ({@link TokenEndpoint})</li>
 *   <li>{@code POST /api/break/{action}}: the admin's "break it" panel: asks Herald's control API to drop the
 *       admin's connection, expire their token or fail their room's channel ({@link BreakItEndpoint})</li>
 *   <li>{@code GET /api/health}: 200 once serving</li>
 * </ul>
 * CSRF: the state-changing routes are POSTs that require {@code Content-Type: application/json} (which a
 * cross-site form cannot send without a CORS preflight this server never grants), and the session cookie is
 * {@code SameSite=Strict}, so a cross-site request carries no session at all.
 */
public final class DemoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    static final String COOKIE = "herald_demo_session";
    /** The chat rooms the front end offers: {@code @ably/chat} rooms, channels {@code lobby::$chat} and so on. */
    static final List<String> ROOMS = List.of("lobby", "random");

    private final DemoConfig config;
    private final UserDirectory users;
    private final SessionStore sessions;
    private final ObjectMapper mapper = new ObjectMapper();
    private final BreakItEndpoint breakIt;
    private final Javalin app;

    private DemoServer(DemoConfig config, UserDirectory users, SessionStore sessions, Clock clock) {
        this.config = config;
        this.users = users;
        this.sessions = sessions;
        TokenEndpoint tokens = new TokenEndpoint(config.apiKey(), config.tokenTtl(), clock, this::currentUser);
        this.breakIt = new BreakItEndpoint(config.control(), config.apiKey().appId(), clock, this::currentUser);
        boolean hasFrontEnd = DemoServer.class.getResource("/public/index.html") != null;
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.http.maxRequestSize = 16 * 1024;
            if (hasFrontEnd) {
                c.staticFiles.add(s -> {
                    s.hostedPath = "/";
                    s.directory = "/public";
                    s.location = Location.CLASSPATH;
                });
            }
            c.routes.before(ctx -> securityHeaders(ctx));
            c.routes.get("/api/config", this::config);
            c.routes.get(
                    "/api/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            c.routes.post("/api/sign-in", this::signIn);
            c.routes.post("/api/sign-out", this::signOut);
            c.routes.get("/api/me", this::me);
            c.routes.get("/api/ably/token", tokens::handle);
            c.routes.post("/api/ably/token", tokens::handle);
            c.routes.post("/api/break/{action}", breakIt::handle);
            if (!hasFrontEnd) {
                c.routes.get(
                        "/",
                        ctx -> ctx.contentType("text/plain")
                                .result(
                                        "The front end was not built (mvn -Ddemo.web.skip=true?). Build herald-demo with npm on the PATH."));
            }
            c.routes.error(404, ctx -> {
                if (ctx.path().startsWith("/api/")) {
                    error(ctx, 404, "Not found");
                }
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "Internal error");
            });
        });
    }

    /** Starts the demo backend with {@code config}; {@link #port()} tells the port when it was 0. */
    public static DemoServer start(DemoConfig config) {
        Path usersFile = config.usersFile();
        UserDirectory users = usersFile == null ? UserDirectory.loadDefault() : UserDirectory.load(usersFile);
        return start(config, users, Clock.systemUTC());
    }

    static DemoServer start(DemoConfig config, UserDirectory users, Clock clock) {
        DemoServer server = new DemoServer(config, users, new SessionStore(clock, config.sessionIdle(), 10_000), clock);
        server.app.start();
        return server;
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** The users who may sign in. */
    public UserDirectory users() {
        return users;
    }

    @Override
    public void close() {
        app.stop();
    }

    private void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; connect-src 'self' http: https: ws: wss:; "
                        + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private void config(Context ctx) throws JsonProcessingException {
        Map<String, Object> herald = new LinkedHashMap<>();
        herald.put("host", config.heraldUrl().getHost());
        herald.put("port", config.heraldPort());
        herald.put("tls", config.heraldTls());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("herald", herald);
        body.put("authMode", config.authMode());
        body.put("tokenTtlMs", config.tokenTtl().toMillis());
        body.put("rooms", ROOMS);
        body.put("breakIt", breakIt.enabled());
        json(ctx, 200, body);
    }

    /** False (and a 415 answer) unless the request is JSON: a cross-site form cannot send JSON without a preflight. */
    private boolean requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(ctx, 415, "Send application/json");
            return false;
        }
        return true;
    }

    private void signIn(Context ctx) throws JsonProcessingException {
        if (!requireJson(ctx)) {
            return;
        }
        JsonNode body;
        try {
            body = mapper.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            error(ctx, 400, "The body is not valid JSON");
            return;
        }
        JsonNode username = body == null ? null : body.get("username");
        JsonNode password = body == null ? null : body.get("password");
        if (username == null || !username.isTextual() || password == null || !password.isTextual()) {
            error(ctx, 400, "Expected {\"username\": \"…\", \"password\": \"…\"}");
            return;
        }
        char[] secret = password.asText().toCharArray();
        Optional<User> user;
        try {
            user = users.authenticate(username.asText().trim().toLowerCase(Locale.ROOT), secret);
        } finally {
            Arrays.fill(secret, '\0');
        }
        if (user.isEmpty()) {
            LOG.info("sign-in refused for '{}'", printable(username.asText()));
            error(ctx, 401, "Invalid username or password");
            return;
        }
        Optional<String> id = sessions.create(user.get());
        if (id.isEmpty()) {
            error(ctx, 503, "Too many sessions; try again later");
            return;
        }
        String old = ctx.cookie(COOKIE);
        sessions.invalidate(old);
        ctx.header("Set-Cookie", cookie(ctx, id.get(), false));
        LOG.info("{} signed in ({})", user.get().username(), user.get().role().id());
        json(ctx, 200, userJson(user.get()));
    }

    private void signOut(Context ctx) {
        if (!requireJson(ctx)) {
            return;
        }
        Optional<User> user = currentUser(ctx);
        sessions.invalidate(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", cookie(ctx, "", true));
        user.ifPresent(u -> LOG.info("{} signed out", u.username()));
        ctx.status(204);
    }

    private void me(Context ctx) throws JsonProcessingException {
        Optional<User> user = currentUser(ctx);
        if (user.isEmpty()) {
            ctx.status(401).contentType("application/json").result(TokenEndpoint.NOT_AUTHORIZED);
            return;
        }
        json(ctx, 200, userJson(user.get()));
    }

    private Optional<User> currentUser(Context ctx) {
        return sessions.find(ctx.cookie(COOKIE));
    }

    private static Map<String, Object> userJson(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("role", u.role().id());
        m.put("capability", u.role().capability().canonical());
        return m;
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure over https; no Max-Age (the server expires it). */
    private static String cookie(Context ctx, String value, boolean clear) {
        StringBuilder sb =
                new StringBuilder(COOKIE).append('=').append(value).append("; Path=/; HttpOnly; SameSite=Strict");
        if (clear) {
            sb.append("; Max-Age=0");
        }
        if ("https".equals(ctx.scheme())) {
            sb.append("; Secure");
        }
        return sb.toString();
    }

    private void json(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(mapper.writeValueAsString(body));
    }

    private void error(Context ctx, int status, String message) {
        try {
            json(ctx, status, Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
