package io.herald.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Where a JFR recording says the time went: the top frames of {@code jdk.ExecutionSample} by self and by inclusive
 * samples, self samples by layer (Herald's packages, Netty, the codecs, Lettuce, the JDK), native samples (threads in
 * syscalls such as epoll_wait or writev), GC pauses and the biggest allocation sites. What {@code jfr print --events
 * jdk.ExecutionSample} shows, counted.
 */
final class JfrSummary {
    public long samples;
    public long nativeSamples;
    public long gcCount;
    public double gcPauseMs;
    public double gcLongestMs;
    public double seconds;
    public final Map<String, Long> self = new LinkedHashMap<>();
    public final Map<String, Long> inclusive = new LinkedHashMap<>();
    public final Map<String, Long> layers = new LinkedHashMap<>();
    public final Map<String, Long> nativeTop = new LinkedHashMap<>();
    public final Map<String, Long> allocation = new LinkedHashMap<>();
    public final Map<String, Long> threads = new LinkedHashMap<>();
    public String file = "";
    /** What was running while it recorded. */
    public @Nullable String context;

    static JfrSummary read(Path file) throws IOException {
        JfrSummary s = new JfrSummary();
        s.file = file.getFileName().toString();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> incl = new HashMap<>();
        Map<String, Long> layers = new HashMap<>();
        Map<String, Long> nat = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    long t = e.getStartTime().toEpochMilli();
                    first = Math.min(first, t);
                    last = Math.max(last, t);
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    s.samples++;
                    String thread = e.getThread("sampledThread") == null
                            ? "?"
                            : e.getThread("sampledThread").getJavaName();
                    threads.merge(threadGroup(thread), 1L, Long::sum);
                    List<RecordedFrame> frames = st.getFrames();
                    String top = name(frames.get(0));
                    self.merge(top, 1L, Long::sum);
                    layers.merge(layer(frames), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (seen.add(n)) {
                            incl.merge(n, 1L, Long::sum);
                        }
                    }
                }
                case "jdk.NativeMethodSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    s.nativeSamples++;
                    if (st != null && !st.getFrames().isEmpty()) {
                        nat.merge(name(st.getFrames().get(0)), 1L, Long::sum);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    s.gcCount++;
                    double ms = e.getDuration("sumOfPauses").toNanos() / 1e6;
                    s.gcPauseMs += ms;
                    s.gcLongestMs = Math.max(
                            s.gcLongestMs, e.getDuration("longestPause").toNanos() / 1e6);
                }
                case "jdk.ObjectAllocationSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null && !st.getFrames().isEmpty()) {
                        String site = firstOwnFrame(st.getFrames());
                        String cls = e.getClass("objectClass") == null
                                ? "?"
                                : e.getClass("objectClass").getName();
                        alloc.merge(simple(cls) + " at " + site, e.getLong("weight"), Long::sum);
                    }
                }
                default -> {}
            }
        }
        s.seconds = first == Long.MAX_VALUE ? 0 : (last - first) / 1000.0;
        top(self, 15, s.self);
        top(incl, 120, s.inclusive);
        top(layers, 12, s.layers);
        top(nat, 6, s.nativeTop);
        top(alloc, 10, s.allocation);
        top(threads, 6, s.threads);
        return s;
    }

    /** Prints the summary of a recording: {@code java -cp herald-bench.jar io.herald.bench.suite.JfrSummary FILE.jfr}. */
    public static void main(String[] args) throws IOException {
        JfrSummary s = read(Path.of(args[0]));
        System.out.printf(
                "%d execution samples, %d native samples over %.1f s; %d GCs, %.1f ms pauses (longest %.1f ms)%n",
                s.samples, s.nativeSamples, s.seconds, s.gcCount, s.gcPauseMs, s.gcLongestMs);
        print("threads", s.threads, s.samples);
        print("layers (self)", s.layers, s.samples);
        print("top frames (self)", s.self, s.samples);
        print("inclusive", s.inclusive, s.samples);
        print("native (top frame)", s.nativeTop, s.nativeSamples);
        print("allocation (sampled bytes)", s.allocation, 0);
    }

    private static void print(String title, Map<String, Long> m, long total) {
        System.out.println("-- " + title);
        m.forEach((k, v) -> System.out.println(
                total > 0 ? String.format("%6.1f%%  %s", 100.0 * v / total, k) : String.format("%,14d  %s", v, k)));
    }

    /** Self samples of a stack, charged to the innermost frame that names a layer we care about. */
    private static String layer(List<RecordedFrame> frames) {
        String top = frames.get(0).getMethod().getType().getName();
        if (top.startsWith("io.herald.")) {
            return herald(top);
        }
        if (top.startsWith("io.netty.")) {
            return "Netty (" + nettyPart(top) + ")";
        }
        if (top.startsWith("com.fasterxml.jackson.") || top.startsWith("org.msgpack.")) {
            return "Jackson / msgpack (codec internals)";
        }
        if (top.startsWith("io.lettuce.")) {
            return "Lettuce (Redis client)";
        }
        // JDK code: charge it to the first caller outside the JDK, so e.g. HashMap work in the hub counts as the hub's
        for (RecordedFrame f : frames) {
            String c = f.getMethod().getType().getName();
            if (c.startsWith("io.herald.")) {
                return "JDK called from " + herald(c);
            }
            if (c.startsWith("io.netty.")) {
                return "JDK called from Netty";
            }
            if (c.startsWith("com.fasterxml.jackson.") || c.startsWith("org.msgpack.")) {
                return "JDK called from Jackson / msgpack";
            }
            if (c.startsWith("io.lettuce.")) {
                return "JDK called from Lettuce";
            }
        }
        return "JDK / other";
    }

    private static String herald(String cls) {
        String[] p = cls.split("\\.", -1);
        return "Herald "
                + (p.length > 3 ? p[2] + (p[2].equals("core") || p[2].equals("server") ? "." + p[3] : "") : cls);
    }

    private static String nettyPart(String cls) {
        if (cls.contains(".websocketx.")) {
            return "WebSocket codec";
        }
        if (cls.contains(".codec.http.")) {
            return "HTTP codec";
        }
        if (cls.startsWith("io.netty.buffer.")) {
            return "buffers";
        }
        if (cls.contains(".epoll.") || cls.contains(".unix.")) {
            return "epoll transport";
        }
        if (cls.startsWith("io.netty.channel.")) {
            return "pipeline";
        }
        if (cls.startsWith("io.netty.util.concurrent.")) {
            return "event loop tasks";
        }
        return "other";
    }

    private static String firstOwnFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String c = f.getMethod().getType().getName();
            if (c.startsWith("io.herald.") || c.startsWith("io.netty.")) {
                return name(f);
            }
        }
        return name(frames.get(0));
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return simple(m.getType().getName()) + "." + m.getName();
    }

    /**
     * {@code io.herald.core.hub.Hub} becomes {@code core.hub.Hub}, {@code io.lettuce.core.protocol.CommandHandler}
     * {@code lettuce.protocol.CommandHandler} (not to be taken for Herald's); other packages keep their last segment.
     */
    private static String simple(String cls) {
        if (cls.startsWith("io.herald.")) {
            return cls.substring("io.herald.".length());
        }
        if (cls.startsWith("io.lettuce.core.")) {
            return "lettuce." + cls.substring("io.lettuce.core.".length());
        }
        int dot = cls.lastIndexOf('.');
        int prev = dot > 0 ? cls.lastIndexOf('.', dot - 1) : -1;
        return prev >= 0 ? cls.substring(prev + 1) : cls;
    }

    private static String threadGroup(String name) {
        return name.replaceAll("-?\\d+$", "").replaceAll("-\\d+-", "-N-");
    }

    private static void top(Map<String, Long> from, int n, Map<String, Long> into) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(from.entrySet());
        list.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(n, list.size()); i++) {
            into.put(list.get(i).getKey(), list.get(i).getValue());
        }
    }
}
