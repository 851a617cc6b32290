package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.TokenParams;
import io.herald.server.config.ConfigLoader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin page's doors, tried on a real server: off (404) unless {@code admin.token} is set; its summary only for
 * {@code Authorization: Bearer <admin.token>}, never for an app's key or token, another token, or a token in the
 * query string (401 with an Ably error); and the security headers on every admin answer.
 */
class AdminSecurityIT {
    private static final String ADMIN = "adminToken-" + OpsServer.secret();
    private static final String SUMMARY = "/admin/api/summary";

    @Test
    void withoutAdminToken_everyAdminPath404() {
        try (OpsServer server = OpsServer.start()) {
            assertThat(server.server.node().routes()).noneMatch(r -> r.contains("/admin"));
            for (String path : List.of("/admin", "/admin/admin.js", "/admin/admin.css", SUMMARY)) {
                HttpResponse<String> r = server.get(path, "Authorization", "Bearer " + ADMIN);

                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(OpsServer.json(r.body()).path("error").path("code").asInt())
                        .as(path)
                        .isEqualTo(40400);
            }
        }
    }

    @Test
    void summary_refusedWithoutTheAdminToken_401AblyError() {
        try (OpsServer server = OpsServer.startWithAdmin(ADMIN)) {
            String appToken = server.token(new TokenParams());
            String basic =
                    Base64.getEncoder().encodeToString(server.key.keyString().getBytes(StandardCharsets.UTF_8));
            Map<String, String[]> attempts = new java.util.LinkedHashMap<>();
            attempts.put("no credentials", new String[0]);
            attempts.put("wrong token", new String[] {"Authorization", "Bearer " + ADMIN + "x"});
            attempts.put("prefix of the token", new String[] {"Authorization", "Bearer " + ADMIN.substring(0, 20)});
            attempts.put("empty bearer", new String[] {"Authorization", "Bearer "});
            attempts.put("admin token as Basic", new String[] {
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8))
            });
            attempts.put("app key as Basic", new String[] {"Authorization", "Basic " + basic});
            attempts.put("app key as Bearer", new String[] {"Authorization", "Bearer " + server.key.keyString()});
            attempts.put("app token as Bearer", new String[] {"Authorization", "Bearer " + appToken});
            attempts.put("app token as base64 Bearer", new String[] {
                "Authorization",
                "Bearer " + Base64.getEncoder().encodeToString(appToken.getBytes(StandardCharsets.UTF_8))
            });
            for (Map.Entry<String, String[]> a : attempts.entrySet()) {
                assertRefused(server.get(SUMMARY, a.getValue()), a.getKey());
            }
            String q = URLEncoder.encode(ADMIN, StandardCharsets.UTF_8);
            for (String query : List.of("access_token=" + q, "token=" + q, "key=" + q, "authorization=Bearer%20" + q)) {
                assertRefused(server.get(SUMMARY + "?" + query), "token in the query string: " + query);
            }
            assertRefused(
                    server.get(SUMMARY + "?key=" + URLEncoder.encode(server.key.keyString(), StandardCharsets.UTF_8)),
                    "app key in the query string");
        }
    }

    @Test
    void summary_withTheAdminToken_json() {
        try (OpsServer server = OpsServer.startWithAdmin(ADMIN)) {
            HttpResponse<String> r = server.get(SUMMARY, "Authorization", "Bearer " + ADMIN);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertSecurityHeaders(r, SUMMARY);
            JsonNode s = OpsServer.json(r.body());
            assertThat(s.path("serverId").asText()).isEqualTo("ops-it");
            assertThat(s.path("connections").path("total").isInt()).isTrue();
            assertThat(s.path("channels").path("top").isArray()).isTrue();
            assertThat(s.path("messages").has("inPerSecond")).isTrue();
            assertThat(s.path("tokenRefusals").isArray()).isTrue();
            // the scheme is case-insensitive, as for every other Authorization header
            assertThat(server.get(SUMMARY, "Authorization", "bearer " + ADMIN).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void tokenRefusals_listedWithoutTheSecrets() {
        try (OpsServer server = OpsServer.startWithAdmin(ADMIN)) {
            String request = server.tokenRequest(new TokenParams())
                    .replaceFirst("\"mac\":\"[^\"]+\"", "\"mac\":\"bm90LXRoZS1tYWM=\"");
            assertThat(server.requestToken(request).statusCode()).isEqualTo(401);

            HttpResponse<String> r = server.get(SUMMARY, "Authorization", "Bearer " + ADMIN);
            JsonNode refusals = OpsServer.json(r.body()).path("tokenRefusals");
            assertThat(refusals).hasSize(1);
            assertThat(refusals.get(0).path("keyName").asText()).isEqualTo(server.key.keyName());
            assertThat(refusals.get(0).path("code").asInt()).isEqualTo(40101);
            assertThat(refusals.get(0).path("status").asInt()).isEqualTo(401);
            assertThat(r.body()).doesNotContain("bm90LXRoZS1tYWM=").doesNotContain(server.key.keyString());
        }
    }

    @Test
    void page_servedWithSecurityHeaders_andNoTokenInIt() {
        try (OpsServer server = OpsServer.startWithAdmin(ADMIN)) {
            for (String path : List.of("/admin", "/admin/admin.js", "/admin/admin.css")) {
                HttpResponse<String> r = server.get(path);

                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertSecurityHeaders(r, path);
                assertThat(r.body())
                        .as(path)
                        .doesNotContain(ADMIN)
                        .doesNotContain("http://")
                        .doesNotContain("https://");
            }
            assertThat(server.get("/admin").headers().firstValue("Content-Type"))
                    .hasValue("text/html; charset=utf-8");
            assertThat(server.get("/admin").body()).contains("method=\"post\"").contains("type=\"password\"");
            HttpResponse<String> post = server.postJson("/admin", "{}");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(server.postJson(SUMMARY, "{}").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void adminToken_tooShort_refusedAtStartup() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ConfigLoader.load(
                null,
                new ConfigLoader.Overrides(0, "127.0.0.1", "memory", null, false, null, "ops-it"),
                Map.of("HERALD_ADMIN_TOKEN", "short")));

        assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin.token");
        assertThat(t.getMessage()).doesNotContain("short");
    }

    private static void assertRefused(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(401);
        JsonNode error = OpsServer.json(r.body()).path("error");
        assertThat(error.path("code").asInt()).as(what).isEqualTo(40100);
        assertThat(error.path("statusCode").asInt()).as(what).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Ably-Errorcode")).as(what).hasValue("40100");
        assertThat(r.body()).as(what).doesNotContain("connections");
        assertSecurityHeaders(r, what);
    }

    private static void assertSecurityHeaders(HttpResponse<String> r, String what) {
        assertThat(r.headers().firstValue("Content-Security-Policy"))
                .as(what)
                .hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'self'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(r.headers().firstValue("Cache-Control")).as(what).hasValue("no-store");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
    }
}
