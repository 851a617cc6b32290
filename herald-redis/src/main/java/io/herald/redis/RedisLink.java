package io.herald.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * {@link Pipeline} (publishes, many commands per flush), one for pub/sub. Commands fail at once while Redis is
 * unreachable (Lettuce rejects them, nothing is queued or replayed) and after {@link RedisSettings#commandTimeout()};
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
    private final RedisClient client;
    private final RedisPubSubListener<String, byte[]> messages;
    private final ScheduledExecutorService timer;
    private final Pipeline pipeline;
    private final AtomicBoolean pubsubLost = new AtomicBoolean(true);
    /** Set by {@link #start}, before anything reads it. */
    private @Nullable Events events;
    // the connections: all three set at once by connect(), null until Redis was first reached
    private volatile @Nullable StatefulRedisConnection<String, byte[]> commands;
    private volatile @Nullable StatefulRedisConnection<String, byte[]> pipelined;
    private volatile @Nullable StatefulRedisPubSubConnection<String, byte[]> pubsub;
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
        RedisURI uri = RedisURI.create(settings.uri());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.builder()
                        .fixedTimeout(settings.commandTimeout())
                        .build())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .tcpNoDelay(true)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(Duration.ofSeconds(5))
                                .interval(Duration.ofSeconds(2))
                                .count(3)
                                .build())
                        .build())
                .build());
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
        StatefulRedisConnection<String, byte[]> c = null;
        StatefulRedisConnection<String, byte[]> p = null;
        StatefulRedisPubSubConnection<String, byte[]> s = null;
        try {
            c = client.connect(CODEC);
            p = client.connect(CODEC);
            p.setAutoFlushCommands(false);
            p.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisConnected(
                        io.lettuce.core.RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                    pipeline.reloadScripts();
                }
            });
            s = client.connectPubSub(CODEC);
            s.addListener(messages);
            s.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                    pubsubLost.set(true);
                }
            });
            commands = c;
            pipelined = p;
            pubsub = s;
            return true;
        } catch (RuntimeException e) {
            LOG.debug("connecting to Redis failed: {}", e.toString());
            for (AutoCloseable x : new AutoCloseable[] {c, p, s}) {
                try {
                    if (x != null) {
                        x.close();
                    }
                } catch (Exception ignored) {
                    // closing a half-made connection
                }
            }
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
            if (commands == null && !connect()) {
                setReady(false);
                return null;
            }
            StatefulRedisConnection<String, byte[]> c = commands;
            StatefulRedisConnection<String, byte[]> p = pipelined;
            StatefulRedisPubSubConnection<String, byte[]> s = pubsub;
            Events ev = events;
            if (c == null || p == null || s == null || ev == null) {
                throw new IllegalStateException("connect() sets all three connections, start() the events");
            }
            boolean subUp = s.isOpen();
            if (!subUp) {
                pubsubLost.set(true);
            }
            connected = subUp && c.isOpen() && p.isOpen();
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

    /** The pipelined connection, or {@code null} before Redis was first reached. */
    @Nullable
    StatefulRedisConnection<String, byte[]> pipelinedConnection() {
        return pipelined;
    }

    /** The read connection's commands, or a failure when there is none yet; failures are Ably errors. */
    <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        return this.<T>raw(command).exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    private <T> CompletableFuture<T> raw(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, byte[]> c = commands;
        if (c == null || closed) {
            return CompletableFuture.failedFuture(Failures.unavailable("Redis is unreachable"));
        }
        try {
            return command.apply(c.async()).toCompletableFuture();
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
        StatefulRedisPubSubConnection<String, byte[]> s = pubsub;
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
        for (AutoCloseable x : new AutoCloseable[] {pubsub, pipelined, commands}) {
            try {
                if (x != null) {
                    x.close();
                }
            } catch (Exception e) {
                LOG.debug("closing a Redis connection: {}", e.toString());
            }
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
