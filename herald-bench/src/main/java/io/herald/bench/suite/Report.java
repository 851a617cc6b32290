package io.herald.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** docs/benchmarks.md from a run's {@link Results}. The hand-written analysis between the markers is kept. */
final class Report {
    static final String KEEP_START = "<!-- analysis:start (kept when ./herald bench rewrites this file) -->";
    static final String KEEP_END = "<!-- analysis:end -->";
    static final String NA = "n/a";
    /** The prose around the tables (src/main/resources/io/herald/bench/suite/report.md). */
    static final Template PROSE = Template.load("report.md");

    private Report() {}

    static String markdown(Results r, Path existing) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(PROSE.render(
                "intro",
                Map.of(
                        "command",
                        r.command,
                        "date",
                        r.date,
                        "mode",
                        r.mode,
                        "seconds",
                        String.format(Locale.ROOT, "%.0f", r.totalSeconds))));
        if ("quick".equals(r.mode)) {
            md.append(PROSE.render("quick", Map.of("step", String.valueOf(r.sizes.get("step")))));
        }
        md.append("![Publish-to-deliver latency by percentile](benchmarks-latency.png)\n\n");
        md.append(table(r)).append('\n');
        if (!r.cluster.isEmpty() || r.notes.containsKey("cluster/herald") || r.notes.containsKey("cluster3/herald")) {
            md.append(CrossNodeReport.cluster(r)).append('\n');
        }
        md.append(persisted(r, existing));
        md.append(targets(r)).append('\n');
        md.append(kept(existing)).append('\n');
        md.append(profiles(r));
        md.append(jmh(r));
        md.append(steps(r));
        md.append(method(r));
        return md.toString();
    }

    // ---- the table ----

    static String table(Results r) {
        StringBuilder t = new StringBuilder();
        t.append(
                "| Scenario | Metric | Herald | Socket.IO 4 (peer) | bare Netty (limit) | Herald / peer | Herald / limit |\n");
        t.append("|---|---|--:|--:|--:|--:|--:|\n");
        rateRows(t, r, "fanout", "**(1) fan-out**<br>" + r.sizes.get("fanout"), r.fanout);
        rateRows(t, r, "many", "**(2) many channels**<br>" + r.sizes.get("many"), r.many);
        idleRows(t, r);
        tokenRows(t, r);
        stormRows(t, r);
        startRows(t, r);
        return t.toString();
    }

    private static void rateRows(StringBuilder t, Results r, String sc, String title, Map<String, Results.Rate> m) {
        String p99 = fmt(r.targetP99Ms);
        row(
                t,
                title,
                "max deliveries/s with p99 ≤ " + p99 + " ms and nothing lost",
                r,
                sc,
                m,
                x -> x.atMax == null ? null : count(x.atMax.deliveriesPerSecond()),
                x -> x.atMax == null ? Double.NaN : x.atMax.deliveriesPerSecond());
        row(
                t,
                "",
                "publish rate at that point (msg/s)",
                r,
                sc,
                m,
                x -> x.atMax == null ? null : count(x.maxRate),
                null);
        row(t, "", "latency at max: p50 / p99 / p99.9 (ms)", r, sc, m, x -> lat(x.atMax), null);
        row(
                t,
                "",
                "capacity: max deliveries/s with nothing lost, any latency (≥: no step failed, the search ran out "
                        + "of steps)",
                r,
                sc,
                m,
                x -> x.capacity == null
                        ? null
                        : (x.capacityIsLowerBound ? "≥ " : "") + count(x.capacity.deliveriesPerSecond()) + " (p99 "
                                + fmt(x.capacity.p99ms) + " ms)",
                x -> x.capacity == null ? Double.NaN : x.capacity.deliveriesPerSecond());
        row(
                t,
                "",
                "latency at half the max rate (half the capacity if no max): p50 / p99 / p99.9 (ms)",
                r,
                sc,
                m,
                x -> x.atHalf == null ? null : lat(x.atHalf) + " at " + count(x.atHalf.rate) + " msg/s",
                null);
        row(
                t,
                "",
                "CPU at capacity: server (kernel share) / clients, in cores",
                r,
                sc,
                m,
                x -> x.capacity == null
                        ? null
                        : fmt(x.capacity.serverCores)
                                + String.format(Locale.ROOT, " (%.0f%%)", 100 * x.capacity.serverSysShare) + " / "
                                + fmt(x.capacity.clientCores),
                null);
        row(
                t,
                "",
                "deliveries per server CPU-second at capacity (load-independent efficiency)",
                r,
                sc,
                m,
                x -> x.capacity == null || x.capacity.serverCores <= 0 ? null : count(efficiency(x.capacity)),
                x -> x.capacity == null || x.capacity.serverCores <= 0 ? Double.NaN : efficiency(x.capacity));
        loadRow(t, r, sc);
    }

    private static void idleRows(StringBuilder t, Results r) {
        Map<String, Results.Idle> m = r.idle;
        row(
                t,
                "**(3) idle**<br>" + r.sizes.get("idle"),
                "heap per connection after full GC (lower is better)",
                r,
                "idle",
                m,
                x -> kib(x.heapPerConn()),
                Results.Idle::heapPerConn);
        row(
                t,
                "",
                r.serverCommands.values().stream().anyMatch(c -> c.contains("-XX:+AlwaysPreTouch"))
                        ? "RSS per connection (lower is better; the JVM servers' heap is touched at start, so theirs"
                                + " is memory outside the heap)"
                        : "RSS per connection (lower is better)",
                r,
                "idle",
                m,
                x -> kib(x.rssPerConn()),
                Results.Idle::rssPerConn);
        row(
                t,
                "",
                "connections opened (time to open all)",
                r,
                "idle",
                m,
                x -> count(x.connections) + " (" + fmt(x.openSeconds) + " s)",
                null);
        loadRow(t, r, "idle");
    }

    private static void tokenRows(StringBuilder t, Results r) {
        Map<String, Results.Http> m = r.token;
        Results.Http any = m.values().stream().findFirst().orElse(null);
        String conns = any == null ? "" : " (" + any.conns + " keep-alive connections, closed loop)";
        row(
                t,
                "**(4) token issuance**<br>POST /keys/{keyName}/requestToken; bare: fixed JSON of the same size",
                "requests/s" + conns,
                r,
                "token",
                m,
                x -> count(x.rps())
                        + (x.roundsRps.size() < 2
                                ? ""
                                : " (median of " + x.roundsRps.size() + " rounds, servers alternating: "
                                        + x.roundsRps.stream()
                                                .map(Report::count)
                                                .collect(Collectors.joining(" / "))
                                        + ")"),
                Results.Http::rps);
        row(
                t,
                "",
                "latency p50 / p99 / p99.9 (ms) in that round",
                r,
                "token",
                m,
                x -> fmt(x.p50ms) + " / " + fmt(x.p99ms) + " / " + fmt(x.p999ms),
                null);
        row(t, "", "errors", r, "token", m, x -> String.valueOf(x.errors), null);
        row(
                t,
                "",
                "CPU: server / client (cores)",
                r,
                "token",
                m,
                x -> fmt(x.serverCores) + " / " + fmt(x.clientCores),
                null);
        row(
                t,
                "",
                "warm-up before the measurement (s) / methods the JIT compiled while measured",
                r,
                "token",
                m,
                x -> fmt(x.warmupSeconds) + " / " + (x.compiledWhileMeasured < 0 ? "?" : x.compiledWhileMeasured),
                null);
        loadRow(t, r, "token");
    }

    private static void stormRows(StringBuilder t, Results r) {
        Map<String, Results.Storm> m = r.reauth;
        row(
                t,
                "**(5) reauth storm**<br>" + r.sizes.get("reauth")
                        + "; Herald: requestToken + AUTH in band; Socket.IO: "
                        + "reconnect (it has no in-band re-auth)",
                "all renewed in (s, lower is better)",
                r,
                "reauth",
                m,
                x -> fmt(x.seconds),
                x -> x.seconds);
        row(
                t,
                "",
                "per connection, from the storm's start: p50 / p99 (ms)",
                r,
                "reauth",
                m,
                x -> fmt(x.p50ms) + " / " + fmt(x.p99ms),
                null);
        row(t, "", "renewed / failed", r, "reauth", m, x -> x.ok + " / " + x.failed, null);
        row(
                t,
                "",
                "CPU: server / client (cores)",
                r,
                "reauth",
                m,
                x -> fmt(x.serverCores) + " / " + fmt(x.clientCores),
                null);
        loadRow(t, r, "reauth");
    }

    private static void startRows(StringBuilder t, Results r) {
        int n = r.startMs.values().stream().mapToInt(List::size).max().orElse(0);
        startRow(
                t,
                "**start to ready**<br>process start → first 200 from GET /health/ready",
                "wall time, median of " + n + " (ms, lower is better)",
                r.startMs);
        startRow(t, "", "CPU used by then, all threads (ms; less sensitive to a busy machine)", r.startCpuMs);
    }

    private static void startRow(StringBuilder t, String scenario, String metric, Map<String, List<Double>> m) {
        t.append("| ").append(scenario).append(" | ").append(metric);
        double[] v = new double[3];
        int i = 0;
        for (Kind k : Kind.values()) {
            List<Double> s = m.get(k.id);
            v[i] = s == null || s.isEmpty() ? Double.NaN : median(s);
            t.append(" | ").append(Double.isNaN(v[i]) ? NA : count(v[i]));
            i++;
        }
        t.append(" | ")
                .append(ratio(v[0], v[1]))
                .append(" | ")
                .append(ratio(v[0], v[2]))
                .append(" |\n");
    }

    private static <T> void row(
            StringBuilder t,
            String scenario,
            String metric,
            Results r,
            String sc,
            Map<String, T> m,
            Function<T, @Nullable String> cell,
            @Nullable ToDoubleFunction<T> ratioOf) {
        t.append("| ").append(scenario).append(" | ").append(metric);
        double[] v = new double[3];
        int i = 0;
        for (Kind k : Kind.values()) {
            T x = m.get(k.id);
            String c = x == null ? null : cell.apply(x);
            if (c == null) {
                String note = r.notes.get(sc + "/" + k.id);
                c = note == null ? NA : (scenario.isEmpty() ? NA : note);
            }
            t.append(" | ").append(c);
            v[i++] = x == null || ratioOf == null ? Double.NaN : ratioOf.applyAsDouble(x);
        }
        if (ratioOf == null) {
            t.append(" | | |\n");
        } else {
            t.append(" | ")
                    .append(ratio(v[0], v[1]))
                    .append(" | ")
                    .append(ratio(v[0], v[2]))
                    .append(" |\n");
        }
    }

    private static void loadRow(StringBuilder t, Results r, String sc) {
        t.append("| | load average (1 min) before → after");
        for (Kind k : Kind.values()) {
            String l = r.load.get(sc + "/" + k.id);
            t.append(" | ").append(l == null ? "–" : l);
        }
        t.append(" | | |\n");
    }

    /** A step's server CPU: "0.91 (38%)", or per process "0.60 / 0.50 / 0.20 (41%)". */
    static String cores(Results.Step s) {
        String kernel = String.format(Locale.ROOT, " (%.0f%%)", 100 * s.serverSysShare);
        if (s.processCores == null) {
            return fmt(s.serverCores) + kernel;
        }
        // the masters of a Redis Cluster (redis-1, redis-2, ...) share the one "redis" place: 0.12+0.11+0.12
        Map<String, String> parts = new LinkedHashMap<>();
        s.processCores.forEach(
                (name, v) -> parts.merge(name.startsWith("redis") ? "redis" : name, fmt(v), (x, y) -> x + "+" + y));
        return String.join(" / ", parts.values()) + kernel;
    }

    /** The persisted-publish section: this run's, or when it did not measure it, the existing file's. */
    private static String persisted(Results r, Path existing) throws IOException {
        if (!r.persisted.isEmpty() || r.notes.keySet().stream().anyMatch(k -> k.startsWith("persisted/"))) {
            return PersistedReport.section(r) + "\n";
        }
        String kept = existing != null && Files.exists(existing)
                ? PersistedReport.existing(Files.readString(existing))
                : null;
        return kept == null ? "" : kept + "\n";
    }

    // ---- targets ----

    private static String targets(Results r) {
        return Targets.table(r, PROSE.render("targets-intro"));
    }

    // ---- profiles ----

    private static String profiles(Results r) {
        if (r.profiles.isEmpty()) {
            return "";
        }
        StringBuilder p = new StringBuilder(PROSE.render("profiles-intro"));
        for (Map.Entry<String, JfrSummary> e : r.profiles.entrySet()) {
            JfrSummary s = e.getValue();
            p.append("### ").append(e.getKey()).append(" (").append(s.file).append(")\n\n");
            if (s.context != null) {
                p.append("Recorded during ").append(s.context).append(".\n\n");
            }
            p.append(PROSE.render(
                    "profile-samples",
                    Map.of(
                            "samples",
                            s.samples,
                            "nativeSamples",
                            s.nativeSamples,
                            "seconds",
                            String.format(Locale.ROOT, "%.1f", s.seconds),
                            "gcCount",
                            s.gcCount,
                            "gcPauseMs",
                            String.format(Locale.ROOT, "%.1f", s.gcPauseMs),
                            "gcLongestMs",
                            String.format(Locale.ROOT, "%.1f", s.gcLongestMs))));
            p.append("| Layer (self samples) | share |\n|---|--:|\n");
            s.layers.forEach((k, v) -> p.append("| ")
                    .append(k)
                    .append(" | ")
                    .append(pct(v, s.samples))
                    .append(" |\n"));
            p.append("\n| Top frames (self) | share |\n|---|--:|\n");
            s.self.entrySet().stream()
                    .limit(12)
                    .forEach(x -> p.append("| `")
                            .append(x.getKey())
                            .append("` | ")
                            .append(pct(x.getValue(), s.samples))
                            .append(" |\n"));
            p.append("\n| Herald frames on the stack (inclusive) | share |\n|---|--:|\n");
            s.inclusive.entrySet().stream()
                    .filter(x -> (x.getKey().startsWith("core.")
                                    || x.getKey().startsWith("server.")
                                    || x.getKey().startsWith("protocol.")
                                    || x.getKey().startsWith("auth.")
                                    || x.getKey().startsWith("redis."))
                            && !x.getKey().contains("$$Lambda"))
                    .limit(15)
                    .forEach(x -> p.append("| `")
                            .append(x.getKey())
                            .append("` | ")
                            .append(pct(x.getValue(), s.samples))
                            .append(" |\n"));
            if (!s.allocation.isEmpty()) {
                long total = s.allocation.values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                p.append("\n| Top allocation sites (sampled weight) | MiB |\n|---|--:|\n");
                s.allocation.entrySet().stream()
                        .limit(8)
                        .forEach(x -> p.append("| `")
                                .append(x.getKey())
                                .append("` | ")
                                .append(fmt(x.getValue() / 1048576.0))
                                .append(" |\n"));
                p.append(String.format(
                        Locale.ROOT, "%n(top sites: %.0f MiB of sampled allocation)%n", total / 1048576.0));
            }
            p.append('\n');
        }
        return p.toString();
    }

    // ---- JMH ----

    private static String jmh(Results r) {
        if (r.jmh.isEmpty()) {
            return "";
        }
        StringBuilder j =
                new StringBuilder(PROSE.render("jmh-intro", Map.of("load", r.load.getOrDefault("jmh/all", "?"))));
        if ("quick".equals(r.mode)) {
            j.append(PROSE.render("jmh-quick"));
        }
        j.append("\n\n");
        j.append("| Benchmark | Params | Score | Error | Unit |\n|---|---|--:|--:|---|\n");
        for (Results.Jmh b : r.jmh) {
            j.append("| `")
                    .append(b.benchmark)
                    .append("` | ")
                    .append(b.params)
                    .append(" | ")
                    .append(count(b.score))
                    .append(" | ")
                    .append(Double.isNaN(b.error) ? "" : "± " + count(b.error))
                    .append(" | ")
                    .append(b.unit)
                    .append(" |\n");
        }
        return j.append('\n').toString();
    }

    // ---- rate search details ----

    private static String steps(Results r) {
        StringBuilder s = new StringBuilder(
                "## Rate search steps\n\n<details><summary>Every measured step (click)</summary>\n\n");
        s.append(
                "| Scenario | Server | msg/s | deliveries/s | p50 / p99 / p99.9 / max (ms) | server (kernel share) / client cores | verdict |\n");
        s.append("|---|---|--:|--:|---|---|---|\n");
        for (String sc : List.of("fanout", "many", "cluster", "cluster-fanout", "cluster3")) {
            Map<String, Results.Rate> m = switch (sc) {
                case "fanout" -> r.fanout;
                case "many" -> r.many;
                case "cluster3" ->
                    r.cluster.containsKey("channels3") ? Map.of(Kind.HERALD.id, r.cluster.get("channels3")) : Map.of();
                default ->
                    r.cluster.containsKey(sc.equals("cluster") ? "channels" : "fanout")
                            ? Map.of(Kind.HERALD.id, r.cluster.get(sc.equals("cluster") ? "channels" : "fanout"))
                            : Map.of();
            };
            for (Kind k : Kind.values()) {
                Results.Rate x = m.get(k.id);
                if (x == null) {
                    continue;
                }
                List<Results.Step> all = new ArrayList<>(x.steps);
                if (x.atHalf != null) {
                    all.add(x.atHalf);
                }
                for (Results.Step st : all) {
                    s.append("| ")
                            .append(sc)
                            .append(" | ")
                            .append(
                                    sc.equals("cluster3")
                                            ? "Herald ×2 + Redis Cluster ×3"
                                            : sc.startsWith("cluster") ? "Herald ×2 + Redis" : k.label)
                            .append(" | ")
                            .append(count(st.rate))
                            .append(" | ")
                            .append(count(st.deliveriesPerSecond()))
                            .append(" | ")
                            .append(fmt(st.p50ms))
                            .append(" / ")
                            .append(fmt(st.p99ms))
                            .append(" / ")
                            .append(fmt(st.p999ms))
                            .append(" / ")
                            .append(fmt(st.maxms))
                            .append(" | ")
                            .append(cores(st))
                            .append(" / ")
                            .append(fmt(st.clientCores))
                            .append(" | ")
                            .append(
                                    st == x.atHalf
                                            ? "half of max"
                                            : st.ok ? "ok" : st.why + (st.lossless ? " (lossless)" : ""))
                            .append(" |\n");
                }
            }
        }
        return s.append("\n</details>\n\n").toString();
    }

    // ---- how ----

    private static String method(Results r) {
        StringBuilder m = new StringBuilder("## How it was measured\n\n");
        m.append("Machine: ");
        List<String> parts = new ArrayList<>();
        r.machine.forEach((k, v) -> parts.add(k + " " + v));
        m.append(String.join("; ", parts)).append(".\n\n");
        m.append(PROSE.render("method-servers"));
        r.serverCommands.forEach(
                (k, v) -> m.append("- ").append(k).append(": `").append(v).append("`\n"));
        m.append(PROSE.render("method-workers", Map.of("command", r.workerCommand)));
        m.append(PROSE.render("method"));
        return m.toString();
    }

    private static String kept(Path existing) throws IOException {
        String body = null;
        if (existing != null && Files.exists(existing)) {
            String old = Files.readString(existing);
            int a = old.indexOf(KEEP_START);
            int b = old.indexOf(KEEP_END);
            if (a >= 0 && b > a) {
                body = old.substring(a + KEEP_START.length(), b);
            }
        }
        if (body == null) {
            body = PROSE.render("kept-default");
        }
        return KEEP_START + body + KEEP_END + "\n";
    }

    // ---- formatting ----

    static String count(double v) {
        if (Double.isNaN(v)) {
            return NA;
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return NA;
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static double efficiency(Results.Step s) {
        return s.deliveriesPerSecond() / s.serverCores;
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
    }

    static @Nullable String lat(Results.@Nullable Step s) {
        return s == null ? null : fmt(s.p50ms) + " / " + fmt(s.p99ms) + " / " + fmt(s.p999ms);
    }

    /** Herald's figure over the other's, whichever direction is better (the metric's name says). */
    private static String ratio(double herald, double other) {
        if (Double.isNaN(herald) || Double.isNaN(other) || other == 0) {
            return NA;
        }
        return fmt(herald / other) + "x";
    }

    private static String pct(long v, long total) {
        return total == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * v / total);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
