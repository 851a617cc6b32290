package io.herald.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, on a free port of 127.0.0.1 with its own directory: no snapshots while it
 * runs, but {@link #stop()} saves one (SHUTDOWN SAVE) and {@link #restart()} loads it, like a Redis restarted with
 * persistence; {@link #kill()} loses everything. {@link #startWithAof(String)} runs it with the append-only file
 * instead, which {@link #crash()} (SIGKILL, nothing saved) leaves as the only copy of the data. {@code redis-server}
 * must be on the PATH ({@code .ci/run} installs it).
 */
public final class RedisServerProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    /** The persistence settings: no snapshots and no AOF, or AOF with an appendfsync policy. */
    private final List<String> persistence;

    private Process process;

    private RedisServerProcess(int port, Path dir, List<String> persistence) {
        this.port = port;
        this.dir = dir;
        this.persistence = persistence;
    }

    public static RedisServerProcess start() {
        return start(List.of("--save", "", "--appendonly", "no"));
    }

    /**
     * Redis with the append-only file on ({@code --appendonly yes --appendfsync POLICY}) and no RDB snapshots, so
     * after {@link #crash()} and {@link #restart()} everything it has comes from the AOF.
     */
    public static RedisServerProcess startWithAof(String appendfsync) {
        return start(List.of("--save", "", "--appendonly", "yes", "--appendfsync", appendfsync));
    }

    private static RedisServerProcess start(List<String> persistence) {
        try {
            Path dir = Files.createTempDirectory("herald-redis-");
            RedisServerProcess r = new RedisServerProcess(freePort(), dir, persistence);
            r.launch();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private synchronized void launch() throws IOException {
        List<String> cmd =
                new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1"));
        cmd.addAll(persistence);
        cmd.addAll(List.of(
                "--dir",
                dir.toString(),
                "--dbfilename",
                "dump.rdb",
                "--logfile",
                dir.resolve("redis.log").toString()));
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run redis-server (install it: apt-get install redis-server; .ci/run does)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server did not start on port " + port + ": "
                        + Files.readString(dir.resolve("stdout.log")) + tail());
            }
            sleep(25);
        }
    }

    private String tail() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs one command over a fresh connection and returns its reply line ({@code +OK}, {@code :1}, ...). */
    public String command(String... args) throws IOException {
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
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
                int len = Integer.parseInt(line.substring(1));
                byte[] body = in.readNBytes(len);
                return new String(body, StandardCharsets.UTF_8);
            }
            return line.toString();
        }
    }

    /** Stops Redis, saving its data first, as an orderly shutdown of a Redis with persistence does. */
    public synchronized void stop() {
        try {
            command("SHUTDOWN", "SAVE");
        } catch (IOException e) {
            // the connection closes as Redis exits
        }
        waitForExit();
    }

    /** Kills Redis at once: its data is lost (the next {@link #restart} starts empty). */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
            try {
                Files.deleteIfExists(dir.resolve("dump.rdb"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Kills Redis with SIGKILL and leaves its directory as it is: what comes back on {@link #restart} is what its
     * persistence had written (with {@link #startWithAof} the AOF; with {@link #start} nothing).
     */
    public synchronized void crash() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** The server's directory (its AOF directory, RDB file and logs). */
    public Path dir() {
        return dir;
    }

    /** Starts Redis again on the same port and directory, with the data {@link #stop} saved or its AOF holds. */
    public synchronized void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
