package io.herald.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistedReportTest {
    private static Results persistedRun() {
        Results r = SyntheticResults.make("full");
        r.command = "./herald bench --only persisted";
        r.scenarios = List.of("persisted");
        r.sizes.put("persisted", "100 publishers over 2 client processes, 10 channels");
        Results.Rate memory = SyntheticResults.rate(20000, 1);
        memory.capacityIsLowerBound = true;
        r.persisted.put("memory", memory);
        Results.Rate always = SyntheticResults.rate(2000, 1);
        always.capacityIsLowerBound = false;
        r.persisted.put("disk-always", always);
        Results.Rate interval = SyntheticResults.rate(10000, 1);
        interval.atMax = null;
        interval.maxRate = 0;
        interval.capacityIsLowerBound = true;
        r.persisted.put("disk-interval", interval);
        r.notes.put("persisted/disk-interval", "no rate met p99 <= 10.0 ms");
        r.notes.put("persisted/disk-never", "failed: Herald exited during start-up");
        r.load.put("persisted/memory", "0.50 → 1.10");
        return r;
    }

    @Test
    void section_oneColumnPerEngineSetting_withTheRunsFigures_notesWhereThereAreNone() {
        String s = PersistedReport.section(persistedRun());

        assertThat(s)
                .startsWith(PersistedReport.START + "\n## Persisted publishes: disk engine vs memory\n\n"
                        + "Measured by `./herald bench --only persisted` on 2026-12-05 10:00 UTC (full mode).")
                .endsWith("</details>\n\n" + PersistedReport.END + "\n")
                .doesNotContain("{{");
        assertThat(s)
                .contains(
                        "| Metric | memory engine | disk, fsync always | disk, fsync interval | disk, fsync never |",
                        "100 publishers over 2 client processes, 10 channels.",
                        "(p99 bound 10.0 ms,");
        // the capacity steps of SyntheticResults.rate: 2 × max msg/s for 5 s, every message acknowledged
        assertThat(s)
                .contains("| capacity: most acknowledged publishes/s, any latency (≥: no step failed, the search "
                        + "reached the publishers' rate limit or ran out of steps) | ≥ 40,000 | 4,000 | ≥ 20,000 | failed: Herald "
                        + "exited during start-up |");
        assertThat(s)
                .contains(
                        "| capacity relative to the memory engine | 1.00x | ≤ 0.10x | – (both at least) | failed: Herald");
        assertThat(s)
                .contains("| acknowledged publishes/s with p99 ACK ≤ 10.0 ms and none refused | 20,000 | 2,000 | "
                        + "no rate met p99 <= 10.0 ms |");
        assertThat(s).contains("| load average (1 min) before → after | 0.50 → 1.10 | – | – | – |");
        assertThat(s)
                .contains("| disk, fsync always | 4,000 | 4,000 | 7.50 / 30.0 / 60.0 / 90.0 | 1.20 (40%) / 0.60 |");
    }

    @Test
    void splice_replacesOnlyTheSection_everyOtherByteStays() {
        String before = "# Benchmarks\n\n| table | 1 |\n\n";
        String after = "## Benchmark targets\n\nfigures\n" + Report.KEEP_START + "\nmine\n" + Report.KEEP_END + "\n";
        String doc = before + "<!-- persisted:start (older wording) -->\nold figures\n" + PersistedReport.END + "\n\n"
                + after;

        String out = PersistedReport.splice(doc, "NEW SECTION\n");

        assertThat(out).isEqualTo(before + "NEW SECTION\n\n" + after);
        String real = PersistedReport.section(persistedRun());
        String once = PersistedReport.splice(doc, real);
        assertThat(PersistedReport.splice(once, real))
                .as("splicing again changes nothing")
                .isEqualTo(once);
    }

    @Test
    void splice_withoutASection_insertsItBeforeTheTargets() {
        String doc = "# Benchmarks\n\ntable\n\n## Benchmark targets\n\nfigures\n";
        String section = PersistedReport.section(persistedRun());

        String out = PersistedReport.splice(doc, section);

        assertThat(out).isEqualTo("# Benchmarks\n\ntable\n\n" + section + "\n## Benchmark targets\n\nfigures\n");
        assertThat(PersistedReport.existing(out)).isEqualTo(section);
        assertThat(PersistedReport.splice("no anchors", "S\n")).isEqualTo("no anchors\n\nS\n");
    }

    @Test
    void fullReport_withoutThisScenario_keepsTheSectionOfTheExistingFile(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        String section = PersistedReport.section(persistedRun());
        Files.writeString(doc, "old\n" + section + "\nold tail\n");

        String md = Report.markdown(SyntheticResults.make("full"), doc);

        assertThat(md)
                .contains("## Cross-node on Redis")
                .containsSubsequence(section, "## Benchmark targets")
                .doesNotContain("old tail");
        assertThat(Report.markdown(persistedRun(), doc))
                .contains("| Metric | memory engine |")
                .containsSubsequence("## Cross-node on Redis", PersistedReport.START, "## Benchmark targets");
    }

    @Test
    void onlyPersisted_whenNothingElseRan() {
        Results r = persistedRun();
        assertThat(PersistedReport.onlyPersisted(r)).isTrue();
        r.scenarios = List.of("persisted", "jmh");
        assertThat(PersistedReport.onlyPersisted(r)).isFalse();
        r.scenarios = List.of();
        assertThat(PersistedReport.onlyPersisted(r)).isFalse();
    }
}
