package io.herald.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's three Redis connections and their health: one for reads and small writes, one driven by the
 * {@link Pipeline} (publishes, many commands per flush), one for pub/sub; to one Redis or to a Redis Cluster (see
 * {@link Connections}), where channel events use sharded pub/sub. Commands fail at once while one Redis is
 * unreachable (Lettuce rejects them, nothing is queued or replayed; on a cluster they wait for their node's
 * connection) and after {@link RedisSettings#commandTimeout()};
 * Lettuce reconnects by itself. A timer watches the connections: readiness changes and every time the pub/sub
 * connection comes (back) up are reported through {@link Events}.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final long WATCH_MILLIS = 200;

    interface Events {
        /** All connections are up ({@code true}) or one is down. On the timer thread. */
        void onReadinessChanged(boolean ready);

        /**
         * The pub/sub connection is up, for the first time or again: subscriptions must be renewed. On the timer
         * (the first time on the thread that calls {@link #start}); the stage completes when the renewal is done.
         */
        CompletionStage<?> onPubSubUp();
    }

    private final RedisSettings settings;
    private final ClientResources resources;
    private final Connections client;
    private final RedisPubSubListener<String, byte[]> messages;
    private final ScheduledExecutorService timer;
    private final Pipeline pipeline;
    private final AtomicBoolean pubsubLost = new AtomicBoolean(true);
    /** Set by {@link #start}, before anything reads it. */
    private @Nullable Events events;
    // the connections: all three set at once by connect(), null until Redis was first reached
    private volatile Connections.@Nullable Set connections;
    private volatile boolean ready;
    private volatile boolean connected;
    /** Whether Redis answers (the heartbeat says): an open connection to a Redis that hangs is not ready. */
    private volatile boolean responsive = true;

    private volatile long readySinceNanos;
    private volatile boolean closed;

    RedisLink(RedisSettings settings, RedisPubSubListener<String, byte[]> messages) {
        this.settings = settings;
        this.messages = messages;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = Connections.create(settings, resources);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-redis-timer");
            t.setDaemon(true);
            return t;
        });
        this.pipeline = new Pipeline(this);
    }

    /**
     * Connects (blocking); when Redis is not there yet, keeps trying in the background. The stage completes when the
     * first {@link Events#onPubSubUp} is done (at once if Redis is unreachable).
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the watch runs until close() shuts the timer down
    CompletionStage<?> start(Events ev) {
        this.events = ev;
        CompletionStage<?> first = null;
        if (connect()) {
            first = watch();
        } else {
            LOG.warn("Redis {} is unreachable; the node is not ready and keeps trying", settings.describe());
        }
        timer.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        return first != null ? first : CompletableFuture.completedFuture(null);
    }

    private synchronized boolean connect() {
        if (closed) {
            return false;
        }
        try {
            connections = client.connect(messages, new Connections.Hooks() {
                @Override
                public void pipelinedConnected() {
                    pipeline.reloadScripts();
                }

                @Override
                public void pubsubLost() {
                    pubsubLost.set(true);
                }
            });
            return true;
        } catch (RuntimeException e) {
            LOG.debug("connecting to Redis failed: {}", e.toString());
            return false;
        }
    }

    /**
     * Connects if never connected, reports readiness changes and pub/sub (re)connections; returns the stage of
     * {@link Events#onPubSubUp} when it was called. On the timer (or in {@link #start} before the timer runs).
     */
    private synchronized @Nullable CompletionStage<?> watch() {
        if (closed) {
            return null;
        }
        CompletionStage<?> renewed = null;
        try {
            if (connections == null && !connect()) {
                setReady(false);
                return null;
            }
            Connections.Set set = connections;
            Events ev = events;
            if (set == null || ev == null) {
                throw new IllegalStateException("connect() sets the connections, start() the events");
            }
            boolean subUp = set.pubsub().isOpen();
            if (!subUp || client.watch(set)) {
                pubsubLost.set(true);
            }
            connected = subUp && set.commands().isOpen() && set.pipelined().isOpen();
            boolean now = connected && responsive;
            if (subUp && pubsubLost.compareAndSet(true, false)) {
                renewed = ev.onPubSubUp();
            }
            setReady(now);
        } catch (RuntimeException e) {
            LOG.error("Redis watch failed", e);
        }
        return renewed;
    }

    private void setReady(boolean now) {
        if (now != ready) {
            ready = now;
            readySinceNanos = now ? System.nanoTime() : 0;
            if (now) {
                LOG.info("Redis {} is reachable", settings.describe());
            } else {
                LOG.warn("Redis {} is unreachable", settings.describe());
            }
            Events ev = events;
            if (ev != null) {
                ev.onReadinessChanged(now);
            }
        }
    }

    /** The last renewal of subscriptions failed: do it again at the next watch. */
    void renewLater() {
        pubsubLost.set(true);
    }

    /** Whether every connection is open (Redis may still be too slow to answer: see {@link #responsive}). */
    boolean isConnected() {
        return connected && !closed;
    }

    /** What the last heartbeat found: Redis answered in time, or not. Readiness follows at the next watch. */
    void responsive(boolean answered) {
        if (responsive != answered) {
            responsive = answered;
            if (!answered) {
                LOG.warn("Redis {} does not answer in time", settings.describe());
            }
        }
    }

    boolean isReady() {
        return ready && !closed;
    }

    /** How long every connection has been up without a break, or zero. */
    long readyForMillis() {
        long since = readySinceNanos;
        return ready && since != 0 ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) : 0;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** Whether this is a Redis Cluster: channel events by sharded pub/sub, no script touches two slots. */
    boolean cluster() {
        return client.sharded();
    }

    /** The pipelined connection, or {@code null} before Redis was first reached. */
    @Nullable
    StatefulConnection<String, byte[]> pipelinedConnection() {
        Connections.Set set = connections;
        return set == null ? null : set.pipelined();
    }

    /** The pipelined connection's commands; only with a connection ({@link #pipelinedConnection}). */
    RedisClusterAsyncCommands<String, byte[]> pipelinedCommands() {
        Connections.Set set = connections;
        if (set == null) {
            throw new IllegalStateException("no connection yet");
        }
        return set.pipelinedAsync();
    }

    /** The read connection's commands, or a failure when there is none yet; failures are Ably errors. */
    <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        return this.<T>raw(command).exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    private <T> CompletableFuture<T> raw(Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        Connections.Set set = connections;
        if (set == null || closed) {
            return CompletableFuture.failedFuture(Failures.unavailable("Redis is unreachable"));
        }
        try {
            return command.apply(set.commandsAsync()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs a script on the read connection ({@code EVALSHA}, the whole script if Redis does not know it). */
    <T> CompletableFuture<T> eval(Script script, ScriptOutputType type, String[] keys, byte[]... args) {
        return this.<T>raw(c -> c.evalsha(script.sha(), type, keys, args))
                .exceptionallyCompose(t -> {
                    if (Failures.isNoScript(t)) {
                        return raw(c -> c.eval(script.body(), type, keys, args));
                    }
                    return CompletableFuture.failedFuture(t);
                })
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    /** The pub/sub connection's commands, or a failure when there is none yet. */
    <T> CompletableFuture<T> pubsub(Function<RedisPubSubAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        Connections.Set set = connections;
        StatefulRedisPubSubConnection<String, byte[]> s = set == null ? null : set.pubsub();
        if (s == null || closed) {
            return CompletableFuture.failedFuture(Failures.unavailable("Redis is unreachable"));
        }
        try {
            return command.apply(s.async())
                    .toCompletableFuture()
                    .exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Failures.map(e));
        }
    }

    /**
     * Subscribes to channels' event channels: {@code SUBSCRIBE} on one Redis; on a cluster {@code SSUBSCRIBE}, one
     * command per slot (Lettuce sends it to the connection of the slot's master).
     */
    CompletableFuture<Void> subscribeEvents(List<String> names) {
        return eventsCommand(names, true);
    }

    /** Undoes {@link #subscribeEvents}. */
    CompletableFuture<Void> unsubscribeEvents(List<String> names) {
        return eventsCommand(names, false);
    }

    private CompletableFuture<Void> eventsCommand(List<String> names, boolean subscribe) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        if (!client.sharded()) {
            for (int from = 0; from < names.size(); from += 1_000) {
                String[] chunk = names.subList(from, Math.min(names.size(), from + 1_000))
                        .toArray(String[]::new);
                all.add(pubsub(c -> subscribe ? c.subscribe(chunk) : c.unsubscribe(chunk)));
            }
        } else {
            Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
            for (String name : names) {
                bySlot.computeIfAbsent(SlotHash.getSlot(name), k -> new ArrayList<>())
                        .add(name);
            }
            for (List<String> slot : bySlot.values()) {
                String[] chunk = slot.toArray(String[]::new);
                all.add(pubsub(c -> subscribe ? c.ssubscribe(chunk) : c.sunsubscribe(chunk)));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** An item of a Redis reply as text (the replies this engine reads have no nil items). */
    static String string(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    static long number(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        return Long.parseLong(string(o));
    }

    String describe() {
        return settings.describe();
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // Lettuce's threads stop in the background: close() does not wait
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        pipeline.close();
        Connections.Set set = connections;
        if (set != null) {
            Connections.closeAll(set.pubsub(), set.pipelined(), set.commands());
        }
        client.shutdown();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
