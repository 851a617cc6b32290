package io.herald.redis;

import io.herald.core.config.CoreConfig;
import io.herald.core.engine.Broker;
import io.herald.core.engine.ConnectionStore;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.HistoryStore;
import io.herald.core.engine.NonceStore;
import io.herald.core.engine.PresenceStore;
import io.herald.core.engine.RevocationStore;
import io.herald.core.internal.Ids;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis engine: several Herald nodes on one Redis behave as one service (see {@link RedisKeys} for the data
 * layout, {@link RedisBroker} for publishing, {@link Delivery} for fan-out, {@link NodeLiveness} for presence of dead
 * nodes). While Redis is unreachable every operation fails with 50300, {@link #isReady()} is false and the listener
 * hears {@code onReadinessChanged(false)}; when it is back, subscriptions are renewed and caught up from the logs, and
 * revocations announced meanwhile are loaded, without a restart.
 */
public final class RedisEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(RedisEngine.class);
    /** LiveObjects operations past the compacted state before a node compacts a channel's objects. */
    static final int COMPACT_EVERY = 100;

    private final RedisSettings settings;
    private final RedisKeys keys;
    private final String instance;
    private final RedisLink link;
    private final LogReader reader;
    private final Delivery delivery;
    private final RedisBroker broker;
    private final RedisHistoryStore history;
    private final RedisPresenceStore presence;
    private final RedisNonceStore nonces;
    private final RedisRevocationStore revocations;
    private final RedisConnectionStore connections;
    private final RedisStatsStore stats;
    private final NodeLiveness liveness;
    private final RedisOccupancy occupancy;
    private final RedisObjects objects;
    private final long keepAliveMillis;
    private volatile @Nullable EngineListener listener;
    private volatile boolean started;
    /** True while {@link #start} connects: revocations loaded then predate every session, nobody needs to hear them. */
    private volatile boolean starting;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public RedisEngine(EngineContext context) {
        this(context, RedisSettings.from(context.options()));
    }

    public RedisEngine(EngineContext context, RedisSettings settings) {
        CoreConfig config = context.config();
        var timings = config.timings();
        this.settings = settings;
        this.keys = new RedisKeys(settings.prefix());
        this.instance = context.nodeId() + "#" + Ids.alphanumeric(6);
        this.link = new RedisLink(settings, new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onMessage(channel, message);
            }

            @Override
            public void smessage(String shardChannel, byte[] message) {
                onMessage(shardChannel, message);
            }

            @Override
            public void sunsubscribed(String shardChannel, long count) {
                // Redis Cluster drops shard subscriptions of a slot that moved to another master: subscribe again
                if (delivery.wants(shardChannel)) {
                    link.renewLater();
                }
            }
        });
        // a channel's state (its epoch) lives while anyone subscribes, and long enough after to resume a connection
        this.keepAliveMillis = timings.connectionStateTtl().toMillis() + 60_000;
        long stateTtl = Math.max(
                        timings.historyRetention().toMillis(),
                        timings.idempotencyWindow().toMillis())
                + keepAliveMillis;
        this.reader = new LogReader(link, keys, keepAliveMillis);
        int lanes = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.delivery = new Delivery(link, keys, reader, lanes);
        this.broker = new RedisBroker(
                link,
                keys,
                reader,
                delivery,
                context.clock(),
                instance,
                config.limits().maxHistoryPerChannel(),
                stateTtl,
                timings.idempotencyWindow().toMillis());
        this.history = new RedisHistoryStore(reader, context.clock());
        this.objects = new RedisObjects(
                link,
                keys,
                reader,
                context.clock(),
                io.herald.core.objects.ObjectsLimits.DEFAULTS,
                config.limits().maxHistoryPerChannel(),
                stateTtl,
                COMPACT_EVERY);
        this.presence = new RedisPresenceStore(reader);
        this.nonces = new RedisNonceStore(link, keys, context.clock());
        this.revocations = new RedisRevocationStore(link, keys, context.clock());
        this.connections = new RedisConnectionStore(link, keys, context.clock(), context.nodeId(), instance);
        this.occupancy = new RedisOccupancy(
                link,
                keys,
                context.clock(),
                instance,
                Math.max(
                        settings.nodeTimeout().toMillis(),
                        timings.occupancyInterval().toMillis() * 3));
        this.stats = new RedisStatsStore(link, settings.prefix(), context.nodeId(), context.clock());
        this.liveness = new NodeLiveness(
                link, keys, broker, connections, context.clock(), timings, instance, settings.nodeTimeout());
    }

    private void onMessage(String channel, byte[] message) {
        if (!channel.equals(keys.control())) {
            delivery.onMessage(channel, message);
            return;
        }
        if (message.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(message, 1, message.length);
        if (message[0] == RedisRevocationStore.ANNOUNCEMENT) {
            delivery.post(() -> revocations.onAnnouncement(body));
        } else if (message[0] == RedisConnectionStore.ANNOUNCEMENT) {
            delivery.post(() -> connections.onAnnouncement(body));
        }
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the periodic tasks run until close() shuts the link's timer down
    public void start(EngineListener engineListener) {
        this.listener = engineListener;
        delivery.start(engineListener);
        revocations.start(engineListener);
        connections.start(engineListener);
        starting = true;
        CompletionStage<?> first = link.start(new RedisLink.Events() {
            @Override
            public void onReadinessChanged(boolean ready) {
                EngineListener l = listener;
                if (l != null && started) {
                    l.onReadinessChanged(ready);
                }
            }

            @Override
            public CompletionStage<?> onPubSubUp() {
                return renew();
            }
        });
        try {
            first.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Redis engine started without its subscriptions: {}", e.toString());
        } finally {
            starting = false;
        }
        ScheduledExecutorService timer = link.timer();
        timer.scheduleWithFixedDelay(
                guarded(liveness::heartbeat), 0, liveness.heartbeatMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(
                guarded(liveness::sweep), liveness.sweepMillis(), liveness.sweepMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(
                guarded(() -> broker.keepAlive(keepAliveMillis)),
                keepAliveMillis / 4,
                keepAliveMillis / 4,
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guarded(revocations::purge), 5, 5, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(
                guarded(() -> {
                    if (link.isReady()) {
                        broker.retryLeaves();
                    }
                }),
                2,
                2,
                TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(guarded(liveness::prune), 10, 10, TimeUnit.MINUTES);
        started = true;
        LOG.info("Redis engine {} as {} ({})", settings.describe(), instance, link.isReady() ? "ready" : "not ready");
    }

    /**
     * The pub/sub connection is (again) up: renew every subscription, then load revocations missed meanwhile (and,
     * when Redis was unreachable at start, all of them), handing the new ones to the node's sessions.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback only logs and retries; the caller gets done
    private CompletionStage<?> renew() {
        boolean announce = !starting;
        CompletableFuture<Void> done =
                delivery.renew(keys.control()).toCompletableFuture().thenCompose(v -> revocations.load(announce));
        done.whenComplete((v, t) -> {
            if (t != null) {
                LOG.warn("renewing Redis subscriptions failed ({}); retrying", t.toString());
                link.renewLater();
            }
        });
        return done;
    }

    private static Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("Redis engine task failed", e);
            }
        };
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public HistoryStore history() {
        return history;
    }

    @Override
    public PresenceStore presence() {
        return presence;
    }

    @Override
    public NonceStore nonces() {
        return nonces;
    }

    @Override
    public RevocationStore revocations() {
        return revocations;
    }

    @Override
    public ConnectionStore connections() {
        return connections;
    }

    @Override
    public io.herald.core.engine.OccupancyStore occupancy() {
        return occupancy;
    }

    @Override
    public io.herald.core.engine.StatsStore stats() {
        return stats;
    }

    @Override
    public io.herald.core.engine.ObjectsStore objects() {
        return objects;
    }

    @Override
    public boolean isReady() {
        return link.isReady();
    }

    @Override
    public String describe() {
        return "redis " + settings.describe();
    }

    NodeLiveness liveness() {
        return liveness;
    }

    /** The engine's Redis link (tests hold its pipeline to see what one flush writes). */
    RedisLink link() {
        return link;
    }

    /** This process's node instance ({@code nodeId#random}), as the liveness zset knows it. */
    public String instance() {
        return instance;
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        delivery.close();
        link.close();
    }
}
