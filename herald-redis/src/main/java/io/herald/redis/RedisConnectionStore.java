package io.herald.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.ConnectionRecord;
import io.herald.core.engine.ConnectionStore;
import io.herald.core.engine.EngineListener;
import io.herald.core.internal.Stages;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection records ({@code SET ... PX} until they expire) so another node can resume a connection, and takeovers:
 * announced to every node on the control channel; the node taking over also becomes the owner of the connection's
 * presence members (found through the connection's channel index), so they live and die with it from now on.
 */
final class RedisConnectionStore implements ConnectionStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnectionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final byte ANNOUNCEMENT = 't';

    private final RedisLink link;
    private final RedisKeys keys;
    private final Clock clock;
    private final String nodeId;
    private final String instance;
    private volatile @Nullable EngineListener listener;

    RedisConnectionStore(RedisLink link, RedisKeys keys, Clock clock, String nodeId, String instance) {
        this.link = link;
        this.keys = keys;
        this.clock = clock;
        this.nodeId = nodeId;
        this.instance = instance;
    }

    void start(EngineListener l) {
        this.listener = l;
    }

    @Override
    public CompletionStage<Void> save(ConnectionRecord r) {
        long ttl = r.expiresAt() - clock.millis();
        String key = keys.connection(r.connectionId());
        if (ttl <= 0) {
            return remove(r.connectionId());
        }
        return Stages.guard(() ->
                link.call(c -> c.set(key, encode(r), SetArgs.Builder.px(ttl))).thenRun(() -> {}));
    }

    @Override
    public CompletionStage<ConnectionRecord> load(String connectionId) {
        return Stages.guard(() -> link.call(c -> c.get(keys.connection(connectionId)))
                .thenApply(b -> {
                    if (b == null) {
                        return null;
                    }
                    try {
                        ConnectionRecord r = decode(b);
                        return r.expiresAt() > clock.millis() ? r : null;
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("malformed connection record {}: {}", connectionId, e.toString());
                        return null;
                    }
                }));
    }

    @Override
    public CompletionStage<Void> remove(String connectionId) {
        return Stages.guard(
                () -> link.call(c -> c.del(keys.connection(connectionId), keys.connectionChannels(connectionId)))
                        .thenRun(() -> {}));
    }

    @Override
    public CompletionStage<Void> announceTakeover(String connectionId, String takerNodeId) {
        byte[] body = (connectionId + "\n" + takerNodeId).getBytes(StandardCharsets.UTF_8);
        byte[] announcement = new byte[body.length + 1];
        announcement[0] = ANNOUNCEMENT;
        System.arraycopy(body, 0, announcement, 1, body.length);
        CompletableFuture<Void> moved =
                takerNodeId.equals(nodeId) ? adoptMembers(connectionId) : CompletableFuture.completedFuture(null);
        return Stages.guard(() -> moved.exceptionally(t -> {
                    LOG.warn("connection {}: adopting its presence members failed: {}", connectionId, t.toString());
                    return null;
                })
                .thenCompose(v -> link.call(c -> c.publish(keys.control(), announcement)))
                .thenRun(() -> {}));
    }

    /** Makes this node the owner of the connection's members on every channel where it has some. */
    private CompletableFuture<Void> adoptMembers(String connectionId) {
        byte[] prefix = RedisLink.bytes(connectionId + ":");
        byte[] owner = RedisLink.bytes(instance);
        byte[] any = new byte[0];
        return link.call(c -> c.smembers(keys.connectionChannels(connectionId))).thenCompose(tags -> {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (byte[] t : tags) {
                String tag = RedisLink.string(t);
                all.add(link.call(c -> c.sadd(keys.nodeChannels(instance), t)));
                all.add(link.eval(
                        Script.REASSIGN,
                        ScriptOutputType.INTEGER,
                        new String[] {keys.owners(tag)},
                        prefix,
                        owner,
                        any));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        });
    }

    /** An announcement from the control channel (without its first byte). */
    void onAnnouncement(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        EngineListener l = listener;
        if (nl > 0 && l != null) {
            l.onTakeover(s.substring(0, nl), s.substring(nl + 1));
        }
    }

    static byte[] encode(ConnectionRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("connectionId", r.connectionId());
        o.put("connectionKey", r.connectionKey());
        o.put("appId", r.appId());
        if (r.clientId() != null) {
            o.put("clientId", r.clientId());
        }
        o.put("nodeId", r.nodeId());
        o.put("expiresAt", r.expiresAt());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ConnectionRecord decode(byte[] b) throws IOException {
        JsonNode o = JSON.readTree(b);
        JsonNode client = o.get("clientId");
        return new ConnectionRecord(
                o.get("connectionId").asText(),
                o.get("connectionKey").asText(),
                o.get("appId").asText(),
                client == null || client.isNull() ? null : client.asText(),
                o.get("nodeId").asText(),
                o.get("expiresAt").asLong());
    }
}
