package io.herald.bench.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a run measured; written as JSON next to the logs and rendered into docs/benchmarks.md. The strings a run
 * always fills start empty rather than null; what a run may leave unmeasured is {@code @Nullable}.
 */
final class Results {
    public String date = "";
    public String command = "";
    public String mode = "";
    /** The scenarios this run measured ({@code --only}). */
    public List<String> scenarios = new ArrayList<>();

    public double targetP99Ms;
    public Map<String, String> machine = new LinkedHashMap<>();
    public Map<String, String> serverCommands = new LinkedHashMap<>();
    public String workerCommand = "";
    public Map<String, Object> sizes = new LinkedHashMap<>();
    /** Milliseconds from process start to the first 200 of /health/ready, per server id. */
    public Map<String, List<Double>> startMs = new LinkedHashMap<>();
    /** CPU milliseconds (all threads) used by then: less sensitive to a busy machine than the wall time. */
    public Map<String, List<Double>> startCpuMs = new LinkedHashMap<>();

    public Map<String, Rate> fanout = new LinkedHashMap<>();
    public Map<String, Rate> many = new LinkedHashMap<>();
    public Map<String, Idle> idle = new LinkedHashMap<>();
    public Map<String, Http> token = new LinkedHashMap<>();
    public Map<String, Storm> reauth = new LinkedHashMap<>();
    /** Across two Herald nodes on one Redis: "channels" (one subscriber and one publisher each) and "fanout". */
    public Map<String, Rate> cluster = new LinkedHashMap<>();
    /**
     * Publishing to persisted channels, per engine setting ({@link Persisted#VARIANTS}: "memory", "disk-always", ...);
     * the steps' latency is publish-to-ACK and their "deliveries" are acknowledged publishes.
     */
    public Map<String, Rate> persisted = new LinkedHashMap<>();
    /** The cross-node aim: this many msg/s through one Redis with p99 under {@link #clusterP99Ms}. */
    public double clusterAimRate;

    public double clusterP99Ms;
    /** "scenario/server" to "load1 before -> after". */
    public Map<String, String> load = new LinkedHashMap<>();
    /** "scenario/server" to why the scenario does not apply or failed. */
    public Map<String, String> notes = new LinkedHashMap<>();

    public List<Jmh> jmh = new ArrayList<>();
    public Map<String, JfrSummary> profiles = new LinkedHashMap<>();
    public double totalSeconds;

    static final class Step {
        public double rate;
        public double seconds;
        public long sent;
        public long expected;
        public long received;
        public long nacks;
        public long errors;
        public double windowSeconds;
        public double p50ms;
        public double p99ms;
        public double p999ms;
        public double maxms;
        public double serverCores;
        /** Share of the server's CPU time spent in the kernel (system time). */
        public double serverSysShare;

        public double clientCores;
        /** Cores per process when the server is several (both cluster nodes and Redis); null for one server. */
        public @Nullable Map<String, Double> processCores;
        /** p99 within the target and nothing lost. */
        public boolean ok;
        /** Everything delivered, no NACK or error, the generator kept its schedule (latency aside). */
        public boolean lossless;

        /** Why the step is not ok (empty when it is). */
        public String why = "";
        /** The first error a load generator reported, if any. */
        public @Nullable String error;
        /** The step's latency histogram, HdrHistogram's compressed encoding in base64. */
        public String hist = "";

        double deliveriesPerSecond() {
            return windowSeconds <= 0 ? 0 : received / windowSeconds;
        }
    }

    static final class Rate {
        public int connections;
        public int subscribers;
        public int publishers;
        public int channels;
        /** Highest rate with p99 within the target and nothing lost (0 if none). */
        public double maxRate;

        public @Nullable Step atMax;
        /** Highest rate with nothing lost, at any latency. */
        public double capacityRate;

        public @Nullable Step capacity;
        /** No step lost anything: the search ran out of steps (or hit the cap) before finding the capacity. */
        public boolean capacityIsLowerBound;

        public @Nullable Step atHalf;
        public List<Step> steps = new ArrayList<>();
        public String setup = "";
    }

    static final class Idle {
        public int connections;
        public long heapBefore;
        public long heapAfter;
        public long rssBefore;
        public long rssAfter;
        public double openSeconds;
        public int failed;
        public Map<String, Long> topClassesPerConn = new LinkedHashMap<>();

        double heapPerConn() {
            return (heapAfter - heapBefore) / (double) connections;
        }

        double rssPerConn() {
            return (rssAfter - rssBefore) / (double) connections;
        }
    }

    static final class Http {
        public long requests;
        public long errors;
        public double seconds;
        public double p50ms;
        public double p99ms;
        public double p999ms;
        public double serverCores;
        public double clientCores;
        public int conns;
        public @Nullable String error;
        /** Seconds of the same load before the measurement: the fixed warm-up and the wait for a quiet JIT. */
        public double warmupSeconds;
        /** Methods the server's JIT compiled during the measurement (-1: not known, e.g. not a JVM). */
        public long compiledWhileMeasured = -1;
        /** Requests/s of every round, in the order measured (the servers alternated); this one is the median. */
        public List<Double> roundsRps = new ArrayList<>();

        double rps() {
            return seconds <= 0 ? 0 : requests / seconds;
        }
    }

    static final class Storm {
        public int connections;
        public int ok;
        public int failed;
        public double seconds;
        public double p50ms;
        public double p99ms;
        public double maxms;
        public double serverCores;
        public double clientCores;
        public String how = "";
        public @Nullable String error;
    }

    static final class Jmh {
        public String benchmark = "";
        public String params = "";
        public double score;
        public double error;
        public String unit = "";
    }
}
