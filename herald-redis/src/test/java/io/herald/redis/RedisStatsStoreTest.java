package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.StatsStore;
import io.herald.redis.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two nodes on one Redis: each merges its own counters, and either node reads the cluster's totals. */
@Tag("redis")
class RedisStatsStoreTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static RedisEngine node(String nodeId) {
        CoreConfig config = new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());
        RedisEngine e =
                new RedisEngine(new EngineContext(config, Clock.systemUTC(), nodeId, Map.of("redis", redis.uri())));
        e.start(new EngineListener() {
            @Override
            public void onChannelEvent(io.herald.core.engine.ChannelEvent event) {}

            @Override
            public void onRevocation(io.herald.core.engine.Revocation revocation) {}
        });
        return e;
    }

    private static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoNodes_sumsAddUp_andEachNodesGaugeCountsOnce() throws Exception {
        String app = "app" + UUID.randomUUID().toString().substring(0, 8);
        long minute = System.currentTimeMillis() / 60_000 * 60_000;
        Duration keep = Duration.ofMinutes(5);
        try (RedisEngine a = node("a");
                RedisEngine b = node("b")) {
            StatsStore sa = a.stats();
            StatsStore sb = b.stats();
            await(sa.merge(app, minute, Map.of("channels.opened", 2L), Map.of("connections.all.peak", 3L), keep));
            // a again: its sums add, its gauge replaces its own earlier value
            await(sa.merge(app, minute, Map.of("channels.opened", 1L), Map.of("connections.all.peak", 4L), keep));
            await(sb.merge(app, minute, Map.of("channels.opened", 5L), Map.of("connections.all.peak", 6L), keep));
            NavigableMap<Long, Map<String, Long>> fromB = await(sb.read(app, minute, minute));
            assertThat(fromB.get(minute))
                    .containsEntry("channels.opened", 8L)
                    .containsEntry("connections.all.peak", 10L);
            assertThat(await(sa.read(app, minute, minute))).isEqualTo(fromB);
        }
    }
}
