package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.herald.auth.ApiKey;
import io.herald.core.config.AppConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key the configuration does not have is refused at every depth, naming its path and line and never the value on
 * that line; the forms the file accepted before still load.
 */
class UnknownKeysTest {
    private static final String SECRET = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tX";
    private static final ConfigLoader.Overrides NONE =
            new ConfigLoader.Overrides(null, null, null, null, null, null, null);

    @TempDir
    Path dir;

    @Test
    void topLevel() throws IOException {
        assertThat(failure("port: 0\nprot: 8080\n"))
                .contains("unknown setting 'prot' at line 2")
                .contains("known:");
    }

    @Test
    void inApps() throws IOException {
        assertThat(failure(app("    limit: { maxConnectionsPerKey: 1 }\n")))
                .contains("apps[0]: unknown setting 'limit' at line 3");
    }

    @Test
    void inKeys_onTheSecretsLine_neverTheSecret() throws IOException {
        String yaml = "apps:\n"
                + "  - id: myapp\n"
                + "    keys:\n"
                + "      - key: myapp.k1:" + SECRET + "\n"
                + "        revocable: true\n"
                + "      - key: myapp.k2:" + SECRET + "\n"
                + "        secret: " + SECRET + "\n";
        String message = failure(yaml);

        assertThat(message)
                .contains("apps[0].keys[0]: unknown setting 'revocable' at line 5")
                .contains("capability, key, revocableTokens");
    }

    @Test
    void inNamespaces() throws IOException {
        assertThat(failure(app("    namespaces:\n      - id: persisted\n        persist: true\n")))
                .contains("apps[0].namespaces[0]: unknown setting 'persist' at line 5");
    }

    @Test
    void pushEnabled_true_isRefused_pushIsNotImplemented() throws IOException {
        assertThat(failure(app("    namespaces:\n      - id: push\n        pushEnabled: true\n")))
                .contains("apps[0].namespaces[0]: pushEnabled: push notifications are not implemented");
        assertThat(failure(app("    namespaces:\n      - id: push\n        pushEnabled: false\n      - id: x\n"
                        + "        pushEnabled: true\n")))
                .contains("apps[0].namespaces[1]: pushEnabled");
    }

    @Test
    void inNodeAndAppLimits() throws IOException {
        assertThat(failure("limits:\n  maxMessageSize: 1000\n  maxMesageSize: 10\n"))
                .contains("limits: unknown setting 'maxMesageSize' at line 3");
        assertThat(failure(app("    limits: { maxConectionsPerKey: 5 }\n")))
                .contains("apps[0].limits: unknown setting 'maxConectionsPerKey' at line 3");
    }

    @Test
    void inTimingsDiskMetricsCors() throws IOException {
        assertThat(failure("timings:\n  maxIdle: 15s\n")).contains("timings: unknown setting 'maxIdle' at line 2");
        assertThat(failure("disk:\n  fsync: always\n  fsyncEvery: 1s\n"))
                .contains("disk: unknown setting 'fsyncEvery' at line 3");
        assertThat(failure("metrics: { tokenFile: /etc/x }\n"))
                .contains("metrics: unknown setting 'tokenFile' at line 1");
        assertThat(failure("cors:\n  origins: [https://a.example]\n"))
                .contains("cors: unknown setting 'origins' at line 2");
    }

    @Test
    void wrongTypes_nameThePathAndLine_notTheValue() throws IOException {
        assertThat(failure(app("    keys:\n      - key: myapp.k1:" + SECRET + "\n        revocableTokens: [" + SECRET
                        + "]\n")))
                .contains("apps[0].keys[0].revocableTokens must be true or false, got a list at line 5");
        assertThat(failure("timings: { maxIdleInterval: " + SECRET + " }\n"))
                .contains("timings.maxIdleInterval must be a duration")
                .contains("got a string at line 1");
        assertThat(failure("limits: { maxMessageSize: 1.5 }\n"))
                .contains("limits.maxMessageSize must be an integer, got a number with a fraction at line 1");
        assertThat(failure("apps: { id: x }\n")).contains("apps must be a list, got a mapping at line 1");
    }

    @Test
    void acceptedForms_stillLoad() throws IOException {
        ApiKey key = ApiKey.parse("myapp.k1:" + SECRET);
        String yaml = "port: '0'\n"
                + "limits: { maxMessageSize: 1000, httpIdleTimeout: 5000, maxConnectionsPerKey: 7 }\n"
                + "timings: { maxIdleInterval: 20s, connectionStateTtl: 3m, historyRetention: 1h,"
                + " idempotencyWindow: '90000', presenceLeaveDelay: 250ms }\n"
                + "disk: { maxDiskBytes: 10gb, fsyncInterval: 200ms }\n"
                + "apps:\n"
                + "  - id: myapp\n"
                + "    limits: { maxConnectionsPerKey: 3 }\n"
                + "    keys:\n"
                + "      - key: " + key.keyString() + "\n"
                + "        capability: { 'chat:*': [subscribe] }\n"
                + "      - key: myapp.k2:" + SECRET + "\n"
                + "        capability: '{\"news\":[\"publish\"]}'\n"
                + "        revocableTokens: true\n";
        ServerConfig c = ConfigLoader.load(write(yaml), NONE, Map.of("HERALD_KEYS", "other.k9:" + SECRET));

        assertThat(c.port()).isZero();
        assertThat(c.core().limits().maxMessageSize()).isEqualTo(1000);
        assertThat(c.core().limits().httpIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.core().timings().maxIdleInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.core().timings().connectionStateTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.core().timings().historyRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(c.core().timings().idempotencyWindow()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.core().timings().presenceLeaveDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.engineOptions()).containsEntry("maxDiskBytes", "10gb").containsEntry("fsyncInterval", "200");
        AppConfig app = c.core().apps().stream()
                .filter(a -> a.appId().equals("myapp"))
                .findFirst()
                .orElseThrow();
        assertThat(app.limits().maxConnectionsPerKey()).as("the app's own").isEqualTo(3);
        assertThat(app.limits().maxMessageSize()).as("the node's, beneath").isEqualTo(1000);
        assertThat(app.keys()).hasSize(2);
        assertThat(app.keys().get(0).capability().canonical()).contains("chat:*");
        assertThat(app.keys().get(1).revocableTokens()).isTrue();
        assertThat(c.core().apps()).extracting(AppConfig::appId).containsExactly("myapp", "other");
        assertThat(c.generatedKey()).isFalse();
    }

    @Test
    void readmeExample_loads() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```yaml\nport: 8080\n");
        assertThat(start).as("README's configuration example").isNotNegative();
        String yaml = readme.substring(start + 8, readme.indexOf("```", start + 8))
                .replace("REPLACE_WITH_43_CHARS_OF_A-Za-z0-9_-", SECRET);

        ServerConfig c = ConfigLoader.load(write(yaml), NONE, Map.of());

        assertThat(c.engine()).isEqualTo("disk");
        assertThat(c.core().apps()).extracting(AppConfig::appId).containsExactly("myapp");
        assertThat(ConfigLoader.load(write("disk: { maxDiskBytes: 1 }\n"), NONE, Map.of())
                        .engineOptions())
                .as("a plain number of bytes")
                .containsEntry("maxDiskBytes", "1");
    }

    @Test
    void emptyFile_allDefaults() throws IOException {
        ServerConfig c = ConfigLoader.load(write("# nothing yet\n"), NONE, Map.of());

        assertThat(c.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(c.generatedKey()).isTrue();
        assertThat(c.corsAllowedOrigins()).isEqualTo(List.of("*"));
    }

    private static String app(String more) {
        return "apps:\n  - id: myapp\n" + more;
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("herald.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private String failure(String yaml) throws IOException {
        Path file = write(yaml);
        Throwable t = catchThrowable(() -> ConfigLoader.load(file, NONE, Map.of()));
        assertThat(t).as(yaml).isInstanceOf(IllegalArgumentException.class);
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(c.getMessage()).doesNotContain(SECRET);
        }
        return t.getMessage();
    }
}
