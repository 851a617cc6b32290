package io.herald.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Herald node: {@code java -jar target/herald.jar serve --engine redis ...} in its own process, so it can be
 * killed (SIGKILL, nothing graceful) like a crashed machine. Its output goes to {@code target/cluster-logs/ID.log}.
 */
final class HeraldProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String id;
    final int port;
    private final Process process;
    private final Path log;

    private HeraldProcess(String id, int port, Process process, Path log) {
        this.id = id;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a node and waits until {@code /health/ready} says ready. */
    static HeraldProcess start(String id, int port, String redisUri, Path config) throws IOException {
        Path jar = Paths.get("target", "herald.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        Path logs = Files.createDirectories(Paths.get("target", "cluster-logs"));
        Path log = logs.resolve(id + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "serve", "--config", config.toString(), "--engine", "redis",
                "--redis", redisUri, "--port", Integer.toString(port), "--host", "127.0.0.1", "--server-id", id));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HeraldProcess node = new HeraldProcess(id, port, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.readyStatus() != 200) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                node.close();
                throw new IllegalStateException("node " + id + " did not become ready:\n" + Files.readString(log));
            }
            sleep(100);
        }
        return node;
    }

    /** {@code GET /health/ready}: 200 when ready, 503 when not, -1 when the node does not answer. */
    int readyStatus() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Kills the node at once (SIGKILL): no goodbye to clients, no presence leaves, no cleanup. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
