package io.herald.bench.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A load generator process ({@link io.herald.bench.load.Worker}) and its one-line command protocol. */
final class WorkerProc implements AutoCloseable {
    final String name;
    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    WorkerProc(String name, List<String> javaCommand, Path log) throws IOException {
        this.name = name;
        List<String> cmd = new ArrayList<>(javaCommand);
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String hello = out.readLine();
        if (hello == null || !hello.startsWith("OK ready")) {
            throw new IOException("worker " + name + " did not start: " + hello + "; see " + log);
        }
    }

    long pid() {
        return process.pid();
    }

    double cpuSeconds() {
        return Proc.cpuSeconds(pid());
    }

    /** Sends a command without waiting for the answer. */
    synchronized void send(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
    }

    /** Reads the answer to the last command sent; throws on {@code ERR}. */
    Map<String, String> answer() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("worker " + name + " exited");
        }
        if (!line.startsWith("OK")) {
            throw new IOException("worker " + name + ": " + line);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.substring(2).trim().split(" ", -1)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    Map<String, String> call(String command) throws IOException {
        send(command);
        return answer();
    }

    CompletableFuture<Map<String, String>> callAsync(String command) throws IOException {
        send(command);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return answer();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Override
    public void close() {
        try {
            send("quit");
            answer();
        } catch (IOException e) {
            // already gone
        }
        Proc.stop(process);
    }
}
