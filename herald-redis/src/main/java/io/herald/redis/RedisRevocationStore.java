package io.herald.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.RevocationStore;
import io.herald.core.internal.Stages;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocations shared by every node: a zset of encoded revocations scored by expiry, announced on the control channel
 * by the same script that stores them. Each node keeps the current ones in memory ({@link #forKey} is a local
 * lookup): loaded when the pub/sub connection comes up (at start and after every reconnection, so announcements
 * missed while cut off are not lost), then followed through announcements. The listener hears of each revocation
 * once per node.
 */
final class RedisRevocationStore implements RevocationStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRevocationStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final byte ANNOUNCEMENT = 'r';

    private final RedisLink link;
    private final RedisKeys keys;
    private final Clock clock;
    private final Set<Revocation> known = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Revocation>> byKey = new ConcurrentHashMap<>();
    private volatile @Nullable EngineListener listener;

    RedisRevocationStore(RedisLink link, RedisKeys keys, Clock clock) {
        this.link = link;
        this.keys = keys;
        this.clock = clock;
    }

    void start(EngineListener l) {
        this.listener = l;
    }

    @Override
    public CompletionStage<Void> add(Revocation r) {
        return Stages.guard(() -> {
            byte[] encoded = encode(r);
            byte[] announcement = new byte[encoded.length + 1];
            announcement[0] = ANNOUNCEMENT;
            System.arraycopy(encoded, 0, announcement, 1, encoded.length);
            return link.<Long>eval(
                            Script.REVOKE,
                            ScriptOutputType.INTEGER,
                            new String[] {keys.revocations()},
                            encoded,
                            RedisLink.bytes(r.expiresAt()),
                            RedisLink.bytes(clock.millis()),
                            RedisLink.bytes(keys.control()),
                            announcement)
                    .thenRun(() -> accept(r, true));
        });
    }

    @Override
    public List<Revocation> forKey(String keyName) {
        List<Revocation> list = byKey.get(keyName);
        return list == null ? List.of() : list;
    }

    /** An announcement from the control channel (without its first byte). */
    void onAnnouncement(byte[] body) {
        try {
            accept(decode(body), true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("malformed revocation announcement: {}", e.toString());
        }
    }

    /** Loads every stored revocation; those new to this node reach the listener if {@code announce}. */
    CompletableFuture<Void> load(boolean announce) {
        return link.<List<byte[]>>call(c ->
                        c.zrangebyscore(keys.revocations(), Range.create(clock.millis(), Double.POSITIVE_INFINITY)))
                .thenAccept(all -> {
                    for (byte[] b : all) {
                        try {
                            accept(decode(b), announce);
                        } catch (IOException | RuntimeException e) {
                            LOG.warn("malformed stored revocation: {}", e.toString());
                        }
                    }
                });
    }

    private void accept(Revocation r, boolean announce) {
        if (r.expiresAt() <= clock.millis() || !known.add(r)) {
            return;
        }
        byKey.computeIfAbsent(r.keyName(), k -> new CopyOnWriteArrayList<>()).add(r);
        EngineListener l = listener;
        if (announce && l != null) {
            l.onRevocation(r);
        }
    }

    /** Forgets expired revocations. */
    void purge() {
        long now = clock.millis();
        known.removeIf(r -> r.expiresAt() <= now);
        for (CopyOnWriteArrayList<Revocation> list : byKey.values()) {
            list.removeIf(r -> r.expiresAt() <= now);
        }
        byKey.values().removeIf(List::isEmpty);
    }

    static byte[] encode(Revocation r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("keyName", r.keyName());
        o.put("type", r.type());
        o.put("value", r.value());
        o.put("issuedBefore", r.issuedBefore());
        o.put("appliesAt", r.appliesAt());
        o.put("expiresAt", r.expiresAt());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Revocation decode(byte[] b) throws IOException {
        JsonNode o = JSON.readTree(b);
        return new Revocation(
                o.get("keyName").asText(),
                o.get("type").asText(),
                o.get("value").asText(),
                o.get("issuedBefore").asLong(),
                o.get("appliesAt").asLong(),
                o.get("expiresAt").asLong());
    }
}
