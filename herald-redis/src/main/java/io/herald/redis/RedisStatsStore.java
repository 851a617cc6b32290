package io.herald.redis;

import io.herald.core.engine.StatsStore;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Statistics shared by every node: one hash per app and minute ({@code <prefix>:stats:<app>:<minute>}) and one sorted
 * set per app indexing its minutes. A merge ({@code stats.lua}) adds the node's sums with {@code HINCRBY} and sets its
 * gauges under {@code <name>#<node>}, so repeated merges of the same minute never count a gauge twice; a read adds
 * the gauges of all nodes up. Both keys expire when the longest {@code keep} merged into them runs out.
 */
final class RedisStatsStore implements StatsStore {
    private static final Script MERGE = Script.load("stats");

    private final RedisLink link;
    private final String prefix;
    private final String nodeId;
    private final Clock clock;

    RedisStatsStore(RedisLink link, String prefix, String nodeId, Clock clock) {
        this.link = link;
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /**
     * The first part of an app's keys. On a Redis Cluster it is a hash tag, so the minute and the index that
     * {@code stats.lua} writes together are in one slot (both keys share everything up to the tag's end, so they share
     * the tag even if the app id holds braces).
     */
    private String app(String appId) {
        String app = appId.length() + ":" + appId;
        return prefix + ":stats:" + (link.cluster() ? "{" + app + "}" : app);
    }

    private String minuteKey(String appId, long minute) {
        return app(appId) + ":" + minute;
    }

    private String index(String appId) {
        return app(appId) + ":idx";
    }

    @Override
    public CompletionStage<Void> merge(
            String appId, long minute, Map<String, Long> sums, Map<String, Long> gauges, Duration keep) {
        long keepMs = Math.max(60_000, minute + 60_000 + keep.toMillis() - clock.millis());
        List<byte[]> args = new ArrayList<>();
        args.add(bytes(Long.toString(minute)));
        args.add(bytes(Long.toString(keepMs)));
        args.add(bytes(nodeId));
        args.add(bytes(Integer.toString(sums.size())));
        sums.forEach((k, v) -> {
            args.add(bytes(k));
            args.add(bytes(Long.toString(v)));
        });
        gauges.forEach((k, v) -> {
            args.add(bytes(k));
            args.add(bytes(Long.toString(v)));
        });
        return link.<Long>eval(
                        MERGE,
                        ScriptOutputType.INTEGER,
                        new String[] {minuteKey(appId, minute), index(appId)},
                        args.toArray(byte[][]::new))
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<NavigableMap<Long, Map<String, Long>>> read(String appId, long fromMinute, long toMinute) {
        if (fromMinute > toMinute) {
            return CompletableFuture.completedFuture(new TreeMap<>());
        }
        String index = index(appId);
        return link.call(c -> c.zrangebyscore(index, Range.create(fromMinute, toMinute)))
                .thenCompose(members -> {
                    List<Long> minutes = new ArrayList<>();
                    List<CompletableFuture<Map<String, byte[]>>> reads = new ArrayList<>();
                    for (byte[] m : members) {
                        long minute = Long.parseLong(new String(m, StandardCharsets.US_ASCII));
                        minutes.add(minute);
                        reads.add(link.call(c -> c.hgetall(minuteKey(appId, minute))));
                    }
                    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                            .thenApply(v -> {
                                NavigableMap<Long, Map<String, Long>> out = new TreeMap<>();
                                for (int i = 0; i < minutes.size(); i++) {
                                    Map<String, byte[]> raw = reads.get(i).join();
                                    if (raw.isEmpty()) {
                                        byte[] member = bytes(Long.toString(minutes.get(i)));
                                        // the minute expired: forget it, whether or not that succeeds
                                        var unused = link.call(c -> c.zrem(index, member));
                                        continue;
                                    }
                                    out.put(minutes.get(i), total(raw));
                                }
                                return out;
                            });
                });
    }

    /** Sums stay as they are; each gauge is the sum over the nodes that set it. */
    private static Map<String, Long> total(Map<String, byte[]> raw) {
        Map<String, Long> out = new HashMap<>();
        raw.forEach((field, value) -> {
            int hash = field.indexOf('#');
            String name = hash < 0 ? field : field.substring(0, hash);
            long v;
            try {
                v = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return;
            }
            out.merge(name, v, Long::sum);
        });
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
