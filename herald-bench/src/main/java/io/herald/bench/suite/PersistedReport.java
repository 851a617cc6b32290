package io.herald.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The persisted-publish section of docs/benchmarks.md, between its own markers, so that a run of this scenario alone
 * ({@code --only persisted}) replaces this section and leaves every other figure of the file as it was, and a run
 * without it keeps the section from the file.
 */
final class PersistedReport {
    static final String START = "<!-- persisted:start (./herald bench --only persisted replaces only this section) -->";
    static final String END = "<!-- persisted:end -->";
    private static final String START_PREFIX = "<!-- persisted:start";
    private static final Template PROSE = Template.load("report.md");
    private static final Map<String, String> TITLES = Map.of(
            "memory",
            "memory engine",
            "disk-always",
            "disk, fsync always",
            "disk-interval",
            "disk, fsync interval",
            "disk-never",
            "disk, fsync never");

    private PersistedReport() {}

    /** Whether the run measured this scenario and nothing else. */
    static boolean onlyPersisted(Results r) {
        return !r.scenarios.isEmpty() && r.scenarios.stream().allMatch("persisted"::equals);
    }

    /** The section with its markers, from the run's figures. */
    static String section(Results r) {
        StringBuilder t = new StringBuilder(START).append('\n');
        t.append(PROSE.render(
                "persisted-intro",
                Map.of(
                        "command",
                        r.command,
                        "date",
                        r.date,
                        "mode",
                        r.mode,
                        "setup",
                        String.valueOf(r.sizes.get("persisted")),
                        "p99",
                        Report.fmt(r.targetP99Ms))));
        t.append("| Metric");
        for (String v : Persisted.VARIANTS.keySet()) {
            t.append(" | ").append(TITLES.get(v));
        }
        t.append(" |\n|---").append("|--:".repeat(Persisted.VARIANTS.size())).append("|\n");
        Results.Rate memory = r.persisted.get("memory");
        row(
                t,
                r,
                "acknowledged publishes/s with p99 ACK ≤ " + Report.fmt(r.targetP99Ms) + " ms and none refused",
                x -> x.atMax == null ? null : Report.count(x.atMax.deliveriesPerSecond()));
        row(t, r, "ACK latency there: p50 / p99 / p99.9 (ms)", x -> lat(x.atMax));
        row(
                t,
                r,
                "capacity: most acknowledged publishes/s, any latency (≥: no step failed, the search reached the "
                        + "publishers' rate limit or ran out of steps)",
                x -> x.capacity == null
                        ? null
                        : (x.capacityIsLowerBound ? "≥ " : "") + Report.count(x.capacity.deliveriesPerSecond()));
        row(t, r, "ACK latency at capacity: p50 / p99 / p99.9 (ms)", x -> lat(x.capacity));
        row(t, r, "capacity relative to the memory engine", x -> relative(x, memory));
        row(
                t,
                r,
                "ACK latency at half the max rate (half the capacity if no max): p50 / p99 / p99.9 (ms)",
                x -> x.atHalf == null ? null : lat(x.atHalf) + " at " + Report.count(x.atHalf.rate) + " msg/s");
        row(
                t,
                r,
                "CPU at capacity: server (kernel share) / clients, in cores",
                x -> x.capacity == null ? null : Report.cores(x.capacity) + " / " + Report.fmt(x.capacity.clientCores));
        t.append("| load average (1 min) before → after");
        for (String v : Persisted.VARIANTS.keySet()) {
            t.append(" | ").append(r.load.getOrDefault("persisted/" + v, "–"));
        }
        t.append(" |\n\n");
        t.append(PROSE.render("persisted-notes"));
        t.append(steps(r));
        return t.append(END).append('\n').toString();
    }

    /** The section as it is in an existing file (markers included), or null when the file has none. */
    static @Nullable String existing(String doc) {
        int a = doc.indexOf(START_PREFIX);
        int b = doc.indexOf(END, Math.max(0, a));
        if (a < 0 || b < 0) {
            return null;
        }
        return doc.substring(a, b + END.length()) + "\n";
    }

    /**
     * {@code doc} with its persisted section replaced by {@code section}; without one, the section goes before the
     * benchmark targets (or the hand-written analysis, or at the end). Nothing else of {@code doc} changes.
     */
    static String splice(String doc, String section) {
        String old = existing(doc);
        if (old != null) {
            int a = doc.indexOf(START_PREFIX);
            String after = doc.substring(a + old.length() - 1);
            return doc.substring(0, a) + section + (after.startsWith("\n") ? after.substring(1) : after);
        }
        for (String anchor : List.of("## Benchmark targets", Report.KEEP_START)) {
            int at = doc.indexOf(anchor);
            if (at >= 0) {
                return doc.substring(0, at) + section + "\n" + doc.substring(at);
            }
        }
        return doc + (doc.endsWith("\n") ? "\n" : "\n\n") + section;
    }

    private static void row(StringBuilder t, Results r, String metric, Function<Results.Rate, @Nullable String> cell) {
        t.append("| ").append(metric);
        for (String v : Persisted.VARIANTS.keySet()) {
            Results.Rate x = r.persisted.get(v);
            String c = x == null ? null : cell.apply(x);
            if (c == null) {
                c = r.notes.getOrDefault("persisted/" + v, "n/a");
            }
            t.append(" | ").append(c);
        }
        t.append(" |\n");
    }

    /** x's capacity over the memory engine's; a bound when either is one, nothing when both are. */
    private static @Nullable String relative(Results.Rate x, Results.@Nullable Rate memory) {
        if (x.capacity == null || memory == null || memory.capacity == null) {
            return null;
        }
        if (x == memory) {
            return "1.00x";
        }
        if (x.capacityIsLowerBound && memory.capacityIsLowerBound) {
            return "– (both at least)";
        }
        String bound = x.capacityIsLowerBound ? "≥ " : memory.capacityIsLowerBound ? "≤ " : "";
        return bound + Report.fmt(x.capacity.deliveriesPerSecond() / memory.capacity.deliveriesPerSecond()) + "x";
    }

    private static @Nullable String lat(Results.@Nullable Step s) {
        return s == null ? null : Report.fmt(s.p50ms) + " / " + Report.fmt(s.p99ms) + " / " + Report.fmt(s.p999ms);
    }

    private static String steps(Results r) {
        StringBuilder s =
                new StringBuilder("<details><summary>Every measured step of this scenario (click)</summary>\n\n");
        s.append(
                "| Engine | msg/s | acknowledged/s | ACK p50 / p99 / p99.9 / max (ms) | server (kernel share) / client cores "
                        + "| verdict |\n|---|--:|--:|---|---|---|\n");
        for (String v : Persisted.VARIANTS.keySet()) {
            Results.Rate x = r.persisted.get(v);
            if (x == null) {
                continue;
            }
            List<Results.Step> all = new ArrayList<>(x.steps);
            if (x.atHalf != null) {
                all.add(x.atHalf);
            }
            for (Results.Step st : all) {
                s.append("| ")
                        .append(TITLES.get(v))
                        .append(" | ")
                        .append(Report.count(st.rate))
                        .append(" | ")
                        .append(Report.count(st.deliveriesPerSecond()))
                        .append(" | ")
                        .append(Report.fmt(st.p50ms))
                        .append(" / ")
                        .append(Report.fmt(st.p99ms))
                        .append(" / ")
                        .append(Report.fmt(st.p999ms))
                        .append(" / ")
                        .append(Report.fmt(st.maxms))
                        .append(" | ")
                        .append(Report.cores(st))
                        .append(" / ")
                        .append(Report.fmt(st.clientCores))
                        .append(" | ")
                        .append(
                                st == x.atHalf
                                        ? "half of max"
                                        : st.ok ? "ok" : st.why + (st.lossless ? " (lossless)" : ""))
                        .append(" |\n");
            }
        }
        return s.append("\n</details>\n\n").toString();
    }
}
