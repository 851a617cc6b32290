package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import io.herald.redis.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one pipeline flush of publishes to many channels becomes: one {@code publish.lua} call for all of them, each
 * channel's events in publish order with consecutive serials, delivered to another node in that order; and a channel
 * whose keys Redis refuses fails only its own publishes, not the other channels' of the same call.
 */
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisPublishBatchTest {
    /** A node that only publishes: it is told nothing. */
    private static final EngineListener NONE = new EngineListener() {
        @Override
        public void onChannelEvent(ChannelEvent event) {}

        @Override
        public void onRevocation(Revocation revocation) {}
    };

    private static final int CHANNELS = 100;
    private static final int PER_CHANNEL = 3;

    private static RedisEngine engine(String id, String uri, EngineListener listener) {
        CoreConfig config = new CoreConfig(id, Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());
        RedisEngine e = new RedisEngine(new EngineContext(config, Clock.systemUTC(), id, Map.of("redis", uri)));
        e.start(listener);
        return e;
    }

    private static PublishRequest message(ChannelId ch, int i) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, ch.name());
        pm.connectionId = "conn";
        pm.id = "conn:" + ch.name() + ":" + i;
        pm.timestamp = 1L;
        Message m = new Message(Integer.toString(i), "data " + i);
        m.id = pm.id + ":0";
        m.connectionId = "conn";
        pm.messages = new ArrayList<>(List.of(m));
        return new PublishRequest(ch, pm, Duration.ofMinutes(2), true);
    }

    /** A key's PTTL (the reply is an integer, {@code :N}). */
    private static long pttl(RedisServerProcess redis, String key) throws Exception {
        return Long.parseLong(redis.command("PTTL", key).substring(1));
    }

    private static long scriptCalls(RedisServerProcess redis) throws Exception {
        Matcher m = Pattern.compile("cmdstat_evalsha:calls=(\\d+)").matcher(redis.command("INFO", "commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void oneFlushIsOneScriptCall_eachChannelInOrder_aRefusedChannelFailsAlone() throws Exception {
        Map<String, List<ChannelEvent>> received = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch((CHANNELS - 1) * PER_CHANNEL);
        EngineListener onB = new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                received.computeIfAbsent(event.channel().name(), n -> new ArrayList<>())
                        .add(event);
                all.countDown();
            }

            @Override
            public void onRevocation(Revocation revocation) {}
        };
        try (RedisServerProcess redis = RedisServerProcess.start();
                RedisEngine b = engine("batch-b", redis.uri(), onB);
                RedisEngine a = engine("batch-a", redis.uri(), NONE)) {
            List<ChannelId> ids = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                ChannelId id = new ChannelId("batch", "ch" + c);
                ids.add(id);
                b.broker().subscribe(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            // the first channel's state is a string: every command of its part of the script fails
            ChannelId refused = ids.get(0);
            redis.command("SET", new RedisKeys("herald").state(RedisKeys.tag(refused)), "not a hash");
            // publish once first, so the scripts are loaded and the connection is up
            a.broker().publish(message(ids.get(1), 0)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            // hold the pipeline's thread while everything is queued, so one flush writes it all
            CountDownLatch queuedAll = new CountDownLatch(1);
            CompletableFuture<String> held = a.link().pipeline().submit(c -> {
                try {
                    queuedAll.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return c.ping();
            });
            long before = scriptCalls(redis);
            Map<ChannelId, List<CompletableFuture<PublishOutcome>>> outcomes = new ConcurrentHashMap<>();
            for (int i = 1; i <= PER_CHANNEL; i++) {
                for (ChannelId id : ids) {
                    outcomes.computeIfAbsent(id, x -> new ArrayList<>())
                            .add(a.broker().publish(message(id, i)).toCompletableFuture());
                }
            }
            queuedAll.countDown();
            held.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<PublishOutcome> f : outcomes.get(refused)) {
                assertThat(f)
                        .failsWithin(10, TimeUnit.SECONDS)
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .havingCause()
                        .isInstanceOf(AblyException.class);
            }
            for (ChannelId id : ids.subList(1, CHANNELS)) {
                long first = id.equals(ids.get(1)) ? 2 : 1;
                List<CompletableFuture<PublishOutcome>> fs = outcomes.get(id);
                for (int i = 0; i < PER_CHANNEL; i++) {
                    PublishOutcome o = fs.get(i).get(10, TimeUnit.SECONDS);
                    assertThat(o.serial()).isNotNull();
                    assertThat(o.serial().seq())
                            .as("seq of %s #%d", id.name(), i)
                            .isEqualTo(first + i);
                }
            }
            assertThat(scriptCalls(redis) - before)
                    .as("publish.lua calls for the flush")
                    .isEqualTo(1);

            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(received).doesNotContainKey(refused.name());
            for (ChannelId id : ids.subList(2, CHANNELS)) {
                List<String> names = received.get(id.name()).stream()
                        .map(e -> e.message().messages.get(0).name)
                        .toList();
                assertThat(names).as(id.name()).containsExactly("1", "2", "3");
            }
        }
    }

    @Test
    void logAndStateLifetimes_setOnTheFirstPublish_refreshedWhenTheNoteOfTheLogsExpiryIsGone() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                RedisEngine a = engine("ttl-a", redis.uri(), NONE)) {
            ChannelId ch = new ChannelId("ttl", "room");
            RedisKeys keys = new RedisKeys("herald");
            String tag = RedisKeys.tag(ch);
            a.broker().publish(message(ch, 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            // retention 2 minutes: the log lives 2 minutes and the slack (1 minute more), the state longer
            long log = pttl(redis, keys.log(tag));
            long state = pttl(redis, keys.state(tag));
            assertThat(log).isBetween(170_000L, 180_000L);
            assertThat(state).isGreaterThan(log);
            assertThat(redis.command("HGET", keys.state(tag), "x").trim()).isNotEmpty();

            // someone shortened both and dropped the note (as objects.lua does): the next publish looks again
            redis.command("PEXPIRE", keys.log(tag), "5000");
            redis.command("PEXPIRE", keys.state(tag), "5000");
            redis.command("HDEL", keys.state(tag), "x");
            a.broker().publish(message(ch, 2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(pttl(redis, keys.log(tag))).isBetween(170_000L, 180_000L);
            assertThat(pttl(redis, keys.state(tag))).isGreaterThan(180_000L);
        }
    }
}
