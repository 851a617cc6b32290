package io.herald.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Redis Cluster for tests: {@code masters} {@code redis-server --cluster-enabled yes} processes (and as many
 * replicas, one per master, when asked) on free ports of 127.0.0.1, joined by {@code redis-cli --cluster create}.
 * {@link #start} returns once every node reports {@code cluster_state:ok} and every replica is in sync with its master.
 * The cluster's node timeout is one second, so a killed master's replica takes over within a few seconds.
 * {@code redis-server} and {@code redis-cli} must be on the PATH ({@code .ci/run} installs them).
 */
public final class RedisClusterProcess implements AutoCloseable {
    private static final long NODE_TIMEOUT_MILLIS = 1_000;

    /** One {@code redis-server} of the cluster. */
    public static final class Server {
        private final int port;
        private final Path dir;
        private Process process;

        Server(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        public int port() {
            return port;
        }

        public boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** Kills the server at once (SIGKILL): it does not come back. */
        public void kill() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Runs one command and returns its reply (a status or integer line, or a bulk string's text). */
        public String command(String... args) throws IOException {
            return RedisClusterProcess.command(port, args);
        }

        /** A field of {@code INFO section}, or "" when absent. */
        public String info(String section, String field) throws IOException {
            for (String line : command("INFO", section).split("\r?\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
            return "";
        }

        @Override
        public String toString() {
            return "127.0.0.1:" + port;
        }
    }

    private final Path root;
    private final List<Server> servers = new ArrayList<>();
    private final int masters;

    private RedisClusterProcess(Path root, int masters) {
        this.root = root;
        this.masters = masters;
    }

    /** Starts {@code masters} masters, each with {@code replicasPerMaster} replicas (0 or 1). */
    public static RedisClusterProcess start(int masters, int replicasPerMaster) {
        try {
            RedisClusterProcess c =
                    new RedisClusterProcess(Files.createTempDirectory("herald-redis-cluster-"), masters);
            try {
                c.launch(masters * (1 + replicasPerMaster), replicasPerMaster);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(int count, int replicas) throws IOException {
        for (int i = 0; i < count; i++) {
            Path dir = Files.createDirectory(root.resolve("node" + i));
            Server s = new Server(RedisServerProcess.freePort(), dir);
            List<String> cmd = List.of(
                    "redis-server",
                    "--port",
                    Integer.toString(s.port),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout",
                    Long.toString(NODE_TIMEOUT_MILLIS),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    dir.toString(),
                    "--logfile",
                    dir.resolve("redis.log").toString());
            try {
                s.process = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile())
                        .start();
            } catch (IOException e) {
                throw new IOException(
                        "cannot run redis-server (install it: apt-get install redis-server; .ci/run does)", e);
            }
            servers.add(s);
        }
        for (Server s : servers) {
            await("redis-server " + s + " answers", () -> "PONG".equals(reply(s, "PING")));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (Server s : servers) {
            create.add(s.toString());
        }
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        Path out = root.resolve("create.log");
        Process p = new ProcessBuilder(create)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("redis-cli --cluster create failed: " + Files.readString(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        awaitHealthy();
    }

    /** Waits until every running node says {@code cluster_state:ok} and every running replica is in sync. */
    public void awaitHealthy() {
        for (Server s : running()) {
            await(s + " cluster_state:ok", () -> reply(s, "CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        for (Server s : running()) {
            await(s + " in sync", () -> {
                try {
                    String role = s.info("replication", "role");
                    return role.equals("master")
                            || s.info("replication", "master_link_status").equals("up");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    /** The seeds as the engine's option: {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String uri() {
        return "redis-cluster://"
                + servers.stream().limit(masters).map(Server::toString).collect(Collectors.joining(","));
    }

    public List<Server> servers() {
        return List.copyOf(servers);
    }

    public List<Server> running() {
        return servers.stream().filter(Server::isRunning).toList();
    }

    /** The running server that is master of {@code slot}, as that server itself says. */
    public Server masterOf(int slot) {
        for (Server s : running()) {
            try {
                if (s.info("replication", "role").equals("master") && ownsSlot(s, slot)) {
                    return s;
                }
            } catch (IOException e) {
                // a dying node: not the master
            }
        }
        throw new IllegalStateException("no running master serves slot " + slot);
    }

    private static boolean ownsSlot(Server s, int slot) throws IOException {
        // CLUSTER NODES: the line flagged myself lists its slot ranges from the 9th field on
        for (String line : s.command("CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[2].contains("myself")) {
                for (int i = 8; i < f.length; i++) {
                    String range = f[i];
                    if (range.startsWith("[")) {
                        continue; // a slot being migrated
                    }
                    int dash = range.indexOf('-');
                    int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                    int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                    if (slot >= from && slot <= to) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The replica of {@code master} (by its own {@code INFO replication}). */
    public Server replicaOf(Server master) {
        for (Server s : running()) {
            try {
                if (s.info("replication", "role").equals("slave")
                        && s.info("replication", "master_port").equals(Integer.toString(master.port))) {
                    return s;
                }
            } catch (IOException e) {
                // not a replica we can ask
            }
        }
        throw new IllegalStateException("no replica of " + master);
    }

    private static String reply(Server s, String... args) {
        try {
            return s.command(args);
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls {@code condition} every 25 ms for up to 30 s (the cluster's own state: nothing to subscribe to). */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String command(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(5_000);
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** One reply: a status or error line, an integer as {@code :n}, a bulk string's text, an array's items by line. */
    private static String read(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        String l = line.toString();
        if (l.startsWith("$") && !l.equals("$-1")) {
            byte[] body = in.readNBytes(Integer.parseInt(l.substring(1)) + 2);
            return new String(body, 0, body.length - 2, StandardCharsets.UTF_8);
        }
        if (l.startsWith("*") && !l.equals("*-1")) {
            List<String> items = new ArrayList<>();
            for (int i = Integer.parseInt(l.substring(1)); i > 0; i--) {
                items.add(read(in));
            }
            return String.join("\n", items);
        }
        return l.startsWith("+") ? l.substring(1) : l;
    }

    @Override
    public void close() {
        for (Server s : servers) {
            s.kill();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
