package io.herald.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Processes the suite starts, and what Linux says about them (/proc). */
final class Proc {
    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ; 100 on Linux/x86). */
    static final double TICKS = 100.0;

    private Proc() {}

    static Process start(List<String> cmd, @Nullable Path dir, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return pb.start();
    }

    static void stop(@Nullable Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** User + system CPU seconds the process has used, or NaN when /proc cannot tell. */
    static double cpuSeconds(long pid) {
        double[] c = cpu(pid);
        return c[0] + c[1];
    }

    /** {user, system} CPU seconds the process has used (NaN when /proc cannot tell). */
    static double[] cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            return new double[] {Long.parseLong(f[11]) / TICKS, Long.parseLong(f[12]) / TICKS};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /**
     * How many methods the JVM {@code pid} has compiled so far ({@code jstat -compiler}, the JIT's own counter), or
     * -1 when that cannot be read (not a JVM, or no performance data).
     */
    static long jitCompiled(long pid) {
        try {
            String[] lines =
                    run(List.of("jstat", "-compiler", String.valueOf(pid)), 30).split("\n", -1);
            return lines.length < 2 ? -1 : Long.parseLong(lines[1].trim().split("\\s+", -1)[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Resident set size in bytes (VmRSS), or -1. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** The 1, 5 and 15 minute load averages as printed by /proc/loadavg. */
    static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static double load1() {
        try {
            return Double.parseDouble(loadAvg().split(" ", -1)[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Runs a command to completion and returns its output (stdout and stderr). */
    static String run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** GET on 127.0.0.1; the status and body, or null if nothing answers. Plain socket: no client to warm up. */
    static String @Nullable [] get(int port, String path, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(loopback(port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int sp = resp.indexOf(' ');
            String status = resp.substring(sp + 1, sp + 4);
            int body = resp.indexOf("\r\n\r\n");
            return new String[] {status, body < 0 ? "" : resp.substring(body + 4)};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether a Redis on 127.0.0.1:port answers PING. */
    static boolean redisPing(int port) {
        try (Socket s = new Socket()) {
            s.connect(loopback(port), 1000);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[7];
            int n = s.getInputStream().read(answer);
            return n > 0 && new String(answer, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** 127.0.0.1 itself, where the servers listen: not whichever address a host name resolves to first. */
    private static InetSocketAddress loopback(int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
