package io.herald.bench.suite;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The report's targets table: each performance aim with what this run measured and whether it was met. The aims are
 * ratios to the peers measured in the same run (so a busy machine moves both sides), except the absolute ones (heap
 * per idle connection, the cross-node rates). The suite reports them; it does not fail on them.
 */
final class Targets {
    private Targets() {}

    static String table(Results r, String intro) {
        StringBuilder t = new StringBuilder(intro);
        t.append("| Target | Measured | Verdict |\n|---|---|---|\n");
        fanout(t, r);
        many(t, r);
        Results.Idle hi = r.idle.get("herald");
        row(
                t,
                "Idle connection < 5 KiB of heap",
                hi == null ? Double.NaN : hi.heapPerConn() / 1024,
                5,
                Goal.BELOW,
                " KiB");
        Results.Http ht = r.token.get("herald");
        Results.Http bt = r.token.get("bare");
        row(
                t,
                "requestToken ≥ 0.8× a bare Netty HTTP endpoint's requests/s",
                ht == null || bt == null ? Double.NaN : ht.rps() / bt.rps(),
                0.8,
                Goal.AT_LEAST,
                "x");
        row(
                t,
                "Server start to ready ≤ bare Netty's (median wall time, Herald / bare)",
                medianOf(r.startMs.get("herald")) / medianOf(r.startMs.get("bare")),
                1,
                Goal.AT_MOST,
                "x");
        cluster(t, r);
        return t.toString();
    }

    private static void fanout(StringBuilder t, Results r) {
        Results.Rate h = r.fanout.get("herald");
        Results.Rate s = r.fanout.get("socketio");
        Results.Rate b = r.fanout.get("bare");
        boolean latencyBound =
                h != null && s != null && b != null && h.atMax != null && s.atMax != null && b.atMax != null;
        String basis = latencyBound ? "" : " (capacities: not every server met the latency target on this run)";
        double hd = deliveries(h, latencyBound);
        row(t, "Fan-out deliveries/s ≥ 5× Socket.IO" + basis, hd / deliveries(s, latencyBound), 5, Goal.AT_LEAST, "x");
        row(
                t,
                "Fan-out deliveries/s ≥ 0.7× bare Netty" + basis,
                hd / deliveries(b, latencyBound),
                0.7,
                Goal.AT_LEAST,
                "x");
        row(
                t,
                "Fan-out p99 < 5 ms at half the maximum rate",
                h == null || h.atHalf == null ? Double.NaN : h.atHalf.p99ms,
                5,
                Goal.BELOW,
                " ms");
    }

    private static void many(StringBuilder t, Results r) {
        Results.Rate h = r.many.get("herald");
        Results.Rate s = r.many.get("socketio");
        Results.Rate b = r.many.get("bare");
        double hc = deliveries(h, false);
        row(t, "Many channels capacity ≥ 1.5× Socket.IO", hc / deliveries(s, false), 1.5, Goal.AT_LEAST, "x");
        row(t, "Many channels capacity ≥ 0.5× bare Netty", hc / deliveries(b, false), 0.5, Goal.AT_LEAST, "x");
        double he = perCpu(h);
        row(
                t,
                "Many channels deliveries per server CPU-second at capacity ≥ 1.5× Socket.IO",
                he / perCpu(s),
                1.5,
                Goal.AT_LEAST,
                "x");
        row(
                t,
                "Many channels deliveries per server CPU-second at capacity ≥ 0.5× bare Netty",
                he / perCpu(b),
                0.5,
                Goal.AT_LEAST,
                "x");
        row(
                t,
                "Many channels max deliveries/s with p99 ≤ " + Report.fmt(r.targetP99Ms) + " ms ≥ 0.6× bare Netty",
                latencyBound(h) / latencyBound(b),
                0.6,
                Goal.AT_LEAST,
                "x");
    }

    private static void cluster(StringBuilder t, Results r) {
        Results.Rate c = r.cluster.get("channels");
        row(
                t,
                "Cross-node (one Redis, many channels): capacity ≥ " + Report.count(r.clusterAimRate) + " msg/s",
                c == null || c.capacity == null ? Double.NaN : c.capacityRate,
                r.clusterAimRate,
                Goal.AT_LEAST,
                " msg/s");
        double half = r.clusterAimRate / 2;
        String name = "Cross-node: p99 < " + Report.fmt(r.clusterP99Ms) + " ms at ≥ " + Report.count(half) + " msg/s";
        if (c != null && c.capacity != null && c.atMax == null) {
            t.append("| ").append(name).append(" | no rate met p99 < ").append(Report.fmt(r.clusterP99Ms));
            t.append(" ms | **missed** |\n");
            return;
        }
        row(t, name, c == null || c.capacity == null ? Double.NaN : c.maxRate, half, Goal.AT_LEAST, " msg/s");
    }

    enum Goal {
        AT_LEAST,
        AT_MOST,
        BELOW
    }

    static void row(StringBuilder t, String name, double measured, double goal, Goal kind, String unit) {
        t.append("| ").append(name).append(" | ");
        if (Double.isNaN(measured) || Double.isInfinite(measured)) {
            t.append("not measured | – |\n");
            return;
        }
        t.append(measured >= 1000 ? Report.count(measured) : Report.fmt(measured))
                .append(unit)
                .append(" | ");
        boolean met = switch (kind) {
            case AT_LEAST -> measured >= goal;
            case AT_MOST -> measured <= goal;
            case BELOW -> measured < goal;
        };
        if (met) {
            t.append("met |\n");
        } else {
            double by = kind == Goal.AT_LEAST ? (goal - measured) / goal : (measured - goal) / goal;
            t.append(String.format(Locale.ROOT, "**missed** by %.0f%%", 100 * by))
                    .append(" |\n");
        }
    }

    private static double deliveries(Results.@Nullable Rate x, boolean latencyBound) {
        Results.Step st = x == null ? null : latencyBound ? x.atMax : x.capacity;
        return st == null ? Double.NaN : st.deliveriesPerSecond();
    }

    /** The max deliveries/s that met the latency bound; 0 when no rate did (NaN when not measured). */
    private static double latencyBound(Results.@Nullable Rate x) {
        if (x == null || x.capacity == null) {
            return Double.NaN;
        }
        return x.atMax == null ? 0 : x.atMax.deliveriesPerSecond();
    }

    private static double perCpu(Results.@Nullable Rate x) {
        Results.Step st = x == null ? null : x.capacity;
        return st == null || st.serverCores <= 0 ? Double.NaN : st.deliveriesPerSecond() / st.serverCores;
    }

    private static double medianOf(@Nullable List<Double> v) {
        return v == null || v.isEmpty() ? Double.NaN : Report.median(v);
    }
}
