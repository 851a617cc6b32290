package io.herald.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark suite behind {@code ./herald bench}: starts Herald, the Socket.IO peer and the bare Netty reference
 * as their own processes, drives them with load generator processes ({@link io.herald.bench.load.Worker}) through
 * the same scenarios, runs the JMH micro benchmarks, and writes docs/benchmarks.md with one table and a latency plot.
 * The cluster scenario starts a redis-server and two Herald nodes on it instead, and publishes on one node to
 * subscribers on the other; the persisted scenario starts Herald alone once per engine setting ({@link Persisted}).
 *
 * <pre>
 * java -cp herald-bench.jar io.herald.bench.suite.Suite [--quick] [--root DIR]
 *      [--only start,jmh,fanout,many,idle,token,reauth,persisted,cluster] [--target-p99-ms 10]
 *      [--server-jvm "-Xms1g -Xmx1g -XX:+UseParallelGC"] [--no-docs]
 * </pre>
 */
public final class Suite {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String DEFAULT_SERVER_JVM =
            "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints";
    /**
     * The load generators' JVM: a fixed heap touched at start, like the servers'. With a heap that started at 512 MiB
     * and grew, a generator's young collections took 100-260 ms (16 MB surviving: the time went to mapping new pages)
     * and stalled every delivery it was receiving, which the latency histograms charged to the server under test.
     */
    static final String WORKER_JVM = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC";
    /** Issue 5's aim for the cluster scenario: 50,000 msg/s through one Redis with p99 under 20 ms. */
    static final double CLUSTER_AIM_RATE = 50_000;

    static final double CLUSTER_P99_MS = 20;

    /** Sizes and durations of one mode. */
    static final class Plan {
        boolean quick;
        int fanSubs = 1000;
        int fanPubs = 8;
        int many = 5000;
        int idle = 15000;
        int reauth = 2000;
        int clusterChannels = 1000;
        int clusterFanSubs = 500;
        int persistedPubs = 200;
        int persistedChannels = 10;
        int workers = 2;
        double stepSeconds = 4;
        double warmupSeconds = 6;
        double closeEnough = 1.15;
        int maxSteps = 13;
        double httpSeconds = 8;
        double httpWarmup = 10;
        /**
         * After {@link #httpWarmup}, more load in 2 s chunks until a chunk in which the server's JIT compiled at most
         * {@link TokenIssuance#QUIET_COMPILATIONS} methods, for at most this long (0: no such wait).
         */
        double httpWarmupMax = 60;

        int httpConns = 16;
        /**
         * requestToken is measured this many times per server, the servers alternating, and each server's median
         * round is reported (one server's figure moved by 20% between two runs minutes apart on this machine).
         */
        int tokenRounds = 3;

        int startRepeats = 3;
        double profileSeconds = 4;
        List<String> jmhArgs = List.of("-f", "1", "-wi", "1", "-i", "2", "-w", "1s", "-r", "2s");

        static Plan quick() {
            Plan p = new Plan();
            p.quick = true;
            p.many = 1000;
            p.idle = 2000;
            p.reauth = 500;
            p.clusterChannels = 500;
            p.clusterFanSubs = 250;
            p.persistedPubs = 50;
            p.stepSeconds = 1.2;
            p.warmupSeconds = 2;
            p.closeEnough = 1.45;
            p.maxSteps = 4;
            p.profileSeconds = 2;
            p.httpSeconds = 2;
            p.httpWarmup = 1.5;
            p.httpWarmupMax = 0;
            p.tokenRounds = 1;
            p.startRepeats = 1;
            p.jmhArgs = List.of("-f", "1", "-wi", "1", "-w", "300ms", "-i", "1", "-r", "500ms");
            return p;
        }
    }

    private final Plan plan;
    private final Path root;
    private final Path benchJar;
    private final Path heraldJar;

    /** The class-data sharing archive {@code ./herald} writes for this jar (start-up), used when it is current. */
    private final Path cdsArchive;

    private final Path runDir;
    private final String serverJvm;
    private final double targetP99Ms;
    private final Set<String> only;
    private final Set<String> kinds;
    private final String key;
    private final Results results = new Results();
    private final Map<Kind, ServerProc> servers = new LinkedHashMap<>();
    private final List<WorkerProc> workers = new ArrayList<>();
    /** The cluster scenario's redis-server and Herald nodes, while it runs. */
    private @Nullable Process redis;

    private final List<ServerProc> nodes = new ArrayList<>();
    private volatile @Nullable Cluster3 cluster3;

    private Suite(Plan plan, Path root, String serverJvm, double targetP99Ms, Set<String> only, Set<String> kinds)
            throws IOException {
        this.kinds = kinds;
        this.plan = plan;
        this.root = root;
        this.serverJvm = serverJvm;
        this.targetP99Ms = targetP99Ms;
        this.only = only;
        this.benchJar = root.resolve("herald-bench/target/herald-bench.jar");
        this.heraldJar = root.resolve("herald-server/target/herald.jar");
        this.cdsArchive = root.resolve(".herald/herald.jsa");
        // the run directory and the report show the machine's local time
        String stamp = ZonedDateTime.now(ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.runDir = root.resolve(".herald/bench/" + stamp);
        Files.createDirectories(runDir);
        this.key = "bench." + random(8) + ":" + random(43);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean docs = true;
        Path root = Path.of("").toAbsolutePath();
        String serverJvm = DEFAULT_SERVER_JVM;
        double target = 10;
        // cluster3 (a Redis Cluster of three masters) adds about 2 minutes: in a full run, not in --quick
        Set<String> only = new LinkedHashSet<>(List.of(
                "start", "jmh", "fanout", "many", "idle", "token", "reauth", "persisted", "cluster", "cluster3"));
        boolean onlyGiven = false;
        Set<String> kinds = new LinkedHashSet<>(List.of("herald", "socketio", "bare"));
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-docs" -> docs = false;
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--server-jvm" -> serverJvm = args[++i];
                case "--target-p99-ms" -> target = Double.parseDouble(args[++i]);
                case "--only" -> {
                    only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    onlyGiven = true;
                }
                case "--servers" -> kinds = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--fanout-subscribers",
                        "--many",
                        "--idle",
                        "--reauth",
                        "--cluster-channels",
                        "--cluster-subscribers" -> sizes.put(args[i], Integer.parseInt(args[++i]));
                case "--skip-jmh" -> only.remove("jmh");
                case "--render" -> {
                    render(root, Path.of(args[++i]));
                    return;
                }
                case "-h", "--help" -> {
                    System.out.println(
                            "Usage: ./herald bench [--quick] [--only start,jmh,fanout,many,idle,token,reauth,persisted,"
                                    + "cluster,cluster3] "
                                    + "[--skip-jmh] [--servers herald,socketio,bare] [--target-p99-ms 10]\n"
                                    + "       [--fanout-subscribers 1000] [--many 5000] [--idle 15000] [--reauth 2000]\n"
                                    + "       [--cluster-channels 1000] [--cluster-subscribers 500] (cluster: two Herald nodes on "
                                    + "one redis-server, which must be on the PATH; cluster3 (full runs only, not --quick): the same many-channels "
                                    + "traffic on a 3-master Redis Cluster, redis-cli on the PATH too; persisted: Herald alone, memory engine and disk "
                                    + "engine at each --fsync)\n"
                                    + "       [--server-jvm \"" + DEFAULT_SERVER_JVM
                                    + "\"] [--no-docs] | --render .herald/bench/RUN\n"
                                    + "Runs the benchmark suite (docs/benchmarks.md explains it) and rewrites docs/benchmarks.md "
                                    + "and docs/benchmarks-latency.png; full run under 15 minutes, --quick under 3, on 2 cores.");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        if (quick && !onlyGiven) {
            only.remove("cluster3");
        }
        Plan plan = quick ? Plan.quick() : new Plan();
        plan.fanSubs = sizes.getOrDefault("--fanout-subscribers", plan.fanSubs);
        plan.many = sizes.getOrDefault("--many", plan.many);
        plan.idle = sizes.getOrDefault("--idle", plan.idle);
        plan.reauth = sizes.getOrDefault("--reauth", plan.reauth);
        plan.clusterChannels = sizes.getOrDefault("--cluster-channels", plan.clusterChannels);
        plan.clusterFanSubs = sizes.getOrDefault("--cluster-subscribers", plan.clusterFanSubs);
        Suite s = new Suite(plan, root, serverJvm, target, only, kinds);
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--root")) {
                i++;
            } else {
                shown.add(args[i].contains(" ") ? "\"" + args[i] + "\"" : args[i]);
            }
        }
        s.results.command = "./herald bench" + (shown.isEmpty() ? "" : " " + String.join(" ", shown));
        Runtime.getRuntime().addShutdownHook(new Thread(s::shutdown, "bench-cleanup"));
        s.run(docs);
    }

    private void run(boolean docs) throws Exception {
        long t0 = System.nanoTime();
        results.date = ZonedDateTime.now(ZoneId.systemDefault()).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        results.mode = plan.quick ? "quick" : "full";
        results.scenarios = new ArrayList<>(only);
        results.targetP99Ms = targetP99Ms;
        results.machine = Machine.describe();
        results.sizes.put(
                "fanout", plan.fanSubs + " subscribers, " + plan.fanPubs + " publishers, 1 channel, 100-byte messages");
        results.sizes.put(
                "many",
                plan.many + " connections, each subscribed to its own channel and publishing to its neighbour's");
        results.sizes.put(
                "idle",
                plan.idle + " connections over " + plan.workers
                        + " client processes, each attached to 1 channel (10 per channel)");
        results.sizes.put("reauth", plan.reauth + " connections renewing at once (64 renewals in flight)");
        results.sizes.put(
                "cluster",
                plan.clusterChannels + " channels, each with 1 subscriber on node B and 1 publisher "
                        + "on node A, 100-byte messages");
        results.sizes.put(
                "cluster-fanout",
                plan.clusterFanSubs + " subscribers on node B, " + plan.fanPubs
                        + " publishers on node A, 1 channel, 100-byte messages");
        results.sizes.put(
                "cluster3",
                plan.clusterChannels + " channels, each with 1 subscriber on node B and 1 publisher on node A, on a "
                        + "Redis Cluster of 3 masters, 100-byte messages");
        results.sizes.put("step", plan.stepSeconds + " s per rate step, " + plan.warmupSeconds + " s warm-up");
        results.clusterAimRate = CLUSTER_AIM_RATE;
        results.clusterP99Ms = CLUSTER_P99_MS;
        log("run directory " + runDir + "; load average " + Proc.loadAvg());

        if (only.contains("jmh")) {
            jmh();
        }
        // the single servers only for the scenarios that use them (the cluster scenario starts its own)
        boolean single =
                only.stream().anyMatch(s -> !s.equals("jmh") && !s.startsWith("cluster") && !s.equals("persisted"));
        if (single && kinds.contains(Kind.HERALD.id)) {
            servers.put(
                    Kind.HERALD,
                    new ServerProc(
                            Kind.HERALD,
                            cmd("java " + serverJvm + cdsOptions() + " -jar " + heraldJar
                                    + " serve --engine memory --port {port} --key " + key),
                            root,
                            runDir));
        }
        if (single && kinds.contains(Kind.SIO.id)) {
            servers.put(
                    Kind.SIO,
                    new ServerProc(
                            Kind.SIO,
                            cmd("node --expose-gc server.js {port}"),
                            root.resolve("herald-bench/peers/socketio"),
                            runDir));
        }
        if (single && kinds.contains(Kind.BARE.id)) {
            servers.put(
                    Kind.BARE,
                    new ServerProc(
                            Kind.BARE,
                            cmd("java " + serverJvm + " -cp " + benchJar
                                    + " io.herald.bench.bare.BareServer --port {port}"),
                            root,
                            runDir));
        }
        for (ServerProc s : servers.values()) {
            results.serverCommands.put(s.kind.id, shown(String.join(" ", s.command)));
        }
        results.workerCommand = "java " + WORKER_JVM
                + " -cp herald-bench/target/herald-bench.jar io.herald.bench.load.Worker --threads 1";
        for (ServerProc s : servers.values()) {
            List<Double> times = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            ServerProc timed = only.contains("start") ? s.forStartTiming() : s;
            for (int i = 0; i < (only.contains("start") ? plan.startRepeats : 1); i++) {
                if (i > 0) {
                    timed.stop();
                    Thread.sleep(300);
                }
                times.add(timed.start());
                cpu.add(timed.startCpuSeconds * 1000);
            }
            if (timed != s) {
                // the scenarios run on the server as configured, heap touched
                timed.stop();
                Thread.sleep(300);
                s.start();
            }
            results.startMs.put(s.kind.id, times);
            results.startCpuMs.put(s.kind.id, cpu);
            log(s.kind.label + " ready in "
                    + times.stream()
                            .map(t -> String.format(Locale.ROOT, "%.0f ms", t))
                            .toList() + " (pid " + s.pid() + ", port " + s.port + ")");
        }
        for (int i = 0; i < plan.workers; i++) {
            workers.add(new WorkerProc(
                    "w" + i,
                    cmd("java " + WORKER_JVM + " -cp " + benchJar + " io.herald.bench.load.Worker --threads 1"),
                    runDir.resolve("worker-" + i + ".log")));
        }
        Scenarios sc = new Scenarios(plan, results, servers, workers, key, targetP99Ms, runDir);
        // idle first: the servers' heaps hold nothing yet (Herald keeps 2 minutes of history per channel, which a
        // later baseline would include and its sweeper would then free during the measurement)
        if (only.contains("idle")) {
            sc.idle();
        }
        if (only.contains("fanout")) {
            sc.fanout();
        }
        if (only.contains("many")) {
            sc.many();
        }
        if (only.contains("token")) {
            sc.token();
        }
        if (only.contains("reauth")) {
            sc.reauth();
        }
        if (only.contains("persisted")) {
            for (ServerProc s : servers.values()) {
                if (s.process != null) {
                    s.stop(); // Herald alone on the machine, once per engine setting
                }
            }
            String serve = "java " + serverJvm + cdsOptions() + " -jar " + heraldJar
                    + " serve {engine} --port {port} --key " + key;
            new Persisted(plan, results, workers, runDir).run(sc, serve, shown(serve));
        }
        if (only.contains("cluster")) {
            for (ServerProc s : servers.values()) {
                if (s.process != null) {
                    s.stop(); // idle, but their heaps and timers need not share the machine
                }
            }
            cluster(sc);
        }
        if (only.contains("cluster3")) {
            for (ServerProc s : servers.values()) {
                if (s.process != null) {
                    s.stop();
                }
            }
            String serve = "java " + serverJvm + cdsOptions() + " -jar " + heraldJar
                    + " serve --engine redis --redis {redis} --port {port} --key " + key + " --server-id {id}";
            Cluster3 c3 = new Cluster3(results, runDir);
            cluster3 = c3;
            c3.run(sc, serve, shown(serve), root);
        }
        shutdown();
        results.totalSeconds = (System.nanoTime() - t0) / 1e9;
        Files.writeString(runDir.resolve("results.json"), JSON.writeValueAsString(results));
        Path doc = root.resolve("docs/benchmarks.md");
        boolean onlyPersisted = PersistedReport.onlyPersisted(results) && Files.exists(doc);
        String md = onlyPersisted
                ? PersistedReport.splice(Files.readString(doc), PersistedReport.section(results))
                : Report.markdown(results, doc);
        System.out.println();
        if (!onlyPersisted) {
            System.out.println(Report.table(results));
        }
        if (!results.cluster.isEmpty()) {
            System.out.println(CrossNodeReport.cluster(results));
        }
        if (!results.persisted.isEmpty()) {
            System.out.println(PersistedReport.section(results));
        }
        if (docs) {
            Files.createDirectories(root.resolve("docs"));
            if (onlyPersisted) {
                // only this scenario ran: the other sections, and the latency plot of fan-out and many, stay as they
                // are
                Files.writeString(doc, md);
                log("replaced the persisted-publish section of docs/benchmarks.md");
            } else {
                LatencyPlot.write(results, root.resolve("docs/benchmarks-latency.png"));
                Files.writeString(doc, md);
                log("wrote docs/benchmarks.md and docs/benchmarks-latency.png");
            }
        }
        log(String.format(
                Locale.ROOT,
                "done in %.0f s; raw results, logs and JFR recordings in %s",
                results.totalSeconds,
                root.relativize(runDir)));
    }

    /**
     * Rewrites docs/benchmarks.md and the plot from a saved run's results.json (after editing the analysis, say); the
     * profiles are summarised again from the JFR recordings still in the run directory.
     */
    private static void render(Path root, Path runDir) throws IOException {
        Results r = JSON.readValue(runDir.resolve("results.json").toFile(), Results.class);
        for (Map.Entry<String, JfrSummary> e : r.profiles.entrySet()) {
            Path jfr = runDir.resolve(e.getValue().file);
            if (Files.exists(jfr)) {
                String context = e.getValue().context;
                e.setValue(JfrSummary.read(jfr));
                e.getValue().context = context;
            }
        }
        Path doc = root.resolve("docs/benchmarks.md");
        if (PersistedReport.onlyPersisted(r) && Files.exists(doc)) {
            Files.writeString(doc, PersistedReport.splice(Files.readString(doc), PersistedReport.section(r)));
            log("rendered the persisted-publish section of docs/benchmarks.md from " + runDir);
            return;
        }
        String md = Report.markdown(r, doc);
        LatencyPlot.write(r, root.resolve("docs/benchmarks-latency.png"));
        Files.writeString(doc, md);
        log("rendered docs/benchmarks.md and docs/benchmarks-latency.png from " + runDir);
    }

    /**
     * Starts a redis-server on a free port (no persistence) and two Herald nodes on it (node-a, node-b: the same key
     * and JVM flags as the single Herald), runs the cross-node scenario, and stops all three.
     */
    private void cluster(Scenarios sc) {
        try {
            int port = ServerProc.freePort();
            List<String> cmd = List.of(
                    "redis-server",
                    "--port",
                    String.valueOf(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no");
            results.serverCommands.put(
                    "redis", "redis-server --port {port} --bind 127.0.0.1 --save '' --appendonly no");
            Process started = Proc.start(cmd, runDir, runDir.resolve("redis.log"));
            redis = started;
            long t0 = System.nanoTime();
            while (!Proc.redisPing(port)) {
                if (!started.isAlive() || System.nanoTime() - t0 > 30_000_000_000L) {
                    throw new IllegalStateException(
                            "redis-server did not answer PING; see " + runDir.resolve("redis.log"));
                }
                Thread.sleep(20);
            }
            log("Redis ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms (pid " + started.pid() + ", port "
                    + port + ")");
            for (String id : List.of("node-a", "node-b")) {
                ServerProc node = new ServerProc(
                        Kind.HERALD,
                        id,
                        cmd("java " + serverJvm + cdsOptions() + " -jar " + heraldJar
                                + " serve --engine redis --redis redis://127.0.0.1:" + port + " --port {port} --key "
                                + key
                                + " --server-id " + id),
                        root,
                        runDir);
                nodes.add(node);
                double ms = node.start();
                log(String.format(
                        Locale.ROOT, "Herald %s ready in %.0f ms (pid %d, port %d)", id, ms, node.pid(), node.port));
            }
            results.serverCommands.put(
                    "herald cluster node",
                    String.join(" ", nodes.get(0).command)
                            .replace(key, "<generated key>")
                            .replace(root + "/", "")
                            .replace(":" + port, ":{redis port}")
                            .replace("node-a", "node-a|node-b"));
            sc.cluster(nodes.get(0), nodes.get(1), started.pid());
        } catch (Exception e) {
            log("cluster failed: " + e);
            results.notes.put("cluster/" + Kind.HERALD.id, "failed: " + e.getMessage());
        } finally {
            stopCluster();
        }
    }

    private synchronized void stopCluster() {
        for (ServerProc n : nodes) {
            if (n.process != null) {
                n.stop();
            }
        }
        nodes.clear();
        Proc.stop(redis);
        redis = null;
    }

    /** A command as the report shows it: without the generated key and this checkout's path. */
    private String shown(String command) {
        return command.replace(key, "<generated key>").replace(root + "/", "");
    }

    private void jmh() throws IOException, InterruptedException {
        Path out = runDir.resolve("jmh.json");
        List<String> cmd = cmd("java -jar " + benchJar);
        cmd.add("io.herald.bench.(auth|protocol).*");
        cmd.addAll(plan.jmhArgs);
        cmd.addAll(List.of("-rf", "json", "-rff", out.toString()));
        log("JMH: " + String.join(" ", cmd.subList(3, cmd.size())) + " (load " + Proc.loadAvg() + ")");
        String before = Proc.loadAvg();
        Process p = Proc.start(cmd, root, runDir.resolve("jmh.log"));
        p.waitFor();
        results.load.put(
                "jmh/all", before.split(" ", -1)[0] + " → " + Proc.loadAvg().split(" ", -1)[0]);
        if (!Files.exists(out)) {
            results.notes.put("jmh/all", "JMH failed; see " + runDir.resolve("jmh.log"));
            return;
        }
        for (JsonNode b : JSON.readTree(out.toFile())) {
            Results.Jmh j = new Results.Jmh();
            String name = b.get("benchmark").asText();
            j.benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            b.path("params")
                    .properties()
                    .forEach(e -> params.append(params.length() == 0 ? "" : ", ")
                            .append(e.getKey())
                            .append('=')
                            .append(e.getValue().asText()));
            j.params = params.toString();
            j.score = b.get("primaryMetric").get("score").asDouble();
            j.error = b.get("primaryMetric").path("scoreError").asDouble(Double.NaN);
            j.unit = b.get("primaryMetric").get("scoreUnit").asText();
            results.jmh.add(j);
        }
        log("JMH: " + results.jmh.size() + " results");
    }

    private synchronized void shutdown() {
        for (WorkerProc w : workers) {
            w.close();
        }
        workers.clear();
        for (ServerProc s : servers.values()) {
            if (s.process != null) {
                s.stop();
            }
        }
        stopCluster();
        Cluster3 c3 = cluster3;
        if (c3 != null) {
            c3.stop();
        }
    }

    static List<String> cmd(String line) {
        return new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
    }

    static void log(String msg) {
        System.out.println("[bench " + LocalTime.now(ZoneId.systemDefault()).withNano(0) + "] " + msg);
        System.out.flush();
    }

    private static String random(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /**
     * The JVM options that start Herald with the class-data sharing archive {@code ./herald} writes once per build
     * (as {@code ./herald serve} starts), or nothing when there is none for this jar.
     */
    private String cdsOptions() {
        try {
            if (Files.isRegularFile(cdsArchive)
                    && Files.getLastModifiedTime(cdsArchive).compareTo(Files.getLastModifiedTime(heraldJar)) > 0) {
                return " -XX:SharedArchiveFile=" + cdsArchive + " -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off";
            }
        } catch (java.io.IOException e) {
            log("no start-up archive: " + e.getMessage());
        }
        return "";
    }
}
