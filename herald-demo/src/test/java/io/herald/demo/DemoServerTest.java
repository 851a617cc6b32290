package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo backend in-process on a free port, driven over HTTP (Javalin's one-line test server). */
class DemoServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UserDirectory USERS = UserDirectory.parse(
            ("{\"users\":["
                            + UserDirectoryTest.user("alice", "member", "alice-pw") + ","
                            + UserDirectoryTest.user("victor", "viewer", "victor-pw") + ","
                            + UserDirectoryTest.user("ada", "admin", "ada-pw") + "]}")
                    .getBytes(StandardCharsets.UTF_8),
            "test");

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final ApiKey key = ApiKey.generate("demo");
    DemoServer server;
    String base;
    HttpClient browser;

    @BeforeEach
    void start() {
        DemoConfig config = new DemoConfig(
                "127.0.0.1",
                0,
                URI.create("http://localhost:8123"),
                key,
                Duration.ofSeconds(60),
                DemoConfig.AUTH_URL,
                null,
                Duration.ofMinutes(30));
        server = DemoServer.start(config, USERS, clock);
        base = "http://127.0.0.1:" + server.port();
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return browser.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> signIn(String user, String password) throws Exception {
        return post(
                "/api/sign-in",
                "application/json",
                JSON.writeValueAsString(Map.of("username", user, "password", password)));
    }

    @Test
    void tokenRoute_withoutSession_is401NotAuthorized_forGetAndPost() throws Exception {
        for (HttpResponse<String> r : List.of(get("/api/ably/token"), post("/api/ably/token", null, ""))) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"User is not authorized\"}");
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        }
        assertThat(get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void signIn_setsAnHttpOnlySameSiteStrictSessionCookie_andMeAnswersTheUser() throws Exception {
        HttpResponse<String> r = signIn("alice", "alice-pw");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("username").asText()).isEqualTo("alice");
        assertThat(JSON.readTree(r.body()).path("role").asText()).isEqualTo("member");
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).matches(DemoServer.COOKIE + "=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
        JsonNode me = JSON.readTree(get("/api/me").body());
        assertThat(me.path("username").asText()).isEqualTo("alice");
        assertThat(me.path("capability").asText())
                .isEqualTo(Role.MEMBER.capability().canonical());
    }

    @Test
    void signIn_badRequests_areRefusedWithoutASession() throws Exception {
        assertThat(post("/api/sign-in", "application/x-www-form-urlencoded", "username=alice&password=alice-pw")
                        .statusCode())
                .as("a cross-site form cannot sign in")
                .isEqualTo(415);
        assertThat(post("/api/sign-in", "application/json", "{not json").statusCode())
                .isEqualTo(400);
        assertThat(post("/api/sign-in", "application/json", "{\"username\":\"alice\"}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> wrong = signIn("alice", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("{\"error\":\"Invalid username or password\"}");
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
        assertThat(signIn("mallory", "alice-pw").statusCode()).isEqualTo(401);
        assertThat(get("/api/ably/token").statusCode()).isEqualTo(401);
    }

    @Test
    void tokenRoute_signedIn_isATokenRequestForTheUserSignedWithTheKey() throws Exception {
        signIn("victor", "victor-pw");
        HttpResponse<String> r =
                get("/api/ably/token?clientId=ada&capability=%7B%22*%22%3A%5B%22*%22%5D%7D&ttl=99999999");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        TokenRequest request = TokenRequest.fromJson(r.body());
        assertThat(request.keyName()).isEqualTo(key.keyName());
        assertThat(request.clientId())
                .as("the browser's clientId param is ignored")
                .isEqualTo("victor");
        assertThat(request.capability())
                .as("the browser's capability param is ignored")
                .isEqualTo(Role.VIEWER.capability().canonical());
        assertThat(request.ttlMillis()).isEqualTo(60_000L);
        assertThat(request.timestampMillis()).isEqualTo(clock.millis());
        assertThat(request.nonce()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(TokenRequests.verifyMac(request, key)).isTrue();
        assertThat(r.body()).doesNotContain(key.secret());

        TokenRequest viaPost =
                TokenRequest.fromJson(post("/api/ably/token", "application/x-www-form-urlencoded", "clientId=ada")
                        .body());
        assertThat(viaPost.clientId()).isEqualTo("victor");
        assertThat(viaPost.nonce()).isNotEqualTo(request.nonce());
    }

    @Test
    void signOut_endsTheSession_andClearsTheCookie() throws Exception {
        HttpResponse<String> in = signIn("ada", "ada-pw");
        String cookie = in.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        assertThat(get("/api/ably/token").statusCode()).isEqualTo(200);
        assertThat(post("/api/sign-out", "text/plain", "").statusCode())
                .as("a cross-site form cannot sign out")
                .isEqualTo(415);
        assertThat(get("/api/ably/token").statusCode()).isEqualTo(200);
        HttpResponse<String> out = post("/api/sign-out", "application/json", "{}");
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("set-cookie"))
                .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0").contains("HttpOnly"));
        assertThat(get("/api/ably/token").statusCode()).isEqualTo(401);
        HttpResponse<String> replay = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/ably/token"))
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode())
                .as("the old session id is dead server-side")
                .isEqualTo(401);
    }

    @Test
    void tokenRoute_afterSessionIdleTimeout_is401() throws Exception {
        signIn("alice", "alice-pw");
        clock.advance(Duration.ofMinutes(31));
        assertThat(get("/api/ably/token").statusCode()).isEqualTo(401);
    }

    @Test
    void config_tellsTheBrowserWhereHeraldIs_andHoldsNoSecret() throws Exception {
        HttpResponse<String> r = get("/api/config");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.path("herald").path("host").asText()).isEqualTo("localhost");
        assertThat(c.path("herald").path("port").asInt()).isEqualTo(8123);
        assertThat(c.path("herald").path("tls").asBoolean()).isFalse();
        assertThat(c.path("authMode").asText()).isEqualTo("authUrl");
        assertThat(c.path("tokenTtlMs").asLong()).isEqualTo(60_000L);
        assertThat(r.body()).doesNotContain(key.secret());
    }

    @Test
    void responses_carrySecurityHeaders_andUnknownApiPathsAre404Json() throws Exception {
        HttpResponse<String> r = get("/api/nothing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"Not found\"}");
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(r.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
        assertThat(get("/api/health").body()).isEqualTo("{\"status\":\"ok\"}");
    }
}
