package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/break/{action}} in-process, up to the call to Herald: who may use it, what it refuses, its rate
 * limit, and its answers when no control token is configured (503) or Herald cannot be reached (502). The calls to
 * a real Herald, and the browser recovering from each fault, are {@code DemoBreakItIT}.
 */
class BreakItRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final ApiKey key = ApiKey.generate("demo");
    DemoServer server;
    String base;
    final HttpClient browser =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    void start(DemoConfig.@Nullable HeraldControl control) {
        DemoConfig config = new DemoConfig(
                "127.0.0.1",
                0,
                URI.create("http://localhost:8123"),
                key,
                Duration.ofSeconds(60),
                DemoConfig.AUTH_URL,
                null,
                Duration.ofMinutes(30),
                control);
        server = DemoServer.start(config, DemoServerTest.USERS, clock);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    HttpResponse<String> post(String path, @Nullable String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return browser.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> breakIt(String action) throws Exception {
        return post("/api/break/" + action, "application/json", "{}");
    }

    void signIn(String user, String password) throws Exception {
        HttpResponse<String> r = post(
                "/api/sign-in",
                "application/json",
                JSON.writeValueAsString(Map.of("username", user, "password", password)));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    static String error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").asText();
    }

    @Test
    void withoutSession_401_nonAdmins_403_andTheBrowserIsToldThePanelIsOff() throws Exception {
        start(null);
        HttpResponse<String> anonymous = breakIt("drop");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo(TokenEndpoint.NOT_AUTHORIZED);
        assertThat(anonymous.headers().firstValue("cache-control")).hasValue("no-store");

        signIn("alice", "alice-pw");
        HttpResponse<String> member = breakIt("drop");
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(error(member)).isEqualTo("Only the admin role may break things");
        signIn("victor", "victor-pw");
        assertThat(breakIt("fail-channel").statusCode()).isEqualTo(403);

        JsonNode config = JSON.readTree(browser.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/config")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(config.path("breakIt").isBoolean()).isTrue();
        assertThat(config.path("breakIt").asBoolean()).isFalse();
    }

    @Test
    void admin_badRequests_areRefused_beforeHeraldIsAsked() throws Exception {
        start(null);
        signIn("ada", "ada-pw");
        HttpResponse<String> unknown = breakIt("explode");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown)).contains("drop, expire, fail-channel");
        assertThat(post("/api/break/fail-channel", "application/json", "{}").statusCode())
                .as("fail-channel needs a room")
                .isEqualTo(400);
        assertThat(post("/api/break/fail-channel", "application/json", "{\"room\":\"nowhere\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/break/fail-channel", "application/json", "[not json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/break/drop", "application/x-www-form-urlencoded", "x=1")
                        .statusCode())
                .as("a cross-site form cannot post here")
                .isEqualTo(415);
        HttpResponse<String> crossOrigin =
                post("/api/break/drop", "application/json", "{}", "Origin", "https://evil.example");
        assertThat(crossOrigin.statusCode()).isEqualTo(403);
        assertThat(error(crossOrigin)).isEqualTo("Cross-origin requests are refused");
        assertThat(post("/api/break/drop", "application/json", "{}", "Origin", base)
                        .statusCode())
                .as("same origin passes the check (and gets 503: no control token here)")
                .isEqualTo(503);
    }

    @Test
    void withoutControlToken_503_withAClearMessage_andTheRateLimitHolds() throws Exception {
        start(null);
        signIn("ada", "ada-pw");
        for (int i = 0; i < BreakItEndpoint.BURST; i++) {
            HttpResponse<String> r = breakIt("expire");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(error(r)).contains("HERALD_CONTROL_TOKEN").contains("./herald demo");
        }
        HttpResponse<String> limited = breakIt("drop");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        clock.advance(Duration.ofMillis(999));
        assertThat(breakIt("drop").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(breakIt("drop").statusCode()).as("one more after a second").isEqualTo(503);
        assertThat(breakIt("drop").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < BreakItEndpoint.BURST; i++) {
            assertThat(breakIt("drop").statusCode())
                    .as("an idle user gets the burst back, not more")
                    .isEqualTo(503);
        }
        assertThat(breakIt("drop").statusCode()).isEqualTo(429);
    }

    @Test
    void heraldUnreachable_502_andTheControlTokenIsNeverInAnAnswer() throws Exception {
        String token = "control-token-0123456789";
        start(new DemoConfig.HeraldControl(URI.create("http://127.0.0.1:" + ManagedProcess.freePort()), token));
        JsonNode config = JSON.readTree(browser.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/config")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(config.path("breakIt").asBoolean()).isTrue();
        assertThat(config.toString()).doesNotContain(token);
        signIn("ada", "ada-pw");
        HttpResponse<String> r = breakIt("drop");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(error(r)).isEqualTo("Herald's control API could not be reached");
        assertThat(r.body()).doesNotContain(token);
    }
}
