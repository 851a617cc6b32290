package io.herald.redis;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.OccupancyCounts;
import io.herald.core.engine.OccupancyStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Occupancy shared by every node. Each node writes its own counts of a channel into the channel's hash
 * ({@code P:{app:name}:c}, field = node instance, value = {@code counts|expiresAt}) and keeps the channel's name in the
 * app's index ({@code P:active:APP}, a zset with score 0, so names are in byte order for paging by prefix). Readers sum
 * the fields that have not expired, so a node that died stops counting after the expiry; it renews its fields every
 * {@code occupancyInterval}. The hash and the index live in different slots, so they are updated in two steps: a
 * channel that is active on one node while another withdraws may briefly miss from the index, and the next renewal
 * puts it back. Enumeration checks every name it lists against the hash and drops names no live node reports.
 */
final class RedisOccupancy implements OccupancyStore {
    private static final byte[] SCAN_END = {(byte) 0xFF};

    private final RedisLink link;
    private final RedisKeys keys;
    private final Clock clock;
    private final String instance;
    private final long ttlMillis;

    RedisOccupancy(RedisLink link, RedisKeys keys, Clock clock, String instance, long ttlMillis) {
        this.link = link;
        this.keys = keys;
        this.clock = clock;
        this.instance = instance;
        this.ttlMillis = ttlMillis;
    }

    private String hash(ChannelId channel) {
        return keys.channel(RedisKeys.tag(channel), "c");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletionStage<Void> report(ChannelId channel, OccupancyCounts local) {
        String hash = hash(channel);
        String index = keys.activeChannels(channel.appId());
        byte[] name = utf8(channel.name());
        if (local.isZero()) {
            return link.call(c -> c.hdel(hash, instance))
                    .thenCompose(n -> link.call(c -> c.hlen(hash)))
                    .thenCompose(left -> left == 0 ? link.call(c -> c.zrem(index, name)) : done(0L))
                    .thenApply(x -> null);
        }
        byte[] value = utf8(local.encode() + "|" + (clock.millis() + ttlMillis));
        return link.call(c -> c.hset(hash, instance, value))
                .thenCompose(x -> link.call(c -> c.pexpire(hash, ttlMillis * 2)))
                .thenCompose(x -> link.call(c -> c.zadd(index, 0, name)))
                .thenApply(x -> null);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<OccupancyCounts> total(ChannelId channel) {
        String hash = hash(channel);
        return link.call(c -> c.hgetall(hash)).thenApply(fields -> sum(hash, fields));
    }

    private OccupancyCounts sum(String hash, Map<String, byte[]> fields) {
        long now = clock.millis();
        OccupancyCounts total = OccupancyCounts.ZERO;
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : fields.entrySet()) {
            String v = new String(e.getValue(), StandardCharsets.UTF_8);
            int bar = v.lastIndexOf('|');
            long expiresAt;
            try {
                expiresAt = bar < 0 ? 0 : Long.parseLong(v.substring(bar + 1));
            } catch (NumberFormatException ex) {
                expiresAt = 0;
            }
            if (expiresAt <= now) {
                expired.add(e.getKey());
            } else {
                total = total.plus(OccupancyCounts.decode(v.substring(0, bar)));
            }
        }
        if (!expired.isEmpty()) {
            // best effort: a field left behind is expired again on the next read
            CompletableFuture<Long> unused = link.call(c -> c.hdel(hash, expired.toArray(String[]::new)));
        }
        return total;
    }

    @Override
    public CompletionStage<ActivePage> active(String appId, String prefix, @Nullable String after, int limit) {
        String index = keys.activeChannels(appId);
        Range.Boundary<byte[]> lower = after != null && after.compareTo(prefix) >= 0
                ? Range.Boundary.excluding(utf8(after))
                : prefix.isEmpty() ? Range.Boundary.unbounded() : Range.Boundary.including(utf8(prefix));
        Range.Boundary<byte[]> upper = prefix.isEmpty()
                ? Range.Boundary.unbounded()
                : Range.Boundary.including(concat(utf8(prefix), SCAN_END));
        Range<byte[]> range = Range.from(lower, upper);
        return link.call(c -> c.zrangebylex(index, range, Limit.create(0, limit)))
                .thenCompose(members -> {
                    List<String> candidates = new ArrayList<>(members.size());
                    for (byte[] m : members) {
                        candidates.add(new String(m, StandardCharsets.UTF_8));
                    }
                    List<CompletableFuture<OccupancyCounts>> checks = new ArrayList<>();
                    for (String name : candidates) {
                        checks.add(total(new ChannelId(appId, name)).toCompletableFuture());
                    }
                    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                            .thenApply(v -> {
                                List<String> live = new ArrayList<>();
                                for (int i = 0; i < candidates.size(); i++) {
                                    if (checks.get(i).join().connections() > 0) {
                                        live.add(candidates.get(i));
                                    } else {
                                        forget(appId, candidates.get(i));
                                    }
                                }
                                String next = candidates.size() == limit && limit > 0
                                        ? candidates.get(candidates.size() - 1)
                                        : null;
                                return new ActivePage(live, next);
                            });
                });
    }

    /** Drops a name no live node reports from the app's index, unless a node reported it meanwhile. */
    private void forget(String appId, String name) {
        String hash = hash(new ChannelId(appId, name));
        // best effort: a name left behind is checked and dropped again by the next enumeration
        CompletableFuture<Long> unused = link.call(c -> c.hlen(hash))
                .thenCompose(n -> n == 0 ? link.call(c -> c.zrem(keys.activeChannels(appId), utf8(name))) : done(0L));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
