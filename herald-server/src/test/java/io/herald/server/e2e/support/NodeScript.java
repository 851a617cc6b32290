package io.herald.server.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs an ably-js scenario from {@code herald-server/src/test/node} in a {@code node} subprocess with
 * {@code NODE_PATH=<repo>/testing/node/node_modules}. The input goes as one JSON line on stdin; the script answers
 * with {@code @@{json}} event lines on stdout (see {@code lib.js}); stderr (ably-js logs, notes) is kept for
 * diagnostics. Interactive scenarios exchange further events and commands while running.
 */
public final class NodeScript implements AutoCloseable {
    /**
     * How long to wait for a script's first event (node start-up, connect, attach): generous, because on a loaded
     * 2-core CI machine several node processes may be starting at once.
     */
    public static final Duration STARTUP = Duration.ofSeconds(30);

    private static final Path ROOT = findRoot();
    private static final JsonNode EOF = Json.object().put("event", "eof");

    private final String script;
    private final Process process;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final List<JsonNode> seen = new ArrayList<>();

    private NodeScript(String script, Object input) {
        this.script = script;
        Path modules = ROOT.resolve("testing/node/node_modules");
        if (!Files.isDirectory(modules.resolve("ably"))) {
            throw new AssertionError("ably-js is not installed in " + modules + ": run testing/install-node-deps.sh");
        }
        Path file = ROOT.resolve("herald-server/src/test/node").resolve(script);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no node script " + file);
        }
        ProcessBuilder pb = new ProcessBuilder("node", file.toString());
        pb.environment().put("NODE_PATH", modules.toString());
        pb.directory(file.getParent().toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start node (is it on the PATH?): " + e, e);
        }
        stdin = process.getOutputStream();
        Thread out = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.startsWith("@@")) {
                                events.add(Json.parse(line.substring(2)));
                            } else {
                                keepStderr("[stdout] " + line);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        keepStderr("[stdout reader] " + e);
                    } finally {
                        events.add(EOF);
                    }
                },
                "node-stdout-" + script);
        Thread err = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            keepStderr(line);
                        }
                    } catch (IOException e) {
                        keepStderr("[stderr reader] " + e);
                    }
                },
                "node-stderr-" + script);
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        send(input);
    }

    private void keepStderr(String line) {
        synchronized (stderr) {
            stderr.addLast(line);
            while (stderr.size() > 300) {
                stderr.removeFirst();
            }
        }
    }

    /** Starts {@code script} with {@code input} (serialised as JSON). */
    public static NodeScript start(String script, Object input) {
        return new NodeScript(script, input);
    }

    /** Runs a non-interactive scenario to its end and returns its result value. */
    public static JsonNode run(String script, Object input, Duration timeout) {
        try (NodeScript s = start(script, input)) {
            return s.result(timeout);
        }
    }

    /** Sends one command line to the script. */
    public void send(Object command) {
        try {
            stdin.write((Json.write(command) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to " + script + " (exited?): " + e + diagnostics(), e);
        }
    }

    /** The next event named {@code name}; fails on an "error" event, the end of the script, or the timeout. */
    public JsonNode await(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
            if (e == null) {
                throw new AssertionError(script + ": no '" + name + "' event within " + timeout + diagnostics());
            }
            seen.add(e);
            String ev = e.path("event").asText();
            if (ev.equals(name)) {
                return e;
            }
            if (ev.equals("error")) {
                throw new AssertionError(
                        script + " failed: " + e.path("message").asText() + "\nerror: " + e.path("error") + "\nstack: "
                                + e.path("stack").asText() + diagnostics());
            }
            if (e == EOF) {
                events.add(EOF);
                throw new AssertionError(script + " ended before '" + name + "'" + diagnostics());
            }
        }
    }

    /** Waits for the "result" event and a clean exit; returns the result's {@code value}. */
    public JsonNode result(Duration timeout) {
        JsonNode r = await("result", timeout).path("value");
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                throw new AssertionError(script + " did not exit after its result" + diagnostics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(script + " exited with " + process.exitValue() + diagnostics());
        }
        return r;
    }

    /** Every event read so far and the last stderr lines, for failure messages. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("\n--- events of ")
                .append(script)
                .append(": ")
                .append(seen);
        sb.append("\n--- last stderr lines of ").append(script).append(":\n");
        synchronized (stderr) {
            stderr.forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        return sb.toString();
    }

    private static Path findRoot() {
        String mm = System.getProperty("maven.multiModuleProjectDirectory");
        if (mm != null && Files.isDirectory(Paths.get(mm, "testing", "node"))) {
            return Paths.get(mm).toAbsolutePath();
        }
        Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("testing/node")) && Files.isDirectory(p.resolve("herald-server"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new AssertionError("cannot find the repository root (a directory with testing/node) above "
                + System.getProperty("user.dir"));
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
