package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file that does not load: the message (printed by {@code herald serve} and logged on reload) names
 * the line and the key, and never repeats a secret of the file.
 */
class ConfigErrorsTest {
    private static final String SECRET = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tX";
    private static final String REDIS_PASSWORD = "hunter2RedisPassword";
    private static final String METRICS_TOKEN = "metricsTokenAbcdefghij123";
    private static final ConfigLoader.Overrides NONE =
            new ConfigLoader.Overrides(null, null, null, null, null, null, null);

    @TempDir
    Path dir;

    @Test
    void yamlSyntaxError_namesLineAndKey_neverTheSecrets() throws IOException {
        String yaml = "redis: redis://default:" + REDIS_PASSWORD + "@127.0.0.1:6379\n" // 1
                + "metrics: { token: " + METRICS_TOKEN + " }\n" // 2
                + "apps:\n" // 3
                + "  - id: myapp\n" // 4
                + "    keys:\n" // 5
                + "      - key: myapp.k1:" + SECRET + "\n" // 6
                + "        capability: '{\"*\":[\"*\"]}\n" // 7: unclosed quote
                + "      - key: myapp.k2:" + SECRET + "\n";
        String message = failure(yaml);

        assertThat(message)
                .contains("line 7")
                .contains("'capability'")
                .doesNotContain(SECRET)
                .doesNotContain(REDIS_PASSWORD)
                .doesNotContain(METRICS_TOKEN);
    }

    @Test
    void badIndentation_onTheSecretsLine_namesLineAndKey_notTheSecret() throws IOException {
        String yaml = "apps:\n"
                + "  - id: myapp\n"
                + "    keys:\n"
                + "      - key: myapp.k1:" + SECRET + "\n"
                + "     revocableTokens: yes: no\n";
        String message = failure(yaml);

        assertThat(message).containsPattern("line [45]").doesNotContain(SECRET);
    }

    @Test
    void wrongType_namesTheSetting_notTheValue() throws IOException {
        String message = failure("port: redis://default:" + REDIS_PASSWORD + "@127.0.0.1:6379\n");

        assertThat(message).contains("port must be an integer, got a string").doesNotContain(REDIS_PASSWORD);
    }

    private String failure(String yaml) throws IOException {
        Path file = dir.resolve("herald.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ConfigLoader.load(file, NONE, Map.of()));
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n'); // a logger printing the cause chain must not leak it either
        }
        assertThat(all.toString()).doesNotContain(SECRET).doesNotContain(REDIS_PASSWORD);
        return t.getMessage();
    }
}
