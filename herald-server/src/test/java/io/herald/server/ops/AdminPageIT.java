package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.TokenParams;
import io.herald.server.e2e.support.NodeScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin page in real headless Chromium ({@code /usr/bin/chromium} driven by playwright-core from
 * {@code testing/node}, see {@code herald-server/src/test/node/admin-page.js}): an ably-js client connects, the
 * browser signs in through the page's form and sees that client and its channel counted, the page refreshes on its
 * own with the token as a Bearer header and never in a URL. The screenshot lands in {@code target/admin/admin.png};
 * with {@code -Dherald.docs.write=true} it also replaces {@code docs/admin.png}.
 */
class AdminPageIT {
    private static final String ADMIN = "adminToken-" + OpsServer.secret();
    private static final String CHANNEL = "scores:live";

    @Test
    void browser_signsIn_seesTheAblyJsClientCounted() throws IOException {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromium)
                .as("apt-get install chromium (.ci/run installs it)")
                .isExecutable();
        Path root = repoRoot();
        Path shot = root.resolve("herald-server/target/admin/admin.png");
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        try (OpsServer server = OpsServer.startWithAdmin(ADMIN)) {
            // a refused token request, so the page has one to show
            String forged = server.tokenRequest(new TokenParams())
                    .replaceFirst("\"mac\":\"[^\"]+\"", "\"mac\":\"Zm9yZ2VkLW1hYw==\"");
            assertThat(server.requestToken(forged).statusCode()).isEqualTo(401);

            Map<String, Object> input = new LinkedHashMap<>();
            input.put("port", server.port());
            input.put("key", server.key.keyString());
            input.put("adminToken", ADMIN);
            input.put("channel", CHANNEL);
            input.put("chromium", chromium.toString());
            input.put("screenshot", shot.toString());
            JsonNode page = NodeScript.run("admin-page.js", input, Duration.ofSeconds(150));

            assertThat(page.path("loginShownFirst").asBoolean()).isTrue();
            assertThat(page.path("connections").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(page.path("channels").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(page.path("apps").toString()).contains("\"test\"");
            assertThat(page.path("top").toString()).contains(CHANNEL);
            assertThat(page.path("refusals").toString()).contains("40101");
            assertThat(page.path("status").asText()).isEqualTo("live");
            assertThat(page.path("loginVisible").asBoolean())
                    .as("the form is gone once signed in")
                    .isFalse();
            assertThat(page.path("dashboardVisible").asBoolean()).isTrue();
            assertThat(page.path("tokenStored").asBoolean()).isTrue();
            assertThat(page.path("url").asText()).doesNotContain(ADMIN).doesNotContain("token");
            JsonNode requests = page.path("requests");
            int summaries = 0;
            for (JsonNode r : requests) {
                assertThat(r.path("url").asText()).doesNotContain(ADMIN);
                if (r.path("url").asText().endsWith("/admin/api/summary")) {
                    summaries++;
                    assertThat(r.path("authorization").asText()).isEqualTo("Bearer " + ADMIN);
                } else {
                    assertThat(r.path("authorization").isNull())
                            .as(r.toString())
                            .isTrue();
                }
            }
            assertThat(summaries).as("the page refreshes on its own").isGreaterThanOrEqualTo(2);
            assertThat(page.path("console").toString())
                    .doesNotContain("pageerror")
                    .doesNotContain("Content Security");
        }
        assertThat(shot).isRegularFile();
        if (Boolean.getBoolean("herald.docs.write")) {
            Files.copy(shot, root.resolve("docs/admin.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path repoRoot() {
        String mm = System.getProperty("maven.multiModuleProjectDirectory");
        Path p = mm != null ? Paths.get(mm) : Paths.get(System.getProperty("user.dir"));
        for (p = p.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("herald-server")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find the repository root above " + System.getProperty("user.dir"));
    }
}
