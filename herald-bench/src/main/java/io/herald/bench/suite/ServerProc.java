package io.herald.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A server under test, started as its own process: Herald ({@code java -jar herald.jar serve}), the Socket.IO peer
 * ({@code node server.js}) or the bare Netty reference. Knows how to wait for readiness, read its memory after a GC
 * and start/stop a JFR recording.
 */
final class ServerProc {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Kind kind;
    /** Names the log files ({@code NAME-N.log}) and the messages: the kind's id, or a cluster node's. */
    final String name;

    final List<String> command;
    final Path dir;
    final Path logDir;
    int port;
    /** The running process; null before the first {@link #start()}. */
    @Nullable
    Process process;

    int starts;
    /** CPU seconds (all threads) the process had used when it first answered ready. */
    double startCpuSeconds;

    ServerProc(Kind kind, List<String> command, Path dir, Path logDir) {
        this(kind, kind.id, command, dir, logDir);
    }

    ServerProc(Kind kind, String name, List<String> command, Path dir, Path logDir) {
        this.kind = kind;
        this.name = name;
        this.command = command;
        this.dir = dir;
        this.logDir = logDir;
    }

    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /**
     * This server as started for the start-up figure: the same command without {@value #PRE_TOUCH} (touching a whole
     * 1 GiB heap before {@code main} took about 2 s here, the JVM's time rather than the server's, the same for both
     * JVM servers), logging to {@code NAME-start-N.log}; this server itself when it has no such flag.
     */
    ServerProc forStartTiming() {
        if (!command.contains(PRE_TOUCH)) {
            return this;
        }
        List<String> plain = command.stream().filter(a -> !a.equals(PRE_TOUCH)).toList();
        return new ServerProc(kind, name + "-start", plain, dir, logDir);
    }

    String label() {
        return name.equals(kind.id) ? kind.label : "Herald " + name;
    }

    long pid() {
        return Objects.requireNonNull(process, () -> label() + " was never started")
                .pid();
    }

    /** Starts the process on a free port and returns milliseconds from spawn to the first 200 of /health/ready. */
    double start() throws IOException, InterruptedException {
        port = freePort();
        List<String> cmd = command.stream()
                .map(s -> s.replace("{port}", String.valueOf(port)))
                .toList();
        starts++;
        long t0 = System.nanoTime();
        Process started = Proc.start(cmd, dir, logDir.resolve(name + "-" + starts + ".log"));
        process = started;
        while (true) {
            String[] r = Proc.get(port, "/health/ready", 1000);
            if (r != null && r[0].equals("200")) {
                double ms = (System.nanoTime() - t0) / 1e6;
                startCpuSeconds = cpuSeconds();
                return ms;
            }
            if (!started.isAlive()) {
                throw new IllegalStateException(label() + " exited during start-up (exit " + started.exitValue()
                        + "); see " + logDir.resolve(name + "-" + starts + ".log"));
            }
            if (System.nanoTime() - t0 > 120_000_000_000L) {
                throw new IllegalStateException(label() + " was not ready within 120 s");
            }
            Thread.sleep(5);
        }
    }

    void stop() {
        Proc.stop(process);
    }

    double cpuSeconds() {
        return Proc.cpuSeconds(pid());
    }

    /**
     * Live heap after a full GC and RSS, in bytes; for the JVM servers also the live bytes per class (from
     * {@code jcmd GC.class_histogram}, which collects first).
     */
    Memory memory() throws IOException, InterruptedException {
        Memory m = new Memory();
        if (kind == Kind.SIO) {
            String[] r = Proc.get(port, "/stats", 30_000);
            if (r == null) {
                throw new IOException("no answer from the Socket.IO peer's /stats");
            }
            JsonNode n = JSON.readTree(r[1]);
            m.heap = n.get("heapUsed").asLong();
            m.rss = Proc.rssBytes(pid());
            return m;
        }
        String out = Proc.run(List.of("jcmd", String.valueOf(pid()), "GC.class_histogram"), 120);
        for (String line : out.split("\n", -1)) {
            String[] f = line.trim().split("\\s+", -1);
            if (f.length >= 4 && f[0].endsWith(":") && f[0].matches("\\d+:")) {
                m.classes.merge(f[3], Long.parseLong(f[2]), Long::sum);
            } else if (f.length >= 3 && f[0].equals("Total")) {
                m.heap = Long.parseLong(f[2]);
            }
        }
        if (m.heap <= 0) {
            throw new IOException("could not read the class histogram of " + kind.label + ": "
                    + out.lines().limit(3).toList());
        }
        m.rss = Proc.rssBytes(pid());
        return m;
    }

    /**
     * Starts a JFR recording with the JDK's {@code profile} settings, Java stacks sampled every 2 ms instead of 10 ms
     * (short runs need the samples), then lets JFR's own start-up work settle for a second.
     */
    void jfrStart(String name, Path file) throws IOException, InterruptedException {
        Path settings = file.resolveSibling("profile-2ms.jfc");
        if (!Files.exists(settings)) {
            Path jdk = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
            String jfc = Files.readString(jdk)
                    .replace(
                            "<setting name=\"period\" control=\"method-sampling-java-interval\">10 ms</setting>",
                            "<setting name=\"period\" control=\"method-sampling-java-interval\">2 ms</setting>");
            Files.writeString(settings, jfc);
        }
        Proc.run(
                List.of(
                        "jcmd",
                        String.valueOf(pid()),
                        "JFR.start",
                        "name=" + name,
                        "settings=" + settings.toAbsolutePath(),
                        "filename=" + file.toAbsolutePath()),
                60);
        Thread.sleep(1000);
    }

    void jfrStop(String name) throws IOException, InterruptedException {
        Proc.run(List.of("jcmd", String.valueOf(pid()), "JFR.stop", "name=" + name), 60);
    }

    static final class Memory {
        long heap;
        long rss;
        final Map<String, Long> classes = new LinkedHashMap<>();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
