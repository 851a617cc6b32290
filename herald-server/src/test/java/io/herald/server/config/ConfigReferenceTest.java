package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.server.config.ConfigReference.Setting;
import io.herald.server.config.ConfigReference.Table;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration tables are what {@link ConfigReference} renders, and its settings are exactly the keys
 * the file binds to. With {@code -Dherald.readme.write=true} the drift test rewrites README.md instead of failing.
 */
class ConfigReferenceTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeTables_matchTheDefinitions() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String rendered = ConfigReference.rewrite(readme);
        if (Boolean.getBoolean("herald.readme.write") && !rendered.equals(readme)) {
            Files.writeString(README, rendered, StandardCharsets.UTF_8);
            readme = rendered;
        }
        assertThat(readme)
                .as("README.md's generated tables are out of date: regenerate them (CONTRIBUTING.md)")
                .isEqualTo(rendered);
    }

    @Test
    void limitsAndTimings_documentEveryKeyTheyBind() {
        assertThat(keys(Table.LIMITS))
                .containsExactlyInAnyOrderElementsOf(components(Limits.class))
                .containsExactlyInAnyOrderElementsOf(components(ConfigFile.LimitsSection.class));
        assertThat(keys(Table.TIMINGS))
                .containsExactlyInAnyOrderElementsOf(components(Timings.class))
                .containsExactlyInAnyOrderElementsOf(components(ConfigFile.TimingsSection.class));
    }

    @Test
    void topLevelTable_documentsEveryKeyOfTheFile() {
        Set<String> documented = new LinkedHashSet<>();
        for (Setting s : ConfigReference.settings(Table.CONFIG)) {
            if (!s.key().isEmpty()) {
                documented.add(s.key());
            }
        }
        Set<String> bound = new LinkedHashSet<>();
        for (String top : components(ConfigFile.class)) {
            switch (top) {
                case "disk" -> components(ConfigFile.Disk.class).forEach(k -> bound.add("disk." + k));
                case "metrics" -> components(ConfigFile.Metrics.class).forEach(k -> bound.add("metrics." + k));
                case "admin" -> components(ConfigFile.Admin.class).forEach(k -> bound.add("admin." + k));
                case "control" -> components(ConfigFile.Control.class).forEach(k -> bound.add("control." + k));
                case "cors" -> components(ConfigFile.Cors.class).forEach(k -> bound.add("cors." + k));
                default -> bound.add(top);
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(bound);
    }

    @Test
    void appsTable_documentsEveryKeyOfAnApp() {
        List<String> bound = new ArrayList<>();
        for (String k : components(ConfigFile.App.class)) {
            switch (k) {
                case "keys" -> components(ConfigFile.Key.class).forEach(c -> bound.add("keys[]." + c));
                case "namespaces" ->
                    components(ConfigFile.Namespace.class).forEach(c -> bound.add("namespaces[]." + c));
                case "webhooks" -> components(ConfigFile.Webhook.class).forEach(c -> bound.add("webhooks[]." + c));
                default -> bound.add(k);
            }
        }
        assertThat(keys(Table.APPS)).containsExactlyInAnyOrderElementsOf(bound);
    }

    @Test
    void defaults_comeFromTheRecords() {
        assertThat(ConfigReference.render(Table.LIMITS))
                .contains("| `maxMessageSize` | `" + Limits.DEFAULTS.maxMessageSize() + "` bytes |");
        assertThat(ConfigReference.format(Timings.DEFAULTS.maxIdleInterval())).isEqualTo("15s");
        assertThat(ConfigReference.format(java.time.Duration.ofMinutes(60))).isEqualTo("1h");
        assertThat(ConfigReference.format(java.time.Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    private static List<String> keys(Table t) {
        return ConfigReference.settings(t).stream().map(Setting::key).toList();
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }
}
