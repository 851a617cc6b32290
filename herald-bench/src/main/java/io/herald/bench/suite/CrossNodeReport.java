package io.herald.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The report's cross-node section: two Herald nodes on one Redis, and on a 3-master Redis Cluster. */
final class CrossNodeReport {
    private CrossNodeReport() {}

    /** The cross-node section: its own table (one server, two variants) and the cross-node aim, met or missed. */
    static String cluster(Results r) {
        StringBuilder t = new StringBuilder(Report.PROSE.render("cluster-intro"));
        Results.Rate c = r.cluster.get("channels");
        Results.Rate f = r.cluster.get("fanout");
        List<Col> cols = new ArrayList<>(List.of(new Col("cluster", c), new Col("cluster-fanout", f)));
        StringBuilder head = new StringBuilder("| Metric | **many channels across nodes**<br>")
                .append(r.sizes.get("cluster"))
                .append(" | **fan-out across nodes**<br>")
                .append(r.sizes.get("cluster-fanout"));
        Results.Rate c3 = r.cluster.get("channels3");
        if (c3 != null || r.notes.containsKey("cluster3/herald")) {
            // the opt-in cluster3 scenario: the many-channels traffic on a Redis Cluster, next to the single Redis
            cols.add(new Col("cluster3", c3));
            head.append(" | **many channels across nodes, Redis Cluster**<br>").append(r.sizes.get("cluster3"));
        }
        String p99 = Report.fmt(r.clusterP99Ms);
        t.append(head).append(" |\n|---").append("|--:".repeat(cols.size())).append("|\n");
        clusterRow(
                t,
                r,
                "max publish rate (msg/s through Redis) with p99 ≤ " + p99 + " ms and nothing lost",
                cols,
                x -> x.atMax == null ? null : Report.count(x.maxRate));
        clusterRow(
                t,
                r,
                "deliveries/s at that rate",
                cols,
                x -> x.atMax == null ? null : Report.count(x.atMax.deliveriesPerSecond()));
        clusterRow(t, r, "latency at max: p50 / p99 / p99.9 (ms)", cols, x -> Report.lat(x.atMax));
        clusterRow(
                t,
                r,
                "CPU at max, in cores: " + processes(c, f, c3) + " (kernel share of theirs) / clients",
                cols,
                x -> x.atMax == null ? null : Report.cores(x.atMax) + " / " + Report.fmt(x.atMax.clientCores));
        clusterRow(
                t,
                r,
                "capacity: max publish rate with nothing lost, any latency (≥: no step failed)",
                cols,
                x -> x.capacity == null
                        ? null
                        : (x.capacityIsLowerBound ? "≥ " : "") + Report.count(x.capacityRate) + " msg/s = "
                                + Report.count(x.capacity.deliveriesPerSecond()) + " deliveries/s");
        clusterRow(t, r, "latency at capacity: p50 / p99 / p99.9 (ms)", cols, x -> Report.lat(x.capacity));
        clusterRow(
                t,
                r,
                "CPU at capacity, in cores: " + processes(c, f, c3) + " (kernel share of theirs) / clients",
                cols,
                x -> x.capacity == null ? null : Report.cores(x.capacity) + " / " + Report.fmt(x.capacity.clientCores));
        clusterRow(
                t,
                r,
                "CPU per message at max (µs, cores ÷ publish rate): " + costNames(c, f, c3),
                cols,
                x -> CrossNodeCost.cell(x.atMax));
        clusterRow(
                t,
                r,
                "CPU per message at capacity (µs, cores ÷ publish rate): " + costNames(c, f, c3),
                cols,
                x -> CrossNodeCost.cell(x.capacity));
        clusterRow(
                t,
                r,
                "latency at half the max rate (half the capacity if no max): p50 / p99 / p99.9 (ms)",
                cols,
                x -> x.atHalf == null ? null : Report.lat(x.atHalf) + " at " + Report.count(x.atHalf.rate) + " msg/s");
        clusterRow(
                t,
                r,
                "connections: subscribers (node B) / publishers (node A)",
                cols,
                x -> Report.count(x.subscribers) + " / " + Report.count(x.publishers));
        t.append("| load average (1 min) before → after");
        for (Col col : cols) {
            t.append(" | ").append(r.load.getOrDefault(col.id + "/herald", "–"));
        }
        t.append(" |\n\n");
        t.append("| Cross-node aim | Measured | Verdict |\n|---|---|---|\n");
        t.append("| ≥ ")
                .append(Report.count(r.clusterAimRate))
                .append(" msg/s through one Redis with p99 < ")
                .append(p99)
                .append(" ms and nothing lost (many channels across nodes) | ")
                .append(clusterAim(r))
                .append(" |\n");
        return t.toString();
    }

    /** "measured | verdict" for the cross-node aim, with the capacity when no rate met the latency bound. */
    static String clusterAim(Results r) {
        Results.Rate c = r.cluster.get("channels");
        if (c == null || c.capacity == null) {
            return "not measured | –";
        }
        String measured = c.atMax == null
                ? "no rate met p99 < " + Report.fmt(r.clusterP99Ms) + " ms; capacity "
                        + (c.capacityIsLowerBound ? "≥ " : "") + Report.count(c.capacityRate) + " msg/s at p99 "
                        + Report.fmt(c.capacity.p99ms) + " ms"
                : Report.count(c.maxRate) + " msg/s at p99 " + Report.fmt(c.atMax.p99ms) + " ms";
        if (c.maxRate >= r.clusterAimRate) {
            return measured + " | met";
        }
        return measured
                + String.format(
                        Locale.ROOT,
                        " | **missed**: %.0f%% of the aim%s",
                        100 * c.maxRate / r.clusterAimRate,
                        c.atMax == null
                                ? String.format(
                                        Locale.ROOT, " (capacity: %.0f%%)", 100 * c.capacityRate / r.clusterAimRate)
                                : "");
    }

    /** A column of the cross-node table: the scenario's id (for its notes) and its result, if it has one. */
    private record Col(String id, Results.@Nullable Rate rate) {}

    private static void clusterRow(
            StringBuilder t, Results r, String metric, List<Col> cols, Function<Results.Rate, @Nullable String> cell) {
        t.append("| ").append(metric);
        for (Col col : cols) {
            String v = col.rate == null ? null : cell.apply(col.rate);
            if (v == null) {
                String note = r.notes.get(col.id + "/herald");
                v = note == null ? Report.NA : note;
            }
            t.append(" | ").append(v);
        }
        t.append(" |\n");
    }

    /** The names in a CPU-per-message cell ("node-a / node-b / redis / clients"). */
    private static String costNames(Results.@Nullable Rate... rates) {
        for (Results.Rate x : rates) {
            for (Results.Step st : x == null ? List.<Results.Step>of() : x.steps) {
                if (st.processCores != null) {
                    return CrossNodeCost.names(st);
                }
            }
        }
        return "server / clients";
    }

    /** The names of the processes a cluster step measured ("node-a / node-b / redis"). */
    private static String processes(Results.@Nullable Rate... rates) {
        for (Results.Rate x : rates) {
            for (Results.Step st : x == null ? List.<Results.Step>of() : x.steps) {
                if (st.processCores != null) {
                    return String.join(
                            " / ",
                            new java.util.LinkedHashSet<>(st.processCores.keySet().stream()
                                    .map(n -> n.startsWith("redis") ? "redis" : n)
                                    .toList()));
                }
            }
        }
        return "server";
    }
}
