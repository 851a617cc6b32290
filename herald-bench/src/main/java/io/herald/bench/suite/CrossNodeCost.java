package io.herald.bench.suite;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The CPU a cross-node step spent per message, by process: each process's cores over the step's publish rate (the
 * rate through Redis), in microseconds. The masters of a Redis Cluster ({@code redis-1}, {@code redis-2}, ...) are
 * summed into one {@code redis} figure, so the single-Redis and the cluster scenarios read the same.
 */
final class CrossNodeCost {
    private CrossNodeCost() {}

    /** Microseconds of CPU per message for each process of the step, then {@code clients}; empty without figures. */
    static Map<String, Double> perMessage(Results.Step s) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (s.processCores == null || s.rate <= 0) {
            return out;
        }
        for (Map.Entry<String, Double> e : s.processCores.entrySet()) {
            String name = e.getKey().startsWith("redis") ? "redis" : e.getKey();
            out.merge(name, e.getValue() * 1e6 / s.rate, Double::sum);
        }
        out.put("clients", s.clientCores * 1e6 / s.rate);
        return out;
    }

    /** The processes' names, as the cells of {@link #cell} list them ("node-a / node-b / redis / clients"). */
    static String names(Results.Step s) {
        return String.join(" / ", perMessage(s).keySet());
    }

    /** "40 / 18 / 19 / 23 at 18,750 msg/s", or {@code null} if the step has no per-process figures. */
    static @Nullable String cell(Results.@Nullable Step s) {
        if (s == null) {
            return null;
        }
        Map<String, Double> m = perMessage(s);
        if (m.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (double v : m.values()) {
            b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        double total = m.values().stream().mapToDouble(Double::doubleValue).sum();
        return b.append(String.format(Locale.ROOT, " (sum %.0f) at %,.0f msg/s", total, s.rate))
                .toString();
    }
}
