package io.herald.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The JVM's meters are registered off the start's path ({@link HeraldMetrics#bindJvmInBackground}), yet every scrape
 * shows them, however early it comes.
 */
class HeraldMetricsJvmTest {
    private static final String[] JVM_METERS = {
        "jvm_memory_used_bytes",
        "jvm_threads_live_threads",
        "jvm_classes_loaded_classes",
        "system_cpu_count",
        "process_uptime_seconds",
        "process_files_open_files"
    };

    private static String scrape(HeraldMetrics m) {
        return new String(m.scrape(null).body(), StandardCharsets.UTF_8);
    }

    @Test
    void scrapeRightAfterTheBackgroundBindingStarts_showsTheJvmMeters() {
        try (HeraldMetrics m = new HeraldMetrics()) {
            m.bindJvmInBackground();

            assertThat(scrape(m)).contains(JVM_METERS);
        }
    }

    @Test
    void scrapeWithoutTheBackgroundBinding_registersThemItself() {
        try (HeraldMetrics m = new HeraldMetrics()) {
            assertThat(scrape(m)).contains(JVM_METERS);
        }
    }

    @Test
    void bindingTwice_registersEachMeterOnce() {
        try (HeraldMetrics m = new HeraldMetrics()) {
            m.bindJvm();
            m.bindJvm();

            String text = scrape(m);
            assertThat(text.split("# TYPE jvm_memory_used_bytes ", -1)).hasSize(2);
        }
    }

    @Test
    void closedWithoutBinding_doesNotBindAfterwards() {
        HeraldMetrics m = new HeraldMetrics();
        m.close();

        m.bindJvm();

        assertThat(scrape(m)).doesNotContain("jvm_memory_used_bytes");
    }
}
