package io.herald.bench.suite;

import java.util.List;
import java.util.Map;

/** A run's {@link Results} made up in code, covering every section of the report (cluster, profiles, JMH, quick mode). */
final class SyntheticResults {
    private SyntheticResults() {}

    static Results.Step step(double rate, double received, double p99, boolean ok) {
        Results.Step s = new Results.Step();
        s.rate = rate;
        s.seconds = 5;
        s.windowSeconds = 5;
        s.sent = (long) (rate * 5);
        s.expected = (long) received;
        s.received = (long) received;
        s.p50ms = p99 / 4;
        s.p99ms = p99;
        s.p999ms = p99 * 2;
        s.maxms = p99 * 3;
        s.serverCores = 1.2;
        s.serverSysShare = 0.4;
        s.clientCores = 0.6;
        s.ok = ok;
        s.lossless = true;
        s.why = ok ? "" : "p99 " + p99 + " ms > 10 ms";
        return s;
    }

    static Results.Rate rate(double max, int subscribers) {
        Results.Rate r = new Results.Rate();
        r.subscribers = subscribers;
        r.publishers = 4;
        r.maxRate = max;
        r.atMax = step(max, max * subscribers * 5, 8, true);
        r.capacityRate = max * 2;
        r.capacity = step(max * 2, max * 2 * subscribers * 5, 30, false);
        r.atHalf = step(max / 2, max / 2 * subscribers * 5, 3, true);
        r.steps.add(r.atMax);
        r.steps.add(r.capacity);
        return r;
    }

    static Results make(String mode) {
        Results r = new Results();
        r.date = "2026-12-05 10:00 UTC";
        r.command = "./herald bench" + ("quick".equals(mode) ? " --quick" : "");
        r.mode = mode;
        r.targetP99Ms = 10;
        r.totalSeconds = 812.4;
        r.machine.put("cores", "2");
        r.machine.put("java", "17.0.15");
        r.serverCommands.put("herald", "java -Xms1g -Xmx1g -jar herald.jar serve --port {port}");
        r.serverCommands.put("socketio", "node server.js {port}");
        r.workerCommand = "java -cp herald-bench.jar io.herald.bench.load.Worker";
        r.sizes.put("step", "5 s steps");
        r.sizes.put("fanout", "1000 subscribers");
        r.sizes.put("many", "5000 channels");
        r.sizes.put("idle", "15000 connections");
        r.sizes.put("reauth", "2000 connections");
        r.sizes.put("cluster", "1000 channels");
        r.sizes.put("cluster-fanout", "500 subscribers");
        r.startMs.put("herald", List.of(800.0, 700.0, 900.0));
        r.startMs.put("bare", List.of(300.0, 320.0));
        r.startCpuMs.put("herald", List.of(1500.0, 1400.0));
        r.fanout.put("herald", rate(400, 1000));
        r.fanout.put("socketio", rate(60, 1000));
        r.fanout.put("bare", rate(500, 1000));
        r.many.put("herald", rate(20000, 1));
        Results.Idle idle = new Results.Idle();
        idle.connections = 15000;
        idle.heapBefore = 10_000_000;
        idle.heapAfter = 100_000_000;
        idle.rssBefore = 50_000_000;
        idle.rssAfter = 250_000_000;
        idle.openSeconds = 12.5;
        r.idle.put("herald", idle);
        Results.Http http = new Results.Http();
        http.requests = 100_000;
        http.seconds = 10;
        http.p50ms = 0.4;
        http.p99ms = 2.5;
        http.p999ms = 9;
        http.conns = 16;
        http.serverCores = 1.1;
        http.clientCores = 0.7;
        r.token.put("herald", http);
        Results.Storm storm = new Results.Storm();
        storm.connections = 2000;
        storm.ok = 2000;
        storm.seconds = 3.2;
        storm.p50ms = 900;
        storm.p99ms = 2900;
        r.reauth.put("herald", storm);
        r.notes.put("reauth/bare", "no auth");
        Results.Rate cluster = rate(3000, 1);
        cluster.capacity.processCores = new java.util.LinkedHashMap<>(Map.of("node-a", 0.6));
        cluster.capacity.processCores.put("node-b", 0.5);
        r.cluster.put("channels", cluster);
        r.clusterAimRate = 10000;
        r.clusterP99Ms = 20;
        r.load.put("fanout/herald", "0.50 → 1.90");
        r.load.put("jmh/all", "0.3");
        Results.Jmh j = new Results.Jmh();
        j.benchmark = "CodecBenchmark.encode";
        j.params = "format=msgpack";
        j.score = 4_000_000;
        j.error = 12_000;
        j.unit = "ops/s";
        r.jmh.add(j);
        JfrSummary p = new JfrSummary();
        p.file = "herald-fanout.jfr";
        p.context = "fanout at 800 msg/s";
        p.samples = 1000;
        p.nativeSamples = 200;
        p.seconds = 10;
        p.gcCount = 3;
        p.gcPauseMs = 12;
        p.gcLongestMs = 5;
        p.layers.put("netty", 600L);
        p.self.put("io.netty.Foo.bar", 100L);
        p.inclusive.put("core.hub.Hub.deliver", 400L);
        p.allocation.put("io.netty.Buf.alloc", 10_485_760L);
        r.profiles.put("fanout", p);
        return r;
    }
}
