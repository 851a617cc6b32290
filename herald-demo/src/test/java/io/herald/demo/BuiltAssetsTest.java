package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.herald.auth.ApiKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The front end Vite built into {@code target/classes/public}: it exists, it is what the backend serves, and
 * neither the files nor anything served contains an API key. (The browser test also checks every response
 * and WebSocket frame the pages see for the running key's secret.)
 */
class BuiltAssetsTest {

    /** Something shaped like an Ably key {@code appId.keyId:secret} with a secret of 20+ key characters. */
    static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+:[A-Za-z0-9_-]{20,}");

    static Path publicDir() throws Exception {
        var url = BuiltAssetsTest.class.getResource("/public/index.html");
        assumeFalse(url == null && Boolean.getBoolean("demo.web.skip"), "front end skipped (-Ddemo.web.skip=true)");
        assertThat(url)
                .as("public/index.html on the classpath: the Maven build runs web/build.sh (npm ci + vite build)")
                .isNotNull();
        return Path.of(url.toURI()).getParent();
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void builtAssets_existAndHoldNoApiKey() throws Exception {
        Path dir = publicDir();
        List<Path> files = files(dir);
        assertThat(files).anySatisfy(p -> assertThat(p.toString()).endsWith(".js"));
        assertThat(Files.readString(dir.resolve("index.html"))).contains("<div id=\"root\">");
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            Matcher m = KEY_SHAPE.matcher(text);
            assertThat(m.find())
                    .as(
                            "%s contains something shaped like an API key: %s",
                            dir.relativize(f), m.find(0) ? m.group() : "")
                    .isFalse();
            assertThat(text).doesNotContain("HERALD_API_KEY");
        }
    }

    @Test
    void servedPagesAndAssets_holdNoPartOfTheRunningKey() throws Exception {
        Path dir = publicDir();
        ApiKey key = ApiKey.generate("demo");
        DemoConfig config = new DemoConfig(
                "127.0.0.1",
                0,
                URI.create("http://localhost:8123"),
                key,
                Duration.ofSeconds(60),
                DemoConfig.AUTH_URL,
                null,
                Duration.ofMinutes(30));
        try (DemoServer server = DemoServer.start(config, DemoServerTest.USERS, new MutableClock(Instant.now()))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            List<String> paths =
                    new java.util.ArrayList<>(List.of("/", "/api/config", "/api/me", "/api/ably/token", "/api/health"));
            for (Path f : files(dir)) {
                paths.add("/" + dir.relativize(f).toString().replace('\\', '/'));
            }
            for (String path : paths) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
                assertThat(r.statusCode()).as(path).isIn(200, 401);
                assertThat(r.body()).as(path).doesNotContain(key.secret());
                assertThat(r.headers().map().toString()).as(path).doesNotContain(key.secret());
            }
            HttpResponse<String> index = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(index.body()).contains("<div id=\"root\">");
        }
    }
}
