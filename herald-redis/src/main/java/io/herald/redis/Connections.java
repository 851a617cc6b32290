package io.herald.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The Lettuce client behind a {@link RedisLink}: one Redis ({@link RedisClient}) or a Redis Cluster
 * ({@link RedisClusterClient}), and the link's three connections made with it. Both hand out the same command
 * interface ({@link RedisClusterAsyncCommands}); on a cluster every command goes to the master of its key's slot,
 * following MOVED and ASK redirections, and the client refreshes its view of the cluster periodically and whenever a
 * redirection or a lost connection says it changed.
 */
abstract class Connections {
    /** The link's connections, made together. */
    record Set(
            StatefulConnection<String, byte[]> commands,
            RedisClusterAsyncCommands<String, byte[]> commandsAsync,
            StatefulConnection<String, byte[]> pipelined,
            RedisClusterAsyncCommands<String, byte[]> pipelinedAsync,
            StatefulRedisPubSubConnection<String, byte[]> pubsub) {}

    /** What the link hears from the client besides replies. */
    interface Hooks {
        /** The pipelined connection (re)connected: the scripts must be loaded again. */
        void pipelinedConnected();

        /** The pub/sub connection went down: subscriptions must be renewed once it is back. */
        void pubsubLost();
    }

    static Connections create(RedisSettings settings, ClientResources resources) {
        return settings.cluster() ? new Cluster(settings, resources) : new Single(settings, resources);
    }

    /** Makes the three connections (blocking); throws if Redis cannot be reached. */
    abstract Set connect(RedisPubSubListener<String, byte[]> messages, Hooks hooks);

    /** Whether channel events travel by sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}, on a cluster). */
    abstract boolean sharded();

    /**
     * Called by the link's watch (every 200 ms): on a cluster, flushes commands that waited for a connection to a
     * node, and reports whether the cluster's slots changed masters since the last call (a failover, a resharding), in
     * which case the shard subscriptions must be renewed.
     */
    abstract boolean watch(Set set);

    abstract void shutdown();

    static ClientOptions.Builder options(ClientOptions.Builder b, RedisSettings settings) {
        return b.autoReconnect(true)
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
                        .build());
    }

    static void closeAll(@Nullable AutoCloseable... all) {
        for (AutoCloseable x : all) {
            try {
                if (x != null) {
                    x.close();
                }
            } catch (Exception ignored) {
                // closing a half-made or broken connection
            }
        }
    }

    static RedisConnectionStateListener onConnected(Runnable r) {
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                r.run();
            }
        };
    }

    static RedisConnectionStateListener onDisconnected(Runnable r) {
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                r.run();
            }
        };
    }

    /** One Redis. */
    private static final class Single extends Connections {
        private final RedisClient client;

        Single(RedisSettings settings, ClientResources resources) {
            this.client = RedisClient.create(resources, RedisURI.create(settings.uri()));
            client.setOptions(options(ClientOptions.builder(), settings).build());
        }

        @Override
        Set connect(RedisPubSubListener<String, byte[]> messages, Hooks hooks) {
            StatefulRedisConnection<String, byte[]> c = null;
            StatefulRedisConnection<String, byte[]> p = null;
            StatefulRedisPubSubConnection<String, byte[]> s = null;
            try {
                c = client.connect(RedisLink.CODEC);
                p = client.connect(RedisLink.CODEC);
                p.setAutoFlushCommands(false);
                p.addListener(onConnected(hooks::pipelinedConnected));
                s = client.connectPubSub(RedisLink.CODEC);
                s.addListener(messages);
                s.addListener(onDisconnected(hooks::pubsubLost));
                return new Set(c, c.async(), p, p.async(), s);
            } catch (RuntimeException e) {
                closeAll(c, p, s);
                throw e;
            }
        }

        @Override
        boolean sharded() {
            return false;
        }

        @Override
        boolean watch(Set set) {
            return false;
        }

        @Override
        void shutdown() {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * A Redis Cluster. Connections to the nodes are made as commands need them; the pipelined connection's are
     * flushed by every pipeline run and, for a command that waited for its node's connection, by the next watch.
     * Shard subscriptions live on connections to the masters of their slots: when a node's connection comes back, or
     * a slot gets another master, the link renews every subscription (and catches the channels up from their logs).
     */
    private static final class Cluster extends Connections {
        private final RedisClusterClient client;
        /** A pub/sub connection to a node came back: the shard subscriptions that lived on it need renewing. */
        private final AtomicBoolean nodeBack = new AtomicBoolean();
        /** The node connections already watched (identity): each gets its listeners once. */
        private final java.util.Set<Object> watched =
                java.util.Collections.newSetFromMap(new java.util.concurrent.ConcurrentHashMap<>());

        private volatile @Nullable Hooks hooks;
        private volatile String layout = "";

        Cluster(RedisSettings settings, ClientResources resources) {
            List<RedisURI> seeds = new ArrayList<>();
            for (String s : settings.clusterSeeds()) {
                seeds.add(RedisURI.create(s));
            }
            this.client = RedisClusterClient.create(resources, seeds);
            Duration refresh = Duration.ofSeconds(
                    Math.max(1, Math.min(10, settings.nodeTimeout().toSeconds() / 3)));
            ClusterClientOptions.Builder b = ClusterClientOptions.builder()
                    .maxRedirects(5)
                    .validateClusterNodeMembership(false)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(refresh)
                            // adaptive refresh (MOVED, ASK, persistent reconnects, unknown nodes...) is on by default
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                            .refreshTriggersReconnectAttempts(2)
                            .dynamicRefreshSources(true)
                            .closeStaleConnections(true)
                            .build());
            options(b, settings);
            // the client makes a node's connection when a command first needs it (after a failover, the new master's)
            // and would refuse the commands that wait for it: here they wait, up to the command timeout, as do
            // commands for a node whose connection is down (they fail with a timeout instead of at once)
            b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.DEFAULT);
            client.setOptions(b.build());
        }

        @Override
        Set connect(RedisPubSubListener<String, byte[]> messages, Hooks hooks) {
            StatefulRedisClusterConnection<String, byte[]> c = null;
            StatefulRedisClusterConnection<String, byte[]> p = null;
            StatefulRedisClusterPubSubConnection<String, byte[]> s = null;
            try {
                c = client.connect(RedisLink.CODEC);
                p = client.connect(RedisLink.CODEC);
                p.setAutoFlushCommands(false);
                p.addListener(onConnected(hooks::pipelinedConnected));
                s = client.connectPubSub(RedisLink.CODEC);
                s.addListener(messages);
                s.addListener(onDisconnected(hooks::pubsubLost));
                layout = layout(c);
                this.hooks = hooks;
                Set set = new Set(c, c.async(), p, p.async(), s);
                try {
                    preconnect(set).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // a master that cannot be reached now: its commands fail until the client reaches it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return set;
            } catch (RuntimeException e) {
                closeAll(c, p, s);
                throw e;
            }
        }

        @Override
        boolean sharded() {
            return true;
        }

        @Override
        boolean watch(Set set) {
            set.pipelined().flushCommands();
            boolean changed = false;
            if (set.commands() instanceof StatefulRedisClusterConnection<String, byte[]> c) {
                String now = layout(c);
                if (!now.equals(layout)) {
                    layout = now;
                    changed = true;
                    var unused = preconnect(set);
                }
            }
            if (nodeBack.compareAndSet(true, false)) {
                changed = true;
            }
            return changed;
        }

        /**
         * Opens the connections to every master now: a command whose node connection is still being made is refused
         * (the client rejects commands while not connected), so the first commands to each node would fail.
         */
        private CompletableFuture<Void> preconnect(Set set) {
            List<CompletableFuture<?>> all = new ArrayList<>();
            if (set.commands() instanceof StatefulRedisClusterConnection<String, byte[]> c
                    && set.pipelined() instanceof StatefulRedisClusterConnection<String, byte[]> p
                    && set.pubsub() instanceof StatefulRedisClusterPubSubConnection<String, byte[]> s) {
                for (RedisClusterNode n : c.getPartitions()) {
                    if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.is(RedisClusterNode.NodeFlag.FAIL)) {
                        // by host and port, as the client keys the connections it routes slots to
                        String host = n.getUri().getHost();
                        int port = n.getUri().getPort();
                        all.add(c.getConnectionAsync(host, port));
                        all.add(p.getConnectionAsync(host, port).thenAccept(this::watchPipelined));
                        all.add(s.getConnectionAsync(host, port).thenAccept(this::watchPubSub));
                    }
                }
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }

        /** A new pipelined node connection loads the scripts first (EVALSHA would answer NOSCRIPT otherwise). */
        private void watchPipelined(StatefulRedisConnection<String, byte[]> node) {
            Hooks h = hooks;
            if (h != null && watched.add(node)) {
                h.pipelinedConnected();
                node.addListener(onConnected(h::pipelinedConnected));
            }
        }

        /** A pub/sub node connection that comes back (the client resubscribes it) is also caught up from the logs. */
        private void watchPubSub(StatefulRedisPubSubConnection<String, byte[]> node) {
            if (watched.add(node)) {
                node.addListener(onConnected(() -> nodeBack.set(true)));
            }
        }

        /** Which node serves which slots as master, as the client currently sees the cluster. */
        private static String layout(StatefulRedisClusterConnection<String, byte[]> c) {
            TreeMap<String, Integer> masters = new TreeMap<>();
            for (RedisClusterNode n : c.getPartitions()) {
                List<Integer> slots = n.getSlots();
                if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !slots.isEmpty()) {
                    masters.put(n.getNodeId(), slots.hashCode());
                }
            }
            return masters.toString();
        }

        @Override
        void shutdown() {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
