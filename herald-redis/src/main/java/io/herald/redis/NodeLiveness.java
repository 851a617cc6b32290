package io.herald.redis;

import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ConnectionRecord;
import io.herald.core.engine.PresenceLeaves;
import io.herald.core.engine.PublishRequest;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-node liveness for presence. Every node instance ({@code serverId#random}, new for every process) heartbeats
 * into a zset timed by Redis's clock. A live node that has itself reached Redis without a break for at least the node
 * timeout sweeps the instances whose heartbeat is older than that: for each channel where a dead instance owns
 * members, members whose connection was taken over by a live node are handed to it, the others leave through the
 * normal publish path (guarded, so a member handed over meanwhile stays), then the dead instance is forgotten. A lock
 * per dead instance keeps two nodes from sweeping it at once. A node cut off from Redis sweeps nobody (it cannot), and
 * after Redis comes back nobody sweeps before every live node had a full timeout to heartbeat again.
 */
final class NodeLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);

    private final RedisLink link;
    private final RedisKeys keys;
    private final RedisBroker broker;
    private final RedisConnectionStore connections;
    private final Clock clock;
    private final Timings timings;
    private final String instance;
    private final long timeoutMillis;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean registered;

    NodeLiveness(
            RedisLink link,
            RedisKeys keys,
            RedisBroker broker,
            RedisConnectionStore connections,
            Clock clock,
            Timings timings,
            String instance,
            Duration timeout) {
        this.link = link;
        this.keys = keys;
        this.broker = broker;
        this.connections = connections;
        this.clock = clock;
        this.timings = timings;
        this.instance = instance;
        this.timeoutMillis = timeout.toMillis();
    }

    long heartbeatMillis() {
        return Math.max(500, Math.min(2_000, timeoutMillis / 5));
    }

    long sweepMillis() {
        return Math.max(1_000, Math.min(5_000, timeoutMillis / 3));
    }

    static String serverIdOf(String instance) {
        int hash = instance.lastIndexOf('#');
        return hash < 0 ? instance : instance.substring(0, hash);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the whenComplete callback handles the outcome; nothing waits
    void heartbeat() {
        if (!link.isConnected()) {
            return;
        }
        link.<Long>eval(
                        Script.HEARTBEAT,
                        ScriptOutputType.INTEGER,
                        new String[] {keys.nodes()},
                        RedisLink.bytes(instance))
                .whenComplete((added, t) -> {
                    if (t != null) {
                        LOG.debug("heartbeat failed: {}", t.toString());
                        if (link.isConnected()) {
                            link.responsive(false);
                        }
                        return;
                    }
                    link.responsive(true);
                    if (added == 1 && registered) {
                        LOG.warn(
                                "node {} was taken for dead by another node (no heartbeat for {} ms): its presence "
                                        + "members may have been removed",
                                instance,
                                timeoutMillis);
                    }
                    registered = true;
                });
    }

    /**
     * Forgets the channels of this node's index where it owns no member any more (they were left), so the index of a
     * long-lived node does not grow with every channel it ever had members in.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the whenComplete callback handles the outcome; nothing waits
    void prune() {
        if (!link.isReady()) {
            return;
        }
        String index = keys.nodeChannels(instance);
        link.call(c -> c.smembers(index))
                .thenCompose(tags -> {
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (byte[] t : tags) {
                        String tag = RedisLink.string(t);
                        chain = chain.thenCompose(v -> pruneChannel(index, tag, t));
                    }
                    return chain;
                })
                .whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.debug("pruning the node's channel index failed: {}", t.toString());
                    }
                });
    }

    /**
     * Forgets one channel in the node's index if the node owns no member there. The index and the channel's owners
     * hash are in different slots on a Redis Cluster: there it takes two steps, so a member put between them stays
     * unindexed until its next presence update (the sweeper would not find it should the node die meanwhile).
     */
    private CompletableFuture<Void> pruneChannel(String index, String tag, byte[] t) {
        if (!link.cluster()) {
            return link.<Long>eval(
                            Script.PRUNE,
                            ScriptOutputType.INTEGER,
                            new String[] {index, keys.owners(tag)},
                            RedisLink.bytes(instance),
                            t)
                    .thenRun(() -> {});
        }
        return link.call(c -> c.hvals(keys.owners(tag))).thenCompose(owners -> {
            for (byte[] owner : owners) {
                if (instance.equals(RedisLink.string(owner))) {
                    return CompletableFuture.completedFuture(null);
                }
            }
            return link.call(c -> c.srem(index, t)).thenRun(() -> {});
        });
    }

    /** Looks for dead nodes and sweeps them; skipped unless Redis has been reachable for a whole timeout. */
    @SuppressWarnings("FutureReturnValueIgnored") // the whenComplete callback handles the outcome; nothing waits
    void sweep() {
        if (link.readyForMillis() < timeoutMillis || !sweeping.compareAndSet(false, true)) {
            return;
        }
        link.<List<Object>>eval(
                        Script.NODES,
                        ScriptOutputType.MULTI,
                        new String[] {keys.nodes()},
                        RedisLink.bytes(timeoutMillis))
                .thenCompose(r -> {
                    List<String> dead = strings(r.get(0));
                    Map<String, String> liveByServer = new HashMap<>();
                    for (String live : strings(r.get(1))) {
                        liveByServer.put(serverIdOf(live), live);
                    }
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (String d : dead) {
                        if (!d.equals(instance)) {
                            chain = chain.thenCompose(v -> sweepInstance(d, liveByServer));
                        }
                    }
                    return chain;
                })
                .whenComplete((v, t) -> {
                    sweeping.set(false);
                    if (t != null) {
                        LOG.debug("sweep failed: {}", t.toString());
                    }
                });
    }

    private CompletableFuture<Void> sweepInstance(String dead, Map<String, String> liveByServer) {
        return link.call(c -> c.set(
                        keys.sweepLock(dead),
                        RedisLink.bytes(instance),
                        SetArgs.Builder.nx().px(timeoutMillis * 2)))
                .thenCompose(ok -> {
                    if (!"OK".equals(ok)) {
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.info(
                            "node {} has had no heartbeat for {} ms: removing its presence members",
                            dead,
                            timeoutMillis);
                    return link.call(c -> c.smembers(keys.nodeChannels(dead)))
                            .thenCompose(tags -> {
                                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                                for (byte[] t : tags) {
                                    String tag = RedisLink.string(t);
                                    chain = chain.thenCompose(v -> sweepChannel(dead, tag, liveByServer));
                                }
                                return chain;
                            })
                            .thenCompose(v -> link.call(c -> c.del(keys.nodeChannels(dead))))
                            .thenCompose(v -> link.call(c -> c.zrem(keys.nodes(), RedisLink.bytes(dead))))
                            .thenRun(() -> {});
                });
    }

    private CompletableFuture<Void> sweepChannel(String dead, String tag, Map<String, String> liveByServer) {
        ChannelId channel = RedisKeys.channelOf(tag);
        if (channel == null) {
            return CompletableFuture.completedFuture(null);
        }
        return link.<List<Object>>eval(
                        Script.OWNED,
                        ScriptOutputType.MULTI,
                        new String[] {keys.owners(tag), keys.presence(tag)},
                        RedisLink.bytes(dead))
                .thenCompose(raw -> {
                    Map<String, List<PresenceMessage>> byConnection = new LinkedHashMap<>();
                    for (Object o : raw) {
                        PresenceMessage m = EventCodec.member((byte[]) o);
                        byConnection
                                .computeIfAbsent(String.valueOf(m.connectionId), k -> new ArrayList<>())
                                .add(m);
                    }
                    List<CompletableFuture<List<PresenceMessage>>> decisions = new ArrayList<>();
                    for (Map.Entry<String, List<PresenceMessage>> e : byConnection.entrySet()) {
                        decisions.add(decide(dead, tag, e.getKey(), e.getValue(), liveByServer));
                    }
                    return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
                            .thenCompose(v -> {
                                List<PresenceMessage> leaving = new ArrayList<>();
                                for (CompletableFuture<List<PresenceMessage>> d : decisions) {
                                    leaving.addAll(d.join());
                                }
                                return leave(dead, tag, channel, leaving);
                            });
                });
    }

    /** The members to remove: none if their connection now lives on a live node (they are handed to it). */
    private CompletableFuture<List<PresenceMessage>> decide(
            String dead,
            String tag,
            String connectionId,
            List<PresenceMessage> members,
            Map<String, String> liveByServer) {
        return connections.load(connectionId).toCompletableFuture().thenCompose((ConnectionRecord r) -> {
            String heir = r == null ? null : liveByServer.get(r.nodeId());
            // a node restarted under the same server id is a new process: it holds none of the dead one's connections
            if (heir == null || serverIdOf(heir).equals(serverIdOf(dead))) {
                return CompletableFuture.completedFuture(members);
            }
            byte[] t = RedisLink.bytes(tag);
            return link.call(c -> c.sadd(keys.nodeChannels(heir), t))
                    .thenCompose(v -> link.<Long>eval(
                            Script.REASSIGN,
                            ScriptOutputType.INTEGER,
                            new String[] {keys.owners(tag)},
                            RedisLink.bytes(connectionId + ":"),
                            RedisLink.bytes(heir),
                            RedisLink.bytes(dead)))
                    .thenApply(n -> List.<PresenceMessage>of());
        });
    }

    private CompletableFuture<Void> leave(String dead, String tag, ChannelId channel, List<PresenceMessage> members) {
        if (members.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        ProtocolMessage pm = PresenceLeaves.event(channel.name(), members, now);
        return link.call(c -> c.pttl(keys.log(tag)))
                .thenCompose(pttl -> {
                    long retention = Math.max(timings.historyRetention().toMillis(), pttl == null ? 0 : pttl);
                    return broker.publish(new PublishRequest(channel, pm, Duration.ofMillis(retention), false), dead);
                })
                .thenAccept(o -> LOG.info(
                        "channel {}: {} member(s) of dead node {} left",
                        channel,
                        o.serial() == null ? 0 : members.size(),
                        dead));
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(RedisLink.string(x));
            }
        }
        return out;
    }
}
