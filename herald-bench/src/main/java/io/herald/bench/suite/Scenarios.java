package io.herald.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The five load scenarios, each run against Herald, the Socket.IO peer and the bare reference in turn (so all three
 * see the same machine conditions, minutes apart at most), with /proc/loadavg read before and after each; and the
 * cross-node scenario, against two Herald nodes on one Redis.
 */
final class Scenarios {
    /** Herald enforces maxInboundRate (250/s, burst 250) per connection: publishers stay under it. */
    private static final int HERALD_RATE_PER_PUBLISHER = 240;

    private final Suite.Plan plan;
    private final Results results;
    private final Map<Kind, ServerProc> servers;
    private final List<WorkerProc> workers;
    private final String key;
    private final double target;
    private final Path runDir;
    private int stepCounter;

    /**
     * What a rate search drives: a label for the log, the id its notes and load averages are filed under, the
     * processes whose CPU a step reads (name to pid; one for a single server), the Herald processes to profile at
     * the capacity (none for the other servers), the p99 a step must stay within, and whether the latency is
     * publish-to-ACK (the publishers' ACKs are what a step waits for and counts) instead of publish-to-deliver.
     */
    record Sut(
            String label, String id, Map<String, Long> pids, List<ServerProc> profiled, double p99Ms, boolean acks) {}

    Scenarios(
            Suite.Plan plan,
            Results results,
            Map<Kind, ServerProc> servers,
            List<WorkerProc> workers,
            String key,
            double targetP99Ms,
            Path runDir) {
        this.plan = plan;
        this.results = results;
        this.servers = servers;
        this.workers = workers;
        this.key = key;
        this.target = targetP99Ms;
        this.runDir = runDir;
    }

    // ---- (1) fan-out ----

    void fanout() {
        for (Kind kind : kinds(Kind.HERALD, Kind.SIO, Kind.BARE)) {
            measured("fanout/" + kind.id, tag -> {
                targetAll(kind);
                int w = workers.size();
                long t0 = System.nanoTime();
                List<CompletableFuture<Map<String, String>>> opening = new ArrayList<>();
                for (int i = 0; i < w; i++) {
                    int n = plan.fanSubs / w + (i == 0 ? plan.fanSubs % w : 0);
                    opening.add(
                            workers.get(i).callAsync("open role=sub n=" + n + " channel=fan offset=" + i * 100_000));
                }
                int opened = sum(opening, "opened");
                Map<String, String> pubs =
                        workers.get(0).call("open role=pub n=" + plan.fanPubs + " channel=fan offset=900000");
                Suite.log(String.format(
                        Locale.ROOT,
                        "%s fan-out: connections open in %.1f s (tokens %s ms)",
                        kind.label,
                        (System.nanoTime() - t0) / 1e9,
                        opening.get(0).get().get("tokenMs")));
                Results.Rate r = new Results.Rate();
                r.subscribers = opened;
                r.publishers = Integer.parseInt(pubs.get("opened"));
                r.connections = r.subscribers + r.publishers;
                r.channels = 1;
                r.setup = "subscribers over " + w + " client processes, publishers in the first";
                Suite.log(kind.label + " fan-out: " + r.subscribers + " subscribers, " + r.publishers + " publishers");
                if (r.subscribers < plan.fanSubs) {
                    results.notes.put(tag, "only " + r.subscribers + " of " + plan.fanSubs + " subscribers connected");
                }
                double cap = kind == Kind.HERALD ? r.publishers * HERALD_RATE_PER_PUBLISHER : 1e9;
                search(sut(kind), r, r.subscribers, 50, cap, false, "fanout");
                results.fanout.put(kind.id, r);
            });
        }
    }

    // ---- (2) many channels ----

    void many() {
        for (Kind kind : kinds(Kind.HERALD, Kind.SIO, Kind.BARE)) {
            measured("many/" + kind.id, tag -> {
                targetAll(kind);
                int w = workers.size();
                long t0 = System.nanoTime();
                List<CompletableFuture<Map<String, String>>> opening = new ArrayList<>();
                for (int i = 0; i < w; i++) {
                    int n = plan.many / w;
                    // each process holds a ring of its own: connection i subscribes to channel i, publishes to i+1
                    opening.add(workers.get(i)
                            .callAsync("open role=ring n=" + n + " channel=many" + i + " offset=0 total=" + n));
                }
                int opened = sum(opening, "opened");
                Suite.log(String.format(
                        Locale.ROOT,
                        "%s many channels: connections open in %.1f s (tokens %s ms)",
                        kind.label,
                        (System.nanoTime() - t0) / 1e9,
                        opening.get(0).get().get("tokenMs")));
                Results.Rate r = new Results.Rate();
                r.connections = opened;
                r.subscribers = opened;
                r.publishers = opened;
                r.channels = opened;
                r.setup = "connection i subscribes to channel i and publishes to channel i+1, " + (plan.many / w)
                        + " per client process";
                Suite.log(kind.label + " many channels: " + opened + " connections");
                if (opened < plan.many - w) {
                    results.notes.put(tag, "only " + opened + " of " + plan.many + " connections opened");
                }
                double cap = kind == Kind.HERALD ? opened * (double) HERALD_RATE_PER_PUBLISHER : 1e9;
                search(sut(kind), r, 1, plan.quick ? 2000 : 1000, cap, true, "many");
                results.many.put(kind.id, r);
            });
        }
    }

    /**
     * Finds the highest publish rate whose p99 publish-to-deliver latency stays under the target with nothing lost,
     * and the highest rate with nothing lost at any latency (the capacity: on a loaded machine the latency target may
     * be out of reach at every rate, while the capacity still compares the servers). Doubles the rate until a step
     * loses messages (or reaches the cap), then bisects below the first latency failure, then below the first loss,
     * within the plan's step budget. Then measures half the latency-bounded maximum, and profiles Herald (JFR) at the
     * capacity.
     */
    void search(
            Sut sut,
            Results.Rate r,
            int deliveriesPerMessage,
            double startRate,
            double cap,
            boolean spread,
            String scenario)
            throws Exception {
        Suite.log(sut.label + " " + scenario + ": warm-up at " + (int) startRate + " msg/s for " + plan.warmupSeconds
                + " s");
        step(sut, startRate, plan.warmupSeconds, deliveriesPerMessage, spread);
        RateSearch search = new RateSearch(r, startRate, cap, plan.maxSteps, plan.closeEnough);
        while (!search.done()) {
            double rate = search.rate();
            Results.Step s = step(sut, rate, plan.stepSeconds, deliveriesPerMessage, spread);
            search.record(s);
            Suite.log(String.format(
                    Locale.ROOT,
                    "%s %s: %.0f msg/s -> %.0f deliveries/s, p50 %.2f p99 %.2f p99.9 %.2f ms, "
                            + "%s, clients %.2f cores, load %s: %s",
                    sut.label,
                    scenario,
                    rate,
                    s.deliveriesPerSecond(),
                    s.p50ms,
                    s.p99ms,
                    s.p999ms,
                    serverCpu(s),
                    s.clientCores,
                    load(),
                    s.ok ? "ok" : s.why));
        }
        search.finish();
        double good = r.maxRate;
        double lossless = r.capacityRate;
        double rate = search.rate();
        double half = good > 0 ? good / 2 : lossless / 2;
        if (half <= 0) {
            results.notes.put(scenario + "/" + sut.id, "no step delivered everything at the publish rate");
            if (!sut.profiled.isEmpty()) {
                profile(sut, scenario, rate, deliveriesPerMessage, spread);
            }
            return;
        }
        if (good <= 0) {
            results.notes.put(scenario + "/" + sut.id, "no rate met p99 <= " + Report.fmt(sut.p99Ms) + " ms");
        }
        r.atHalf = step(sut, (double) Math.max(1, Math.round(half)), plan.stepSeconds, deliveriesPerMessage, spread);
        Suite.log(String.format(
                Locale.ROOT,
                "%s %s: half the maximum (%.0f msg/s): p50 %.2f p99 %.2f p99.9 %.2f ms",
                sut.label,
                scenario,
                r.atHalf.rate,
                r.atHalf.p50ms,
                r.atHalf.p99ms,
                r.atHalf.p999ms));
        if (!sut.profiled.isEmpty()) {
            profile(sut, scenario, lossless > 0 ? lossless : good, deliveriesPerMessage, spread);
        }
    }

    /**
     * One more step at {@code rate} with a JFR recording of each Herald process (both nodes of a cluster at once),
     * summarised into the results.
     */
    private void profile(Sut sut, String scenario, double rate, int deliveriesPerMessage, boolean spread)
            throws Exception {
        Map<ServerProc, Path> files = new LinkedHashMap<>();
        for (ServerProc s : sut.profiled) {
            Path jfr = runDir.resolve("herald-" + scenario + (sut.profiled.size() > 1 ? "-" + s.name : "") + ".jfr");
            s.jfrStart(scenario, jfr);
            files.put(s, jfr);
        }
        Results.Step p = step(sut, rate, plan.profileSeconds, deliveriesPerMessage, spread);
        for (ServerProc s : files.keySet()) {
            s.jfrStop(scenario);
        }
        for (Map.Entry<ServerProc, Path> e : files.entrySet()) {
            JfrSummary summary = JfrSummary.read(e.getValue());
            String name = files.size() > 1 ? scenario + " (" + e.getKey().name + ")" : scenario;
            summary.context = String.format(
                    Locale.ROOT,
                    "%s at %.0f msg/s (%.0f deliveries/s, %s of which %.0f%% "
                            + "in the kernel, p99 %.1f ms with JFR on)",
                    name,
                    rate,
                    p.deliveriesPerSecond(),
                    serverCpu(p),
                    100 * p.serverSysShare,
                    p.p99ms);
            results.profiles.put(name, summary);
            Suite.log("Herald " + name + ": profiled " + summary.context + " -> " + runDir.relativize(e.getValue()));
        }
    }

    /** "server 0.91 cores", or each process's share for a cluster: "node-a 0.60 + node-b 0.50 + redis 0.20 cores". */
    static String serverCpu(Results.Step s) {
        if (s.processCores == null) {
            return String.format(Locale.ROOT, "server %.2f cores", s.serverCores);
        }
        List<String> parts = new ArrayList<>();
        s.processCores.forEach((name, cores) -> parts.add(String.format(Locale.ROOT, "%s %.2f", name, cores)));
        return String.join(" + ", parts) + " cores";
    }

    /**
     * One measured run at a rate over all workers; publishers are in the first worker unless {@code spread}. The
     * server CPU is the sum over the system's processes, each one's also kept when there are several.
     */
    private Results.Step step(Sut sut, double rate, double seconds, int deliveriesPerMessage, boolean spread)
            throws Exception {
        Map<String, double[]> s0 = new LinkedHashMap<>();
        sut.pids.forEach((name, pid) -> s0.put(name, Proc.cpu(pid)));
        double c0 = clientCpu();
        long t0 = System.nanoTime();
        List<CompletableFuture<Map<String, String>>> answers = new ArrayList<>();
        int id = ++stepCounter;
        for (int i = 0; i < workers.size(); i++) {
            double share = spread ? rate / workers.size() : (i == 0 ? rate : 0);
            answers.add(workers.get(i)
                    .callAsync(String.format(
                            Locale.ROOT, "run rate=%.3f seconds=%.2f step=%d acks=%b", share, seconds, id, sut.acks)));
        }
        Results.Step st = new Results.Step();
        st.rate = rate;
        st.seconds = seconds;
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (CompletableFuture<Map<String, String>> f : answers) {
            Map<String, String> a = f.get();
            st.sent += Long.parseLong(a.get("sent"));
            // with acks, "received" is what the publishers got ACKs for, and the window runs to the last ACK
            st.received += Long.parseLong(a.get(sut.acks ? "acked" : "received"));
            st.nacks += Long.parseLong(a.get("nacks"));
            st.errors += Long.parseLong(a.get("errors"));
            st.windowSeconds =
                    Math.max(st.windowSeconds, Long.parseLong(a.get(sut.acks ? "ackWindowMs" : "windowMs")) / 1000.0);
            if (a.containsKey("error")) {
                st.error = a.get("error");
            }
            String hist = sut.acks ? "ackhist" : "hist";
            h.add(decode(Objects.requireNonNull(a.get(hist), () -> "no " + hist + " in the worker's answer")));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double user = 0;
        double sys = 0;
        Map<String, Double> cores = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sut.pids.entrySet()) {
            // s0 holds every process of sut.pids, read before the step
            double[] a = Objects.requireNonNull(s0.get(e.getKey()));
            double[] b = Proc.cpu(e.getValue());
            cores.put(e.getKey(), (b[0] + b[1] - a[0] - a[1]) / wall);
            user += b[0] - a[0];
            sys += b[1] - a[1];
        }
        st.serverCores = (user + sys) / wall;
        st.serverSysShare = sys / Math.max(1e-9, user + sys);
        st.processCores = cores.size() > 1 ? cores : null;
        st.clientCores = (clientCpu() - c0) / wall;
        st.expected = sut.acks ? st.sent : st.sent * deliveriesPerMessage;
        st.p50ms = h.getValueAtPercentile(50) / 1e6;
        st.p99ms = h.getValueAtPercentile(99) / 1e6;
        st.p999ms = h.getValueAtPercentile(99.9) / 1e6;
        st.maxms = h.getMaxValue() / 1e6;
        st.hist = encode(h);
        List<String> why = new ArrayList<>();
        if (st.p99ms > sut.p99Ms) {
            why.add(String.format(Locale.ROOT, "p99 %.1f ms > %.0f ms", st.p99ms, sut.p99Ms));
        }
        if (st.received < st.expected * 0.999) {
            why.add(String.format(
                    Locale.ROOT,
                    "%.2f%% not %s",
                    100.0 * (st.expected - st.received) / Math.max(1, st.expected),
                    sut.acks ? "acknowledged" : "delivered"));
        }
        if (st.nacks > 0) {
            why.add(st.nacks + " NACKs");
        }
        if (st.errors > 0) {
            why.add(st.errors + " errors (" + st.error + ")");
        }
        if (st.sent < rate * seconds * 0.97) {
            why.add(String.format(
                    Locale.ROOT, "generator sent only %.0f%% of the schedule", 100.0 * st.sent / (rate * seconds)));
        }
        // sustained: the deliveries did not trail the schedule by more than 5% (a server falling behind delivers
        // everything eventually, over a window longer than the step)
        boolean sustained = st.windowSeconds <= seconds * 1.05 + 0.05;
        if (!sustained) {
            why.add(String.format(
                    Locale.ROOT,
                    "fell behind (deliveries took %.1f s for %.1f s of publishing)",
                    st.windowSeconds,
                    seconds));
        }
        st.ok = why.isEmpty();
        st.lossless = st.received >= st.expected * 0.999
                && st.nacks == 0
                && st.errors == 0
                && st.sent >= rate * seconds * 0.97
                && sustained;
        st.why = String.join(", ", why);
        return st;
    }

    // ---- (3) idle ----

    void idle() {
        for (Kind kind : kinds(Kind.HERALD, Kind.SIO, Kind.BARE)) {
            measured("idle/" + kind.id, tag -> {
                targetAll(kind);
                ServerProc server = server(kind);
                int w = workers.size();
                int per = plan.idle / w;
                int groups = Math.max(1, plan.idle / 10);
                if (kind == Kind.HERALD) {
                    // tokens first, so the nonces requestToken remembers are not counted as connection memory
                    List<CompletableFuture<Map<String, String>>> tokens = new ArrayList<>();
                    for (int i = 0; i < w; i++) {
                        tokens.add(workers.get(i).callAsync("tokens n=" + per + " offset=" + i * per));
                    }
                    sum(tokens, "n");
                }
                ServerProc.Memory m0 = server.memory();
                long t0 = System.nanoTime();
                List<CompletableFuture<Map<String, String>>> opening = new ArrayList<>();
                for (int i = 0; i < w; i++) {
                    opening.add(workers.get(i)
                            .callAsync("open role=idle n=" + per + " channel=idle groups=" + groups + " offset="
                                    + i * per));
                }
                int opened = sum(opening, "opened");
                double openSeconds = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(2000);
                ServerProc.Memory m1 = server.memory();
                Results.Idle r = new Results.Idle();
                r.connections = opened;
                r.failed = per * w - opened;
                r.heapBefore = m0.heap;
                r.heapAfter = m1.heap;
                r.rssBefore = m0.rss;
                r.rssAfter = m1.rss;
                r.openSeconds = openSeconds;
                Map<String, Long> delta = new HashMap<>();
                m1.classes.forEach((c, b) -> delta.put(c, b - m0.classes.getOrDefault(c, 0L)));
                delta.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                        .limit(10)
                        .forEach(e -> r.topClassesPerConn.put(e.getKey(), e.getValue() / Math.max(1, opened)));
                results.idle.put(kind.id, r);
                Suite.log(String.format(
                        Locale.ROOT,
                        "%s idle: %d connections in %.1f s; heap %.0f B/conn, RSS %.0f B/conn",
                        kind.label,
                        opened,
                        openSeconds,
                        r.heapPerConn(),
                        r.rssPerConn()));
            });
        }
    }

    // ---- (4) token issuance: TokenIssuance ----

    void token() {
        new TokenIssuance(this, plan, results, workers, key, runDir).run();
    }

    // ---- (5) reauth storm ----

    void reauth() {
        results.notes.put("reauth/" + Kind.BARE.id, "n/a: the bare server has no credentials to renew");
        for (Kind kind : kinds(Kind.HERALD, Kind.SIO)) {
            measured("reauth/" + kind.id, tag -> {
                targetAll(kind);
                ServerProc server = server(kind);
                WorkerProc w = workers.get(0);
                Map<String, String> o = w.call(
                        "open role=idle n=" + plan.reauth + " channel=storm groups=" + Math.max(1, plan.reauth / 10));
                int opened = Integer.parseInt(o.get("opened"));
                Thread.sleep(500);
                double s0 = server.cpuSeconds();
                double c0 = clientCpu();
                long t0 = System.nanoTime();
                Map<String, String> a = w.call("reauth concurrency=64");
                double wall = (System.nanoTime() - t0) / 1e9;
                Results.Storm r = new Results.Storm();
                r.connections = opened;
                r.ok = Integer.parseInt(a.get("ok"));
                r.failed = Integer.parseInt(a.get("failed"));
                r.seconds = Long.parseLong(a.get("ms")) / 1000.0;
                r.p50ms = Long.parseLong(a.get("p50us")) / 1000.0;
                r.p99ms = Long.parseLong(a.get("p99us")) / 1000.0;
                r.maxms = Long.parseLong(a.get("maxus")) / 1000.0;
                r.serverCores = (server.cpuSeconds() - s0) / wall;
                r.clientCores = (clientCpu() - c0) / wall;
                r.error = a.get("error");
                r.how = kind == Kind.HERALD
                        ? "requestToken, then AUTH on the open socket answered by CONNECTED"
                        : "close and reconnect (WebSocket + Engine.IO open + connect + rejoin); no token check";
                results.reauth.put(kind.id, r);
                Suite.log(String.format(
                        Locale.ROOT,
                        "%s reauth storm: %d/%d renewed in %.2f s; p50 %.1f p99 %.1f ms",
                        kind.label,
                        r.ok,
                        opened,
                        r.seconds,
                        r.p50ms,
                        r.p99ms));
                if (kind == Kind.HERALD) {
                    Path jfr = runDir.resolve("herald-reauth.jfr");
                    server.jfrStart("reauth", jfr);
                    Map<String, String> p = w.call("reauth concurrency=64");
                    server.jfrStop("reauth");
                    JfrSummary summary = JfrSummary.read(jfr);
                    summary.context = "a second storm: " + p.get("ok") + " connections renewed in " + p.get("ms")
                            + " ms with JFR on";
                    results.profiles.put("reauth", summary);
                }
            });
        }
    }

    // ---- (6) across two Herald nodes on one Redis (the cross-node aim) ----

    /**
     * The many-channels traffic across nodes: channel i has one subscriber on node B and one publisher on node A, so
     * every message goes A → Redis (publish.lua, PUBLISH) → B. Each client process holds both ends of its share of
     * the channels, so its own count of expected deliveries is exact. Then a fan-out across nodes: one channel, the
     * subscribers on B, the publishers on A. A step reads the CPU of both nodes and of Redis; both nodes are profiled.
     */
    void cluster(ServerProc a, ServerProc b, long redisPid) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(a.name, a.pid());
        pids.put(b.name, b.pid());
        pids.put("redis", redisPid);
        double p99 = results.clusterP99Ms;
        crossNodeChannels("cluster", "channels", "Herald cross-node", a, b, pids);
        measured("cluster-fanout/" + Kind.HERALD.id, tag -> {
            targetAll(b);
            int w = workers.size();
            List<CompletableFuture<Map<String, String>>> opening = new ArrayList<>();
            for (int i = 0; i < w; i++) {
                opening.add(workers.get(i)
                        .callAsync("open role=sub n=" + plan.clusterFanSubs / w + " channel=cluster-fan offset="
                                + i * 100_000));
            }
            int subscribed = sum(opening, "opened");
            Map<String, String> pubs = workers.get(0)
                    .call("open role=pub n=" + plan.fanPubs + " channel=cluster-fan offset=900000 port=" + a.port);
            Results.Rate r = new Results.Rate();
            r.subscribers = subscribed;
            r.publishers = Integer.parseInt(pubs.get("opened"));
            r.connections = r.subscribers + r.publishers;
            r.channels = 1;
            r.setup = "subscribers on " + b.name + " over " + w + " client processes, publishers on " + a.name
                    + " in the first";
            Suite.log("Herald cross-node fan-out: " + r.subscribers + " subscribers on " + b.name + ", " + r.publishers
                    + " publishers on " + a.name);
            if (r.subscribers < plan.clusterFanSubs / w * w) {
                results.notes.put(
                        tag, "only " + r.subscribers + " of " + plan.clusterFanSubs + " subscribers connected");
            }
            search(
                    new Sut("Herald cross-node", Kind.HERALD.id, pids, List.of(), p99, false),
                    r,
                    r.subscribers,
                    50,
                    r.publishers * (double) HERALD_RATE_PER_PUBLISHER,
                    false,
                    "cluster-fanout");
            results.cluster.put("fanout", r);
        });
    }

    /**
     * The many-channels traffic across two Herald nodes on a Redis Cluster of three masters: the channels spread over
     * the shards, each event goes A → its channel's master (publish.lua, SPUBLISH) → B.
     */
    void cluster3(ServerProc a, ServerProc b, List<Long> redisPids) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(a.name, a.pid());
        pids.put(b.name, b.pid());
        for (int i = 0; i < redisPids.size(); i++) {
            pids.put("redis-" + (i + 1), redisPids.get(i));
        }
        crossNodeChannels("cluster3", "channels3", "Herald cross-node on Redis Cluster", a, b, pids);
    }

    /**
     * The many-channels traffic across nodes as scenario {@code scenario}: channel i has one subscriber on node B and
     * one publisher on node A; the result goes to {@code results.cluster} under {@code key}.
     */
    private void crossNodeChannels(
            String scenario, String key, String label, ServerProc a, ServerProc b, Map<String, Long> pids) {
        double p99 = results.clusterP99Ms;
        measured(scenario + "/" + Kind.HERALD.id, tag -> {
            targetAll(b);
            int w = workers.size();
            int per = plan.clusterChannels / w;
            int channels = per * w;
            long t0 = System.nanoTime();
            List<CompletableFuture<Map<String, String>>> opening = new ArrayList<>();
            for (int i = 0; i < w; i++) {
                opening.add(workers.get(i)
                        .callAsync("open role=sub n=" + per + " channel=cluster groups=" + channels + " offset="
                                + i * per));
            }
            int subscribed = sum(opening, "opened");
            opening.clear();
            for (int i = 0; i < w; i++) {
                opening.add(workers.get(i)
                        .callAsync("open role=pub n=" + per + " channel=cluster groups=" + channels + " offset="
                                + i * per + " port=" + a.port));
            }
            int publishing = sum(opening, "opened");
            Suite.log(String.format(
                    Locale.ROOT,
                    label + ": %d subscribers on %s, %d publishers on %s, open in %.1f s",
                    subscribed,
                    b.name,
                    publishing,
                    a.name,
                    (System.nanoTime() - t0) / 1e9));
            Results.Rate r = new Results.Rate();
            r.subscribers = subscribed;
            r.publishers = publishing;
            r.connections = subscribed + publishing;
            r.channels = channels;
            r.setup = "channel i: its subscriber on " + b.name + ", its publisher on " + a.name + "; " + per
                    + " channels (both ends) per client process";
            if (subscribed < channels || publishing < channels) {
                results.notes.put(
                        tag,
                        "only " + subscribed + " subscribers and " + publishing + " publishers of " + channels
                                + " connected");
            }
            search(
                    new Sut(label, Kind.HERALD.id, pids, List.of(a, b), p99, false),
                    r,
                    1,
                    plan.quick ? 6250 : 3125,
                    publishing * (double) HERALD_RATE_PER_PUBLISHER,
                    true,
                    scenario);
            results.cluster.put(key, r);
        });
    }

    // ---- helpers ----

    /** One measurement: the servers' connections are closed after it, its failure recorded, the load noted. */
    interface Measurement {
        void run(String tag) throws Exception;
    }

    void measured(String tag, Measurement m) {
        String before = load();
        try {
            m.run(tag);
        } catch (Exception e) {
            fail(tag, e);
        } finally {
            closeAll();
            results.load.put(tag, before + " → " + load());
        }
    }

    /** The given servers that this run started ({@code --servers}). */
    List<Kind> kinds(Kind... wanted) {
        List<Kind> out = new ArrayList<>();
        for (Kind k : wanted) {
            if (servers.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** One of the single servers as a rate search drives it. */
    private Sut sut(Kind kind) {
        ServerProc s = server(kind);
        return new Sut(
                kind.label,
                kind.id,
                Map.of(kind.id, s.pid()),
                kind == Kind.HERALD ? List.of(s) : List.of(),
                target,
                false);
    }

    void targetAll(Kind kind) throws IOException {
        targetAll(server(kind));
    }

    /** One of the single servers; only kinds this run started ({@link #kinds}) are asked for. */
    ServerProc server(Kind kind) {
        return Objects.requireNonNull(servers.get(kind), () -> kind.label + " was not started");
    }

    void targetAll(ServerProc s) throws IOException {
        for (WorkerProc w : workers) {
            w.call("target kind=" + s.kind.protocol + " port=" + s.port + " key=" + key);
        }
    }

    void closeAll() {
        for (WorkerProc w : workers) {
            try {
                w.call("close");
            } catch (IOException e) {
                Suite.log("closing connections of " + w.name + " failed: " + e.getMessage());
            }
        }
    }

    double clientCpu() {
        double total = 0;
        for (WorkerProc w : workers) {
            total += w.cpuSeconds();
        }
        return total;
    }

    static int sum(List<CompletableFuture<Map<String, String>>> answers, String field) throws Exception {
        int total = 0;
        for (CompletableFuture<Map<String, String>> f : answers) {
            total += Integer.parseInt(f.get().get(field));
        }
        return total;
    }

    void fail(String tag, Exception e) {
        Suite.log(tag + " failed: " + e);
        results.notes.put(tag, "failed: " + e.getMessage());
    }

    static String load() {
        return Proc.loadAvg().split(" ", -1)[0];
    }

    static Histogram decode(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), len));
    }
}
