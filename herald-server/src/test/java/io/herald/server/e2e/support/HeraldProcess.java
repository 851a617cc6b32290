package io.herald.server.e2e.support;

import io.herald.core.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Herald node: {@code java -jar target/herald.jar serve ...} in its own process, so it can be killed (SIGKILL,
 * nothing graceful) like a crashed machine, and started again on the same port so clients find it. Its output goes
 * to {@code target/LOGDIR/ID.log}. The in-process server for most tests is {@link TestServer}.
 */
public final class HeraldProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY = Duration.ofSeconds(60);

    public final String id;
    public final int port;
    private final Process process;
    private final Path log;

    private HeraldProcess(String id, int port, Process process, Path log) {
        this.id = id;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** A node of a cluster on Redis, with server id {@code id}; logs in {@code target/cluster-logs}. */
    public static HeraldProcess redis(String id, int port, String redisUri, Path config) throws IOException {
        return start(
                id,
                port,
                "cluster-logs",
                List.of("--config", config.toString(), "--engine", "redis", "--redis", redisUri, "--server-id", id));
    }

    /** A node of the disk engine on {@code dataDir}; logs in {@code target/durability-logs}. */
    public static HeraldProcess disk(String name, int port, Path config, Path dataDir, String... extra)
            throws IOException {
        List<String> args = new ArrayList<>(
                List.of("--config", config.toString(), "--engine", "disk", "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        return start(name, port, "durability-logs", args);
    }

    /** Starts {@code serve} with {@code args} on 127.0.0.1:port and waits until {@code /health/ready} answers 200. */
    public static HeraldProcess start(String id, int port, String logDir, List<String> args) throws IOException {
        Path jar = Path.of("target", "herald.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        Path log = Files.createDirectories(Path.of("target", logDir)).resolve(id + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "serve"));
        cmd.addAll(args);
        cmd.addAll(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        HeraldProcess node = new HeraldProcess(id, port, p, log);
        try {
            // polling a process we cannot be called back from; a node that exits stops the wait at once
            Eventually.await("node " + id + " ready", READY, () -> node.readyStatus() == 200 || !p.isAlive());
        } catch (AssertionError e) {
            node.close();
            throw new IllegalStateException("node " + id + " did not become ready:\n" + node.log(), e);
        }
        if (!p.isAlive()) {
            throw new IllegalStateException("node " + id + " exited:\n" + node.log());
        }
        return node;
    }

    /** A port free at the moment, for a node that must come back on the same port. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /health/ready}: 200 when ready, 503 when not, -1 when the node does not answer. */
    public int readyStatus() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri("/health/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The node's process id, e.g. to send it a signal. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the node at once (SIGKILL): no goodbye to clients, no presence leaves, no drain, no flush. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
