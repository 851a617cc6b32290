package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import io.herald.redis.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A rough cross-node measurement (not the benchmark suite's load generator): node A publishes as fast as a window of
 * in-flight publishes allows, node B is subscribed to every channel; reports deliveries per second at B and the
 * publish-to-delivery latency. Off by default: {@code -Dherald.redis.bench=true}.
 */
@EnabledIfSystemProperty(named = "herald.redis.bench", matches = "true")
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisThroughputTest {

    private static RedisEngine engine(String id, String uri, EngineListener listener) {
        CoreConfig config = new CoreConfig(id, Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());
        RedisEngine e = new RedisEngine(new EngineContext(config, Clock.systemUTC(), id, Map.of("redis", uri)));
        e.start(listener);
        return e;
    }

    /** Redis's own CPU time so far (user + system), from INFO cpu. */
    private static double redisCpuSeconds(RedisServerProcess redis) throws java.io.IOException {
        String info = redis.command("INFO", "cpu");
        Matcher u = Pattern.compile("used_cpu_user:([0-9.]+)").matcher(info);
        Matcher s = Pattern.compile("used_cpu_sys:([0-9.]+)").matcher(info);
        if (!u.find() || !s.find()) {
            throw new IllegalStateException("no CPU figures in " + info);
        }
        return Double.parseDouble(u.group(1)) + Double.parseDouble(s.group(1));
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void publishOnA_deliverOnB() throws Exception {
        int channels = Integer.getInteger("herald.redis.bench.channels", 100);
        int window = Integer.getInteger("herald.redis.bench.window", 2_000);
        int seconds = Integer.getInteger("herald.redis.bench.seconds", 10);
        int size = Integer.getInteger("herald.redis.bench.size", 100);
        int rate = Integer.getInteger("herald.redis.bench.rate", 0);
        long[] latencies = new long[5_000_000];
        AtomicInteger delivered = new AtomicInteger();
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            RedisEngine b = engine("bench-b", redis.uri(), new EngineListener() {
                @Override
                public void onChannelEvent(ChannelEvent event) {
                    long sent = Long.parseLong(event.message().messages.get(0).name);
                    int i = delivered.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = System.nanoTime() - sent;
                    }
                }

                @Override
                public void onRevocation(Revocation revocation) {}
            });
            RedisEngine a = engine("bench-a", redis.uri(), new EngineListener() {
                @Override
                public void onChannelEvent(ChannelEvent event) {}

                @Override
                public void onRevocation(Revocation revocation) {}
            });
            List<ChannelId> ids = new ArrayList<>();
            for (int i = 0; i < channels; i++) {
                ChannelId id = new ChannelId("bench", "ch" + i);
                ids.add(id);
                b.broker().subscribe(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            String data = "x".repeat(size);
            Semaphore inFlight = new Semaphore(window);
            double redisCpu0 = redisCpuSeconds(redis);
            long jvmCpu0 = jvmCpuNanos();
            redis.command("CONFIG", "RESETSTAT");
            AtomicLong failed = new AtomicLong();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            int published = 0;
            while (System.nanoTime() < end) {
                if (rate > 0) {
                    long due = start + (long) (published * (1e9 / rate));
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                inFlight.acquire();
                ChannelId ch = ids.get(published % channels);
                ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, ch.name());
                pm.connectionId = "bench";
                pm.id = "bench:" + published;
                pm.timestamp = System.currentTimeMillis();
                Message m = new Message(Long.toString(System.nanoTime()), data);
                m.id = pm.id + ":0";
                m.connectionId = "bench";
                m.timestamp = pm.timestamp;
                pm.messages = new ArrayList<>(List.of(m));
                a.broker()
                        .publish(new PublishRequest(ch, pm, Duration.ofMinutes(2), false))
                        .whenComplete((o, t) -> {
                            if (t != null) {
                                failed.incrementAndGet();
                            }
                            inFlight.release();
                        });
                published++;
            }
            inFlight.acquire(window);
            long publishNanos = System.nanoTime() - start;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() < published && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long totalNanos = System.nanoTime() - start;
            int n = Math.min(delivered.get(), latencies.length);
            long[] l = Arrays.copyOf(latencies, n);
            Arrays.sort(l);
            System.out.printf(
                    "published %d in %.1f s (%.0f msg/s), delivered %d at B (%.0f msg/s end to end), failed %d%n",
                    published,
                    publishNanos / 1e9,
                    published / (publishNanos / 1e9),
                    delivered.get(),
                    delivered.get() / (totalNanos / 1e9),
                    failed.get());
            System.out.printf(
                    "latency publish->delivery: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    l[n / 2] / 1e6, l[(int) (n * 0.99)] / 1e6, l[(int) (n * 0.999)] / 1e6, l[n - 1] / 1e6);
            double redisCpu = redisCpuSeconds(redis) - redisCpu0;
            double jvmCpu = (jvmCpuNanos() - jvmCpu0) / 1e9;
            Matcher script = Pattern.compile("cmdstat_evalsha:calls=(\\d+),usec=(\\d+)")
                    .matcher(redis.command("INFO", "commandstats"));
            boolean found = script.find();
            System.out.printf(
                    "CPU per message: redis %.1f us (of which inside EVALSHA %.1f us, %s calls = %.2f per message),"
                            + " this JVM (nodes A and B, the publisher loop) %.1f us%n",
                    redisCpu * 1e6 / published,
                    found ? Long.parseLong(script.group(2)) / (double) published : Double.NaN,
                    found ? script.group(1) : "?",
                    found ? Long.parseLong(script.group(1)) / (double) published : Double.NaN,
                    jvmCpu * 1e6 / published);
            System.out.println(redis.command("INFO", "commandstats"));
            System.out.println(redis.command("INFO", "cpu"));
            a.close();
            b.close();
            assertThat(delivered.get()).isEqualTo(published);
        }
    }
}
