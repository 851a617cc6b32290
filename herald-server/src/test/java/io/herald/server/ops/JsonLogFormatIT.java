package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code herald serve --log-format json} as a real process: every line on stderr is a JSON object, the audit lines
 * included, with their fields as JSON fields.
 */
class JsonLogFormatIT {
    private static final Pattern RUNNING = Pattern.compile("Herald is running: http://127\\.0\\.0\\.1:(\\d+) ");
    private static final long WAIT_S = 30;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(WAIT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void serve_logFormatJson_everyStderrLineIsJsonWithAuditFields() throws Exception {
        ApiKey key = ApiKey.parse("test.k1:" + OpsServer.secret());
        // the packaged server jar, as users run it (the test class path would bring other modules' logback-test.xml)
        Path jar = Path.of("target", "herald.jar").toAbsolutePath();
        assertThat(jar).as("the server jar (mvn package)").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(
                        java.toString(),
                        "-Xmx128m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--engine",
                        "memory",
                        "--port",
                        "0",
                        "--host",
                        "127.0.0.1",
                        "--key",
                        key.keyString(),
                        "--log-format",
                        "json")
                .start();
        BlockingQueue<String> out = lines(process.getInputStream());
        BlockingQueue<String> err = lines(process.getErrorStream());
        int port = Integer.parseInt(await(out, l -> RUNNING.matcher(l).find(), "the banner", RUNNING));

        TokenParams alice = new TokenParams();
        alice.clientId = "alice";
        String request = TokenRequests.create(key, alice, Clock.systemUTC()).toJson();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/keys/test.k1/requestToken"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request))
                .build();
        String token = OpsServer.json(
                        http.send(post, HttpResponse.BodyHandlers.ofString()).body())
                .path("token")
                .asText();
        assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("replay")
                .isEqualTo(401);

        List<JsonNode> logged = new ArrayList<>();
        while (logged.stream()
                        .filter(j -> j.path("logger").asText().equals("herald.audit"))
                        .count()
                < 2) {
            String line = err.poll(WAIT_S, TimeUnit.SECONDS);
            assertThat(line).as("two audit lines on stderr, got %s", logged).isNotNull();
            JsonNode j = OpsServer.json(line);
            assertThat(j.isObject()).as(line).isTrue();
            assertThat(j.path("time").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(j.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(j.has("logger") && j.has("message")).as(line).isTrue();
            assertThat(line)
                    .doesNotContain(key.secret())
                    .doesNotContain(token)
                    .doesNotContain(OpsServer.json(request).path("mac").asText());
            logged.add(j);
        }
        assertThat(logged)
                .anySatisfy(j ->
                        assertThat(j.path("message").asText()).startsWith("Herald listening on 127.0.0.1:" + port));
        List<JsonNode> audit = logged.stream()
                .filter(j -> j.path("logger").asText().equals("herald.audit"))
                .toList();
        assertThat(audit.get(0).path("message").asText()).isEqualTo("token issued");
        assertThat(audit.get(0).path("outcome").asText()).isEqualTo("issued");
        assertThat(audit.get(0).path("clientId").asText()).isEqualTo("alice");
        assertThat(audit.get(0).path("keyName").asText()).isEqualTo("test.k1");
        assertThat(audit.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(audit.get(1).path("code").isInt()).isTrue();
        assertThat(audit.get(1).path("code").asInt()).isEqualTo(40105);
        assertThat(audit.get(1).path("remote").asText()).startsWith("127.0.0.1:");
    }

    private static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            q.add(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "json-log-reader");
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String await(BlockingQueue<String> q, Predicate<String> match, String what, Pattern group)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = q.poll(WAIT_S, TimeUnit.SECONDS);
            assertThat(line).as("%s within %d s; saw %s", what, WAIT_S, seen).isNotNull();
            if (match.test(line)) {
                Matcher m = group.matcher(line);
                assertThat(m.find()).isTrue();
                return m.group(1);
            }
            seen.add(line);
        }
    }
}
