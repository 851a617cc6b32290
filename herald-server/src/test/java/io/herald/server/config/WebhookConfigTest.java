package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.herald.webhooks.Source;
import io.herald.webhooks.WebhookRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apps[].webhooks[]}: read into rules, and every mistake refused naming its path. */
class WebhookConfigTest {
    private static final ConfigLoader.Overrides NONE =
            new ConfigLoader.Overrides(null, null, null, null, null, null, null);

    @TempDir
    Path dir;

    private ServerConfig load(String webhooks) throws IOException {
        Path f = dir.resolve("herald.yaml");
        Files.writeString(
                f,
                "apps:\n  - id: app\n    keys:\n      - key: app.k1:c2VjcmV0c2VjcmV0\n    webhooks:\n" + webhooks,
                StandardCharsets.UTF_8);
        return ConfigLoader.load(f, NONE, Map.of());
    }

    private String failure(String webhooks) {
        Throwable t = catchThrowable(() -> load(webhooks));
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        return t.getMessage();
    }

    @Test
    void rules_areRead() throws IOException {
        ServerConfig c = load("      - url: https://hooks.example.com/in\n"
                + "        channelFilter: '^chat:'\n"
                + "        sources: [channel.message, channel.lifecycle]\n"
                + "        batch: false\n"
                + "        headers: { Authorization: 'Bearer abc' }\n"
                + "      - url: http://127.0.0.1:9000/\n");
        assertThat(c.webhooks()).hasSize(2);
        WebhookRule r = c.webhooks().get(0);
        assertThat(r.id()).isEqualTo("app:0");
        assertThat(r.url().toString()).isEqualTo("https://hooks.example.com/in");
        assertThat(r.sources()).isEqualTo(Set.of(Source.MESSAGE, Source.LIFECYCLE));
        assertThat(r.batch()).isFalse();
        assertThat(r.headers()).containsEntry("Authorization", "Bearer abc");
        assertThat(r.matches(Source.MESSAGE, "chat:1")).isTrue();
        assertThat(r.matches(Source.MESSAGE, "news")).isFalse();
        assertThat(c.webhooks().get(1).sources()).containsExactly(Source.MESSAGE);
    }

    @Test
    void mistakes_areRefusedWithTheirPath() {
        assertThat(failure("      - url: https://h/\n        filter: x\n"))
                .contains("apps[0].webhooks[0]: unknown setting 'filter'");
        assertThat(failure("      - url: file:///etc/passwd\n")).contains("apps[0].webhooks[0].url");
        assertThat(failure("      - url: https://h/\n        channelFilter: '(('\n"))
                .contains("apps[0].webhooks[0].channelFilter");
        assertThat(failure("      - url: https://h/\n        sources: [channel.occupied]\n"))
                .contains("apps[0].webhooks[0].sources")
                .contains("unknown source 'channel.occupied'");
        assertThat(failure("      - channelFilter: x\n")).contains("apps[0].webhooks[0].url is required");
    }
}
