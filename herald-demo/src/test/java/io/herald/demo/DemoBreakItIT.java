package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.auth.ApiKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * The admin's "break it" panel end to end, as {@code ./herald demo} runs it: Herald's server jar with a control
 * token made for this run, a demo backend given that token (and one without it), as real processes on free ports.
 * Over HTTP: who may use {@code POST /api/break/{action}} (401 without a session, 403 for every non-admin role, and
 * Herald then holds no fault for them; 503 on the backend without a token). Then headless Chromium runs
 * {@code e2e/demo-breakit-e2e.mjs}: ada (admin) drops her connection, expires her token and fails her room's
 * channel; after each, her page shows the disruption and the recovery, and a message each way between her and
 * alice arrives, so the demo really recovered. alice sees no panel; nor does ada on the backend without a token.
 * Logs and the screenshot land in {@code target/e2e-breakit/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoBreakItIT {

    static final ObjectMapper JSON = new ObjectMapper();

    Path root;
    Path out;
    ApiKey key;
    String controlToken;
    String heraldUrl;
    String demoUrl;
    String plainDemoUrl;
    ManagedProcess herald;
    ManagedProcess demo;
    ManagedProcess plainDemo;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startHeraldAndDemos() throws IOException {
        root = DemoBrowserIT.repoRoot();
        out = Path.of(System.getProperty(
                        "herald.demo.out",
                        root.resolve("herald-demo/target/e2e").toString()))
                .resolveSibling("e2e-breakit");
        Files.createDirectories(out);
        try (var old = Files.list(out)) {
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
        controlToken = "ctl-" + ApiKey.generate("x").secret().replaceAll("[^A-Za-z0-9]", "");
        int heraldPort = ManagedProcess.freePort();
        heraldUrl = "http://localhost:" + heraldPort;
        herald = ManagedProcess.start(
                "herald",
                out.resolve("herald.log"),
                Map.of("HERALD_CONTROL_TOKEN", controlToken),
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
        Map<String, String> control =
                Map.of("HERALD_CONTROL_TOKEN", controlToken, "HERALD_CONTROL_URL", "http://127.0.0.1:" + heraldPort);
        demo = startDemo("demo", port, demoJar, control);
        int plainPort = ManagedProcess.freePort();
        plainDemoUrl = "http://localhost:" + plainPort;
        plainDemo = startDemo("demo-without-control", plainPort, demoJar, Map.of());
        demo.awaitHttpOk(demoUrl + "/api/health", Duration.ofSeconds(60));
        plainDemo.awaitHttpOk(plainDemoUrl + "/api/health", Duration.ofSeconds(60));
    }

    private ManagedProcess startDemo(String name, int port, Path demoJar, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(extra);
        env.put("HERALD_API_KEY", key.keyString());
        env.put("HERALD_URL", heraldUrl);
        return ManagedProcess.start(
                name,
                out.resolve(name + ".log"),
                env,
                ManagedProcess.java(
                        "-jar", demoJar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
    }

    @AfterAll
    void stop() {
        for (ManagedProcess p : new ManagedProcess[] {plainDemo, demo, herald}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void breakRoute_withoutSession_401_nonAdmins_403_andHeraldGetsNoFault() throws Exception {
        HttpResponse<String> anonymous = new Session(demoUrl).post("/api/break/drop", "{}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo(TokenEndpoint.NOT_AUTHORIZED);
        for (String user : List.of("alice", "mia", "victor")) {
            Session s = new Session(demoUrl).signIn(user);
            for (String action : List.of("drop", "expire", "fail-channel")) {
                HttpResponse<String> r = s.post("/api/break/" + action, "{\"room\":\"lobby\"}");
                assertThat(r.statusCode())
                        .as("%s %s: %s", user, action, r.body())
                        .isEqualTo(403);
                assertThat(JSON.readTree(r.body()).path("error").asText())
                        .isEqualTo("Only the admin role may break things");
            }
        }
        HttpResponse<String> faults = http.send(
                HttpRequest.newBuilder(URI.create(heraldUrl + "/control/faults?appId=" + key.appId()))
                        .header("Authorization", "Bearer " + controlToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);
        for (JsonNode f : JSON.readTree(faults.body()).path("faults")) {
            assertThat(f.path("clientId").asText())
                    .as("a fault Herald holds: %s", f)
                    .isNotIn("alice", "mia", "victor");
        }
    }

    @Test
    void adminRequests_becomeFaultsAtHerald_forTheirOwnClientId_andHeraldsRefusalIsPassedOn() throws Exception {
        // the backend in this JVM (so its coverage counts), against the real Herald
        URI control = URI.create("http://127.0.0.1:" + URI.create(heraldUrl).getPort());
        try (DemoServer inProcess = DemoServer.start(
                config(new DemoConfig.HeraldControl(control, controlToken)),
                UserDirectory.loadDefault(),
                Clock.systemUTC())) {
            Session ada = new Session("http://127.0.0.1:" + inProcess.port()).signIn("ada");
            HttpResponse<String> drop = ada.post("/api/break/drop", "{}");
            assertThat(drop.statusCode()).as(drop.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(drop.body());
            assertThat(answer.path("kind").asText()).isEqualTo("connection.drop");
            HttpResponse<String> fail = ada.post("/api/break/fail-channel", "{\"room\":\"random\"}");
            assertThat(fail.statusCode()).as(fail.body()).isEqualTo(200);
            JsonNode faults = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(heraldUrl + "/control/faults?appId=" + key.appId()))
                                    .header("Authorization", "Bearer " + controlToken)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            JsonNode dropFault = find(faults, answer.path("fault").asText());
            assertThat(dropFault.path("kind").asText()).isEqualTo("connection.drop");
            assertThat(dropFault.path("clientId").asText()).isEqualTo("ada");
            JsonNode failFault =
                    find(faults, JSON.readTree(fail.body()).path("fault").asText());
            assertThat(failFault.path("kind").asText()).isEqualTo("channel.fail");
            assertThat(failFault.path("clientId").asText()).isEqualTo("ada");
            assertThat(failFault.path("channel").asText()).isEqualTo("random::$chat");
        }
        try (DemoServer wrongToken = DemoServer.start(
                config(new DemoConfig.HeraldControl(control, "not-the-control-token")),
                UserDirectory.loadDefault(),
                Clock.systemUTC())) {
            HttpResponse<String> r = new Session("http://127.0.0.1:" + wrongToken.port())
                    .signIn("ada")
                    .post("/api/break/expire", "{}");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(r.body()).path("error").asText())
                    .startsWith("Herald refused the fault: ")
                    .endsWith("(40100)");
        }
    }

    private DemoConfig config(DemoConfig.HeraldControl control) {
        return new DemoConfig(
                "127.0.0.1",
                0,
                URI.create(heraldUrl),
                key,
                Duration.ofSeconds(60),
                DemoConfig.AUTH_URL,
                null,
                Duration.ofMinutes(30),
                control);
    }

    private static JsonNode find(JsonNode faults, String id) {
        for (JsonNode f : faults.path("faults")) {
            if (f.path("id").asText().equals(id)) {
                return f;
            }
        }
        return fail("Herald lists no fault " + id + ": " + faults);
    }

    @Test
    void withoutControlToken_theRouteAnswers503_andConfigHidesThePanel() throws Exception {
        Session ada = new Session(plainDemoUrl).signIn("ada");
        HttpResponse<String> r = ada.post("/api/break/drop", "{}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("HERALD_CONTROL_TOKEN");
        assertThat(JSON.readTree(ada.get("/api/config").body()).path("breakIt").asBoolean())
                .isFalse();
        HttpResponse<String> config = new Session(demoUrl).get("/api/config");
        assertThat(JSON.readTree(config.body()).path("breakIt").asBoolean()).isTrue();
        assertThat(config.body()).doesNotContain(controlToken);
    }

    @Test
    void browser_adminBreaksConnectionTokenAndChannel_andTheDemoRecoversFromEach() throws Exception {
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
        job.put("plainDemoUrl", plainDemoUrl);
        job.put("chromium", chromium);
        job.set("secrets", JSON.valueToTree(List.of(key.secret(), controlToken)));
        job.put("outDir", out.toString());
        job.set("users", JSON.valueToTree(DemoBrowserIT.PASSWORDS));

        ProcessBuilder pb = new ProcessBuilder(
                        "node",
                        DemoBrowserIT.resource("e2e/demo-breakit-e2e.mjs").toString())
                .directory(nodeDir.toFile());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process node = pb.start();
        CompletableFuture<String> stdout = DemoBrowserIT.drain(node.getInputStream(), null);
        CompletableFuture<String> stderr = DemoBrowserIT.drain(node.getErrorStream(), out.resolve("e2e.log"));
        try (OutputStream in = node.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(job));
        }
        boolean done = node.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = stderr.get(10, TimeUnit.SECONDS);
        String report = stdout.get(10, TimeUnit.SECONDS);
        Files.writeString(out.resolve("e2e-report.json"), report);
        String diagnostics = "\n---- e2e log ----\n" + log + "\n---- report ----\n" + report + "\n" + demo.output()
                + "\n" + herald.output();
        if (!done) {
            fail("the browser test did not finish within 180 s" + diagnostics);
        }
        if (node.exitValue() != 0) {
            fail("the browser test failed (exit " + node.exitValue() + ")" + diagnostics);
        }
        System.out.println(log);
        JsonNode seen = JSON.readTree(report).path("observations");
        assertThat(JSON.readTree(report).path("ok").asBoolean())
                .as("report ok" + diagnostics)
                .isTrue();
        assertThat(seen.path("drop").path("outcome").asText()).isEqualTo("(connection resumed, same connectionId)");
        assertThat(seen.path("drop").path("steps").asText()).contains("disconnected");
        assertThat(seen.path("expire").path("steps").asText()).contains("40142");
        assertThat(seen.path("expire").path("outcome").asText()).startsWith("(token renewed");
        assertThat(seen.path("fail-channel").path("steps").asText()).contains("room failed 90000");
        assertThat(seen.path("fail-channel").path("outcome").asText()).isEqualTo("(room failed → re-attached)");
        assertThat(seen.path("memberBreakStatus").asInt()).isEqualTo(403);
        assertThat(out.resolve("demo-breakit.png")).isRegularFile();
        assertThat(herald.output())
                .as("Herald applied the demo's faults")
                .contains("connection.drop")
                .contains("token.expire")
                .contains("channel.fail");
    }

    /** An HTTP client with a cookie jar, like one browser profile. */
    final class Session {
        final String base;
        final HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        Session(String base) {
            this.base = base;
        }

        Session signIn(String user) throws IOException, InterruptedException {
            HttpResponse<String> r = post(
                    "/api/sign-in",
                    JSON.writeValueAsString(Map.of("username", user, "password", DemoBrowserIT.PASSWORDS.get(user))));
            assertThat(r.statusCode()).as("sign-in of %s: %s", user, r.body()).isEqualTo(200);
            return this;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
