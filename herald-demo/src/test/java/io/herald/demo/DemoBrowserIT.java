package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenDetails;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end, as a user would run it: Herald's server jar and the demo jar start as real processes on free
 * ports, then (1) plain HTTP checks of the token route against the real Herald and (2) the browser test
 * {@code e2e/demo-e2e.mjs}: headless Chromium driven by playwright-core from {@code testing/node}.
 *
 * <p>Two demo backends share one Herald: one asks for 15 s tokens (they expire, the SDK renews and resumes the
 * same connection), one for 34 s tokens (Herald sends AUTH 30 s before expiry: renewal in-band). Needs
 * {@code herald-server/target/herald.jar} (the reactor builds it first; alone: {@code mvn -pl herald-server -am
 * package -DskipTests}), {@code /usr/bin/chromium} ({@code .ci/run} installs it) and {@code testing/node}'s
 * packages ({@code testing/install-node-deps.sh}). Each missing piece is a failure that says how to get it.
 * Logs, the report and the screenshots land in {@code target/e2e/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoBrowserIT {

    static final Map<String, String> PASSWORDS =
            Map.of("alice", "wonderland", "bob", "builder", "mia", "moderate", "victor", "viewer", "ada", "lovelace");
    static final String MEMBER = RoleTest.MEMBER;
    static final String VIEWER = RoleTest.VIEWER;
    static final int TTL_SECONDS = 15;
    static final int INBAND_TTL_SECONDS = 34;
    static final ObjectMapper JSON = new ObjectMapper();

    Path root;
    Path out;
    ApiKey key;
    String heraldUrl;
    String demoUrl;
    String inbandDemoUrl;
    ManagedProcess herald;
    ManagedProcess demo;
    ManagedProcess inbandDemo;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startHeraldAndDemo() throws IOException {
        root = repoRoot();
        out = Path.of(System.getProperty(
                "herald.demo.out", root.resolve("herald-demo/target/e2e").toString()));
        Files.createDirectories(out);
        try (var old = Files.list(out)) { // screenshots and logs of an earlier run would mislead
            for (Path f : old.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Path heraldJar = root.resolve("herald-server/target/herald.jar");
        Path demoJar = Path.of(System.getProperty(
                "herald.demo.jar",
                root.resolve("herald-demo/target/herald-demo.jar").toString()));
        assertThat(heraldJar)
                .as("Herald's server jar (build it: mvn -pl herald-server -am package -DskipTests)")
                .isRegularFile();
        assertThat(demoJar)
                .as("the demo jar (mvn package builds it before the ITs)")
                .isRegularFile();

        key = ApiKey.generate("demo");
        int heraldPort = ManagedProcess.freePort();
        heraldUrl = "http://localhost:" + heraldPort;
        herald = ManagedProcess.start(
                "herald",
                out.resolve("herald.log"),
                Map.of(),
                ManagedProcess.java(
                        "-jar",
                        heraldJar.toString(),
                        "serve",
                        "--engine",
                        "memory",
                        "--port",
                        Integer.toString(heraldPort),
                        "--key",
                        key.keyString()));
        herald.awaitHttpOk(heraldUrl + "/health/ready", Duration.ofSeconds(60));

        int port = ManagedProcess.freePort();
        demoUrl = "http://localhost:" + port;
        demo = startDemo("demo", port, TTL_SECONDS, demoJar);
        int inbandPort = ManagedProcess.freePort();
        inbandDemoUrl = "http://localhost:" + inbandPort;
        inbandDemo = startDemo("demo-inband", inbandPort, INBAND_TTL_SECONDS, demoJar);
        demo.awaitHttpOk(demoUrl + "/api/health", Duration.ofSeconds(60));
        inbandDemo.awaitHttpOk(inbandDemoUrl + "/api/health", Duration.ofSeconds(60));
    }

    private ManagedProcess startDemo(String name, int port, int ttlSeconds, Path demoJar) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HERALD_API_KEY", key.keyString());
        env.put("HERALD_URL", heraldUrl);
        env.put("DEMO_TOKEN_TTL", Integer.toString(ttlSeconds));
        return ManagedProcess.start(
                name,
                out.resolve(name + ".log"),
                env,
                ManagedProcess.java(
                        "-jar", demoJar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
    }

    @AfterAll
    void stop() {
        for (ManagedProcess p : new ManagedProcess[] {inbandDemo, demo, herald}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void tokenRoute_withoutSession_answers401NotAuthorized() throws Exception {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(demoUrl + "/api/ably/token"))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"User is not authorized\"}");
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        }
    }

    @Test
    void signedInUsers_getTheirClientIdAndRoleCapability_andHeraldAcceptsTheRequest() throws Exception {
        Map<String, String> expected =
                Map.of("alice", MEMBER, "mia", RoleTest.MODERATOR, "victor", VIEWER, "ada", "{\"*\":[\"*\"]}");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Browserless user = signIn(e.getKey());
            HttpResponse<String> r = user.get("/api/ably/token");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
            TokenRequest request = TokenRequest.fromJson(r.body());
            assertThat(request.keyName()).isEqualTo(key.keyName());
            assertThat(request.clientId()).isEqualTo(e.getKey());
            assertThat(request.capability()).isEqualTo(e.getValue());
            assertThat(request.ttlMillis()).isEqualTo(TTL_SECONDS * 1000L);
            assertThat(TokenRequests.verifyMac(request, key))
                    .as("MAC signed with the demo's key")
                    .isTrue();
            assertThat(r.body()).doesNotContain(key.secret());

            HttpResponse<String> token = requestToken(r.body());
            assertThat(token.statusCode())
                    .as("Herald's answer: %s", token.body())
                    .isEqualTo(200);
            TokenDetails details = TokenDetails.fromJson(token.body());
            assertThat(details.clientId()).isEqualTo(e.getKey());
            assertThat(details.capability()).isEqualTo(e.getValue());
            assertThat(details.expires() - details.issued()).isEqualTo(TTL_SECONDS * 1000L);
        }
    }

    @Test
    void tamperedOrReplayedTokenRequests_areRefusedByHerald() throws Exception {
        Browserless alice = signIn("alice");
        Map<String, String> tamperings = Map.of(
                "capability", "{\"*\":[\"*\"]}",
                "clientId", "ada",
                "ttl", "86400000");
        for (Map.Entry<String, String> t : tamperings.entrySet()) {
            ObjectNode request =
                    (ObjectNode) JSON.readTree(alice.get("/api/ably/token").body());
            if (t.getKey().equals("ttl")) {
                request.put("ttl", Long.parseLong(t.getValue()));
            } else {
                request.put(t.getKey(), t.getValue());
            }
            HttpResponse<String> r = requestToken(JSON.writeValueAsString(request));
            assertThat(r.statusCode())
                    .as("tampered %s: %s", t.getKey(), r.body())
                    .isEqualTo(401);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asInt())
                    .as(r.body())
                    .isEqualTo(40101);
        }
        String genuine = alice.get("/api/ably/token").body();
        assertThat(requestToken(genuine).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = requestToken(genuine);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
        assertThat(JSON.readTree(replay.body()).path("error").path("code").asInt())
                .isEqualTo(40105);
    }

    @Test
    void signOut_makesTheTokenRoute401_andWrongPasswordsAreRefused() throws Exception {
        Browserless bob = signIn("bob");
        assertThat(bob.get("/api/ably/token").statusCode()).isEqualTo(200);
        assertThat(bob.post("/api/sign-out", "{}").statusCode()).isEqualTo(204);
        HttpResponse<String> after = bob.get("/api/ably/token");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).isEqualTo("{\"error\":\"User is not authorized\"}");

        Browserless mallory = new Browserless();
        HttpResponse<String> wrong = mallory.post("/api/sign-in", "{\"username\":\"bob\",\"password\":\"guess\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
        assertThat(mallory.get("/api/ably/token").statusCode()).isEqualTo(401);
    }

    @Test
    void browser_chatEditsDeletesReactionsTypingOccupancy_moderatorAndViewer_renewalsSignOut() throws Exception {
        String chromium = "/usr/bin/chromium";
        if (!Files.isExecutable(Path.of(chromium))) {
            fail(chromium + " is missing: apt-get install chromium (.ci/run installs it)");
        }
        Path nodeDir = root.resolve("testing/node");
        if (!Files.isRegularFile(nodeDir.resolve("node_modules/playwright-core/package.json"))) {
            fail("playwright-core is not installed in " + nodeDir + ": run testing/install-node-deps.sh");
        }
        ObjectNode job = JSON.createObjectNode();
        job.put("demoUrl", demoUrl);
        job.put("inbandDemoUrl", inbandDemoUrl);
        job.put("heraldUrl", heraldUrl);
        job.put("chromium", chromium);
        job.put("secret", key.secret());
        job.put("outDir", out.toString());
        job.put("ttlSeconds", TTL_SECONDS);
        job.put("inbandTtlSeconds", INBAND_TTL_SECONDS);
        job.put("minRenewals", 2);
        job.set("users", JSON.valueToTree(PASSWORDS));
        ObjectNode capabilities = job.putObject("capabilities");
        for (Role role : Role.values()) {
            capabilities.put(role.id(), role.capability().canonical());
        }

        Path script = resource("e2e/demo-e2e.mjs");
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(nodeDir.toFile());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process node = pb.start();
        CompletableFuture<String> stdout = drain(node.getInputStream(), null);
        CompletableFuture<String> stderr = drain(node.getErrorStream(), out.resolve("e2e.log"));
        try (OutputStream in = node.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(job));
        }
        boolean done = node.waitFor(240, TimeUnit.SECONDS);
        if (!done) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = stderr.get(10, TimeUnit.SECONDS);
        String report = stdout.get(10, TimeUnit.SECONDS);
        Files.writeString(out.resolve("e2e-report.json"), report);
        String diagnostics = "\n---- e2e.mjs log ----\n" + log + "\n---- report ----\n" + report + "\n" + demo.output()
                + "\n" + inbandDemo.output() + "\n" + herald.output();
        if (!done) {
            fail("the browser test did not finish within 240 s" + diagnostics);
        }
        if (node.exitValue() != 0) {
            fail("the browser test failed (exit " + node.exitValue() + ")" + diagnostics);
        }
        JsonNode result = JSON.readTree(report);
        assertThat(result.path("ok").asBoolean()).as("report ok" + diagnostics).isTrue();
        System.out.println(log);
        System.out.println(
                "report: " + out.resolve("e2e-report.json") + ", screenshot: " + out.resolve("demo-chat.png"));
        assertThat(out.resolve("demo-chat.png")).isRegularFile();
        JsonNode seen = result.path("observations");
        assertThat(seen.path("viewerPublishError").asText()).contains("40160");
        assertThat(seen.path("occupancy").path("text").asText()).isEqualTo("2 online");
        assertThat(seen.path("typing").asText()).contains("alice is typing");
        assertThat(seen.path("edited").path("text").asText()).isEqualTo("hello from alice (edited)");
        assertThat(seen.path("reactions").toString()).isEqualTo("{\"👍\":2,\"❤️\":1,\"😂\":1}");
        assertThat(seen.path("deletedByAuthor").path("deleted").asBoolean()).isTrue();
        assertThat(seen.path("mia").path("capability").asText()).isEqualTo(RoleTest.MODERATOR);
        assertThat(result.path("observations")
                        .path("renewal")
                        .path("end")
                        .path("alice")
                        .path("renewals")
                        .asInt())
                .isGreaterThanOrEqualTo(2);
        assertThat(result.path("observations").path("adaInBand").path("inBand").asInt())
                .isGreaterThanOrEqualTo(2);
        assertThat(herald.isAlive()).as("Herald still running").isTrue();
    }

    // ---- helpers ----

    /** An HTTP client with a cookie jar, like one browser profile without the browser. */
    final class Browserless {
        final HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(URI.create(demoUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(URI.create(demoUrl + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private Browserless signIn(String user) throws IOException, InterruptedException {
        Browserless b = new Browserless();
        HttpResponse<String> r = b.post(
                "/api/sign-in", JSON.writeValueAsString(Map.of("username", user, "password", PASSWORDS.get(user))));
        assertThat(r.statusCode()).as("sign-in of %s: %s", user, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("set-cookie"))
                .hasValueSatisfying(c -> assertThat(c)
                        .startsWith(DemoServer.COOKIE + "=")
                        .contains("HttpOnly")
                        .contains("SameSite=Strict")
                        .contains("Path=/"));
        return b;
    }

    /** What the SDK does with a TokenRequest: POST it, unauthenticated, to Herald. */
    private HttpResponse<String> requestToken(String tokenRequestJson) throws IOException, InterruptedException {
        String keyName = JSON.readTree(tokenRequestJson).path("keyName").asText();
        return http.send(
                HttpRequest.newBuilder(URI.create(heraldUrl + "/keys/" + keyName + "/requestToken"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(tokenRequestJson))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<String> drain(InputStream in, Path copy) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (copy != null) {
                    Files.writeString(copy, s);
                }
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Path resource(String name) {
        try {
            var url = DemoBrowserIT.class.getClassLoader().getResource(name);
            assertThat(url).as("test resource " + name).isNotNull();
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code -Dherald.root} (Maven passes the reactor root), else the first parent holding herald-server/. */
    static Path repoRoot() {
        String configured = System.getProperty("herald.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("herald-server")) && Files.isDirectory(p.resolve("testing/node"))) {
                return p;
            }
        }
        return fail("cannot find the repository root above " + Path.of("").toAbsolutePath() + "; pass -Dherald.root");
    }
}
