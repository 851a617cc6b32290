package io.herald.core.engine.memory;

import io.herald.core.engine.StatsStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The node-local {@link StatsStore} of the memory and disk engines: one sorted map of minutes per app, each minute
 * kept until its {@code keep} ran out (checked on every merge and read of that app) and at most
 * {@value #MAX_MINUTES_PER_APP} minutes per app, the oldest dropped first.
 */
public final class MemoryStatsStore implements StatsStore {
    static final int MAX_MINUTES_PER_APP = 200_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, Minute>> apps = new ConcurrentHashMap<>();

    public MemoryStatsStore(Clock clock) {
        this.clock = clock;
    }

    private static final class Minute {
        final Map<String, Long> sums = new HashMap<>();
        final Map<String, Long> gauges = new HashMap<>();
        long expiresAt;
    }

    @Override
    public CompletionStage<Void> merge(
            String appId, long minute, Map<String, Long> sums, Map<String, Long> gauges, Duration keep) {
        ConcurrentSkipListMap<Long, Minute> minutes = apps.computeIfAbsent(appId, k -> new ConcurrentSkipListMap<>());
        Minute m = minutes.computeIfAbsent(minute, k -> new Minute());
        synchronized (m) {
            sums.forEach((k, v) -> m.sums.merge(k, v, Long::sum));
            m.gauges.putAll(gauges);
            m.expiresAt = Math.max(m.expiresAt, minute + 60_000 + keep.toMillis());
        }
        sweep(minutes);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<NavigableMap<Long, Map<String, Long>>> read(String appId, long fromMinute, long toMinute) {
        NavigableMap<Long, Map<String, Long>> out = new TreeMap<>();
        ConcurrentSkipListMap<Long, Minute> minutes = apps.get(appId);
        if (minutes != null && fromMinute <= toMinute) {
            sweep(minutes);
            for (Map.Entry<Long, Minute> e :
                    minutes.subMap(fromMinute, true, toMinute, true).entrySet()) {
                Minute m = e.getValue();
                Map<String, Long> values = new HashMap<>();
                synchronized (m) {
                    values.putAll(m.sums);
                    values.putAll(m.gauges);
                }
                out.put(e.getKey(), values);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private void sweep(ConcurrentSkipListMap<Long, Minute> minutes) {
        long now = clock.millis();
        minutes.values().removeIf(m -> {
            synchronized (m) {
                return m.expiresAt < now;
            }
        });
        while (minutes.size() > MAX_MINUTES_PER_APP) {
            minutes.pollFirstEntry();
        }
    }
}
