package io.herald.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario (4): {@code POST /keys/{keyName}/requestToken} on Herald against bare Netty's fixed JSON of the same size.
 * Both servers are warmed up first, then measured in {@code plan.tokenRounds} rounds, the servers alternating (the
 * order reversed every other round), and each server's median round is its figure. One measurement of each, minutes
 * apart, compared the machine at two moments as much as the servers: on these two shared cores one server's rate
 * moved by 20% between two runs of the same jar. Rounds next to each other see the same machine.
 */
final class TokenIssuance {
    /** At most this many methods compiled in a 2 s chunk of load counts as a quiet JIT (the warm-up is over). */
    static final int QUIET_COMPILATIONS = 3;

    private final Scenarios sc;
    private final Suite.Plan plan;
    private final Results results;
    private final List<WorkerProc> workers;
    private final String path;
    private final Path runDir;

    TokenIssuance(Scenarios sc, Suite.Plan plan, Results results, List<WorkerProc> workers, String key, Path runDir) {
        this.sc = sc;
        this.plan = plan;
        this.results = results;
        this.workers = workers;
        this.path = "/keys/" + key.substring(0, key.indexOf(':')) + "/requestToken";
        this.runDir = runDir;
    }

    void run() {
        results.notes.put("token/" + Kind.SIO.id, "n/a: Socket.IO has no token endpoint (auth is left to the app)");
        List<Kind> kinds = new ArrayList<>(sc.kinds(Kind.HERALD, Kind.BARE));
        Map<Kind, String> loadBefore = new EnumMap<>(Kind.class);
        Map<Kind, Double> warmup = new EnumMap<>(Kind.class);
        for (Kind kind : List.copyOf(kinds)) {
            loadBefore.put(kind, Scenarios.load());
            try {
                sc.targetAll(kind);
                warmup.put(kind, warmup(sc.server(kind)));
            } catch (Exception e) {
                failed(kind, e, kinds);
            }
        }
        Map<Kind, List<Results.Http>> rounds = new EnumMap<>(Kind.class);
        for (int i = 0; i < plan.tokenRounds; i++) {
            List<Kind> order = new ArrayList<>(kinds);
            if (i % 2 == 1) {
                Collections.reverse(order);
            }
            for (Kind kind : order) {
                try {
                    sc.targetAll(kind);
                    rounds.computeIfAbsent(kind, k -> new ArrayList<>()).add(measure(kind, i + 1));
                } catch (Exception e) {
                    failed(kind, e, kinds);
                }
            }
        }
        for (Kind kind : kinds) {
            List<Results.Http> mine = rounds.getOrDefault(kind, List.of());
            if (mine.isEmpty()) {
                continue;
            }
            Results.Http median = median(mine);
            median.warmupSeconds = warmup.getOrDefault(kind, 0.0);
            long compiled = 0;
            for (Results.Http r : mine) {
                median.roundsRps.add(r.rps());
                compiled = compiled < 0 || r.compiledWhileMeasured < 0 ? -1 : compiled + r.compiledWhileMeasured;
            }
            median.compiledWhileMeasured = compiled;
            results.token.put(kind.id, median);
            Suite.log(String.format(
                    Locale.ROOT,
                    "%s requestToken: median round %.0f requests/s (rounds %s), p50 %.2f p99 %.2f ms, %d errors, "
                            + "server %.2f cores, client %.2f cores (after %.0f s of warm-up; %d methods compiled "
                            + "while measured)",
                    kind.label,
                    median.rps(),
                    median.roundsRps.stream()
                            .map(x -> String.format(Locale.ROOT, "%.0f", x))
                            .toList(),
                    median.p50ms,
                    median.p99ms,
                    median.errors,
                    median.serverCores,
                    median.clientCores,
                    median.warmupSeconds,
                    median.compiledWhileMeasured));
        }
        if (kinds.contains(Kind.HERALD)) {
            try {
                sc.targetAll(Kind.HERALD);
                profile(sc.server(Kind.HERALD));
            } catch (Exception e) {
                Suite.log("requestToken profile failed: " + e);
            }
        }
        sc.closeAll();
        for (Map.Entry<Kind, String> e : loadBefore.entrySet()) {
            results.load.put("token/" + e.getKey().id, e.getValue() + " → " + Scenarios.load());
        }
    }

    /** The round with the median rate (the lower of the middle two for an even count). */
    static Results.Http median(List<Results.Http> rounds) {
        List<Results.Http> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Results.Http::rps));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private void failed(Kind kind, Exception e, List<Kind> kinds) {
        sc.fail("token/" + kind.id, e);
        kinds.remove(kind);
    }

    /**
     * The fixed warm-up, then (full mode) more of the same load in 2 s chunks until the server's JIT is quiet, for at
     * most {@code plan.httpWarmupMax}: on two shared cores a fresh path can still be compiling after the fixed 10 s
     * (Herald: 28-66 s in all before a quiet chunk, bare Netty: 22 s, here on 2026-12-07), and the measurement is of
     * the compiled server, not of its compiler. The same rule for both JVM servers. Returns the seconds of warm-up.
     */
    private double warmup(ServerProc server) throws IOException {
        WorkerProc w = workers.get(0);
        double seconds = 0;
        if (plan.httpWarmup > 0) {
            w.call("http seconds=" + plan.httpWarmup + " conns=" + plan.httpConns + " path=" + path);
            seconds += plan.httpWarmup;
        }
        long before = Proc.jitCompiled(server.pid());
        while (before >= 0 && seconds < plan.httpWarmup + plan.httpWarmupMax) {
            w.call("http seconds=2 conns=" + plan.httpConns + " path=" + path);
            seconds += 2;
            long now = Proc.jitCompiled(server.pid());
            if (now < 0 || now - before <= QUIET_COMPILATIONS) {
                break;
            }
            before = now;
        }
        return seconds;
    }

    private Results.Http measure(Kind kind, int round) throws IOException {
        ServerProc server = sc.server(kind);
        WorkerProc w = workers.get(0);
        long compiled0 = Proc.jitCompiled(server.pid());
        double s0 = server.cpuSeconds();
        double c0 = sc.clientCpu();
        long t0 = System.nanoTime();
        Map<String, String> a =
                w.call("http seconds=" + plan.httpSeconds + " conns=" + plan.httpConns + " path=" + path);
        double wall = (System.nanoTime() - t0) / 1e9;
        Results.Http r = new Results.Http();
        r.requests = Long.parseLong(a.get("requests"));
        r.errors = Long.parseLong(a.get("errors"));
        r.seconds = Long.parseLong(a.get("ms")) / 1000.0;
        r.p50ms = Long.parseLong(a.get("p50us")) / 1000.0;
        r.p99ms = Long.parseLong(a.get("p99us")) / 1000.0;
        r.p999ms = Long.parseLong(a.get("p999us")) / 1000.0;
        r.serverCores = (server.cpuSeconds() - s0) / wall;
        r.clientCores = (sc.clientCpu() - c0) / wall;
        r.conns = plan.httpConns;
        r.error = a.get("error");
        long compiled1 = Proc.jitCompiled(server.pid());
        r.compiledWhileMeasured = compiled0 < 0 || compiled1 < 0 ? -1 : compiled1 - compiled0;
        Suite.log(String.format(Locale.ROOT, "%s requestToken round %d: %.0f requests/s", kind.label, round, r.rps()));
        return r;
    }

    private void profile(ServerProc server) throws Exception {
        WorkerProc w = workers.get(0);
        Path jfr = runDir.resolve("herald-token.jfr");
        server.jfrStart("token", jfr);
        Map<String, String> p =
                w.call("http seconds=" + plan.profileSeconds + " conns=" + plan.httpConns + " path=" + path);
        server.jfrStop("token");
        JfrSummary summary = JfrSummary.read(jfr);
        summary.context = String.format(
                Locale.ROOT,
                "requestToken, %d keep-alive connections, %.0f requests/s with JFR on",
                plan.httpConns,
                Long.parseLong(p.get("requests")) / (Long.parseLong(p.get("ms")) / 1000.0));
        results.profiles.put("token", summary);
    }
}
