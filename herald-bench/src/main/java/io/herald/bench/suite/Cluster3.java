package io.herald.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code cluster3} scenario's servers: a Redis Cluster of three masters (no replicas, no persistence; {@code
 * redis-server --cluster-enabled yes} and {@code redis-cli --cluster create}) and two Herald nodes on it with
 * {@code --redis redis-cluster://...}, the same flags as the single-Redis {@code cluster} scenario's nodes.
 */
final class Cluster3 {
    private static final int MASTERS = 3;

    private final Results results;
    private final Path runDir;
    private final List<Process> redis = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<ServerProc> nodes = new ArrayList<>();

    Cluster3(Results results, Path runDir) {
        this.results = results;
        this.runDir = runDir;
    }

    /**
     * Starts everything, runs the scenario and stops everything. {@code serve} is the Herald command line with
     * {@code {redis}} for the cluster URI, {@code {id}} for the server id and {@code {port}} for the port.
     */
    void run(Scenarios sc, String serve, String shownServe, Path root) {
        try {
            for (int i = 0; i < MASTERS; i++) {
                int port = ServerProc.freePort();
                Path dir = Files.createDirectories(runDir.resolve("redis-cluster-" + i));
                ports.add(port);
                redis.add(Proc.start(
                        List.of(
                                "redis-server",
                                "--port",
                                String.valueOf(port),
                                "--bind",
                                "127.0.0.1",
                                "--cluster-enabled",
                                "yes",
                                "--cluster-config-file",
                                dir.resolve("nodes.conf").toString(),
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--dir",
                                dir.toString()),
                        runDir,
                        dir.resolve("redis.log")));
            }
            long t0 = System.nanoTime();
            for (int port : ports) {
                awaitReply(port, t0, "PONG", "PING");
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = Proc.start(create, runDir, runDir.resolve("redis-cluster-create.log"));
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        "redis-cli --cluster create failed; see " + runDir.resolve("redis-cluster-create.log"));
            }
            for (int port : ports) {
                awaitReply(port, t0, "cluster_state:ok", "CLUSTER", "INFO");
            }
            Suite.log("Redis Cluster of " + MASTERS + " masters ready in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms (ports " + ports + ")");
            results.serverCommands.put(
                    "redis cluster",
                    "redis-server --port {port} --bind 127.0.0.1 --cluster-enabled yes --save '' --appendonly no"
                            + " (×3), redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes");
            StringBuilder uri = new StringBuilder("redis-cluster://");
            for (int i = 0; i < ports.size(); i++) {
                uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
            }
            for (String id : List.of("node-a", "node-b")) {
                ServerProc node = new ServerProc(
                        Kind.HERALD, id, Suite.cmd(serve.replace("{redis}", uri).replace("{id}", id)), root, runDir);
                nodes.add(node);
                double ms = node.start();
                Suite.log(String.format(
                        Locale.ROOT, "Herald %s on Redis Cluster ready in %.0f ms (port %d)", id, ms, node.port));
            }
            results.serverCommands.put(
                    "herald cluster3 node",
                    shownServe
                            .replace("{redis}", "redis-cluster://127.0.0.1:{p1},127.0.0.1:{p2},127.0.0.1:{p3}")
                            .replace("{id}", "node-a|node-b"));
            List<Long> pids = new ArrayList<>();
            redis.forEach(r -> pids.add(r.pid()));
            sc.cluster3(nodes.get(0), nodes.get(1), pids);
        } catch (Exception e) {
            Suite.log("cluster3 failed: " + e);
            results.notes.put("cluster3/" + Kind.HERALD.id, "failed: " + e.getMessage());
        } finally {
            stop();
        }
    }

    synchronized void stop() {
        for (ServerProc n : nodes) {
            if (n.process != null) {
                n.stop();
            }
        }
        nodes.clear();
        redis.forEach(Proc::stop);
        redis.clear();
    }

    /** Polls a command until its reply contains {@code expected} (a server starting: nothing to wait on). */
    private static void awaitReply(int port, long t0, String expected, String... command) throws InterruptedException {
        while (!reply(port, command).contains(expected)) {
            if (System.nanoTime() - t0 > 60_000_000_000L) {
                throw new IllegalStateException(
                        "redis on port " + port + " did not answer " + expected + " to " + String.join(" ", command));
            }
            Thread.sleep(20);
        }
    }

    private static String reply(int port, String... command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 1000);
            s.setSoTimeout(2000);
            StringBuilder sb = new StringBuilder("*").append(command.length).append("\r\n");
            for (String a : command) {
                sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
