package io.herald.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.ObjectsStore;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.internal.Ids;
import io.herald.core.internal.Stages;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.objects.ObjectsLimits;
import io.herald.protocol.ProtocolMessage;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * LiveObjects on Redis (docs/redis.md, "LiveObjects"). Redis keeps each channel's objects as a compacted state and
 * the operations after it, next to the channel's log under its hash tag: {@code P:{app:name}:b} (hash: l = the
 * objects' life, n = operations ever appended, b = operations compacted, s = the compacted state) and
 * {@code P:{app:name}:bo} (list of operations: {@code "epoch seq\n"} and the OBJECT event). The rules stay in Java:
 * every node folds the operations, in the order Redis appended them, into its own {@link ObjectsPool}.
 *
 * <p>A batch is checked against this node's pool and handed to {@code objects.lua} with the operation count the
 * pool is current to; the script appends the OBJECT event to the log (one seq, one pub/sub frame, as a publish) and
 * to the operation list only if no other node appended meanwhile, else this node catches up and checks again. A
 * snapshot catches up first, so it holds every operation appended before it was asked for. After
 * {@link #compactEvery} operations past the compacted state, the node stores its pool as the new compacted state
 * ({@code objects_compact.lua}, which never goes back). Serials: the event's log position and the message's index,
 * one site for all nodes ({@value #SITE_CODE}), as every serial comes from the one log.
 */
final class RedisObjects implements ObjectsStore {
    static final String SITE_CODE = "herald";
    /** Conflicting applies in a row before a batch gives up with 50300. */
    private static final int MAX_TRIES = 50;
    /** Channels whose pools this node keeps; the least recently used beyond it are dropped (and read again). */
    private static final int MAX_POOLS = 10_000;
    /** How long a channel's objects outlive their last change (Ably keeps them 90 days). */
    static final long OBJECTS_TTL_MILLIS = 90L * 24 * 3_600_000;

    private final RedisLink link;
    private final RedisKeys keys;
    private final LogReader reader;
    private final Clock clock;
    private final ObjectsLimits limits;
    private final byte[] maxEntries;
    private final byte[] stateTtl;
    private final int compactEvery;
    private final Map<ChannelId, ObjectsPool> pools = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ChannelId, ObjectsPool> eldest) {
            return size() > MAX_POOLS;
        }
    };

    RedisObjects(
            RedisLink link,
            RedisKeys keys,
            LogReader reader,
            Clock clock,
            ObjectsLimits limits,
            int maxEntries,
            long stateTtlMillis,
            int compactEvery) {
        this.link = link;
        this.keys = keys;
        this.reader = reader;
        this.clock = clock;
        this.limits = limits;
        this.maxEntries = RedisLink.bytes(maxEntries);
        this.stateTtl = RedisLink.bytes(stateTtlMillis);
        this.compactEvery = Math.max(1, compactEvery);
    }

    /** Stamps an OBJECT event's messages read from Redis with their serials, siteCode and serialTimestamp. */
    static void stamp(ProtocolMessage pm, ChannelSerial serial) {
        pm.channelSerial = serial.toString();
        JsonNode state = pm.state;
        if (state == null || !state.isArray()) {
            return;
        }
        for (int i = 0; i < state.size(); i++) {
            if (state.get(i) instanceof ObjectNode m) {
                m.put("serial", serial.messageSerial(i));
                m.put("siteCode", SITE_CODE);
                JsonNode ts = m.get("timestamp");
                if (ts != null && ts.isNumber()) {
                    m.put("serialTimestamp", ts.asLong());
                }
            }
        }
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public String siteCode() {
        return SITE_CODE;
    }

    private ObjectsPool pool(ChannelId channel) {
        synchronized (pools) {
            return pools.computeIfAbsent(channel, c -> new ObjectsPool(limits));
        }
    }

    @Override
    public CompletionStage<PublishOutcome> apply(ObjectsRequest request) {
        return Stages.guard(() -> {
            ObjectsPool pool = pool(request.channel());
            return pool.then(() -> attempt(pool, request, MAX_TRIES));
        });
    }

    @Override
    public CompletionStage<ObjectsSnapshot> snapshot(ChannelId channel) {
        return Stages.guard(() -> {
            ObjectsPool pool = pool(channel);
            return pool.then(() -> catchUp(pool, channel).thenCompose(v -> {
                ChannelSerial at = pool.last;
                List<ObjectMessage> objects = pool.state.snapshot();
                return at != null
                        ? CompletableFuture.completedFuture(new ObjectsSnapshot(objects, at))
                        : reader.position(RedisKeys.tag(channel))
                                .thenApply(s -> new ObjectsSnapshot(objects, s.position()));
            }));
        });
    }

    /** Stores this node's pool of the channel as the compacted state now; whether Redis took it. */
    CompletableFuture<Boolean> compact(ChannelId channel) {
        ObjectsPool pool = pool(channel);
        return pool.then(() -> catchUp(pool, channel).thenCompose(v -> store(pool, channel)));
    }

    private CompletableFuture<PublishOutcome> attempt(ObjectsPool pool, ObjectsRequest request, int tries) {
        long now = clock.millis();
        List<ObjectOperation> ops = new ArrayList<>(request.messages().size());
        for (ObjectMessage m : request.messages()) {
            ops.add(Objects.requireNonNull(m.operation()));
        }
        pool.state.check(ops);
        ProtocolMessage pm = request.event();
        List<ObjectMessage> complete = new ArrayList<>(ops.size());
        for (int i = 0; i < request.messages().size(); i++) {
            ObjectMessage m = request.messages().get(i);
            complete.add(new ObjectMessage(
                    m.id() != null ? m.id() : pm.id + ":" + i,
                    m.clientId(),
                    m.connectionId(),
                    m.timestamp() != null ? m.timestamp() : now,
                    null,
                    null,
                    null,
                    m.extras(),
                    m.operation(),
                    null));
        }
        pm.state = ObjectMessages.write(complete);
        pm.channelSerial = null;
        byte[] payload = EventCodec.payload(pm);
        String tag = RedisKeys.tag(request.channel());
        String[] k = {keys.state(tag), keys.log(tag), objects(tag), operations(tag)};
        return link.<List<Object>>eval(
                        Script.OBJECTS,
                        ScriptOutputType.MULTI,
                        k,
                        RedisLink.bytes(now),
                        maxEntries,
                        stateTtl,
                        RedisLink.bytes(keys.events(tag)),
                        RedisLink.bytes(Ids.alphanumeric(8)),
                        RedisLink.bytes(request.retention().toMillis()),
                        payload,
                        RedisLink.bytes(pool.life),
                        RedisLink.bytes(pool.count),
                        RedisLink.bytes(Ids.alphanumeric(12)),
                        RedisLink.bytes(OBJECTS_TTL_MILLIS))
                .thenCompose(r -> {
                    if (!"ok".equals(RedisLink.string(r.get(0)))) {
                        if (tries <= 1) {
                            return Stages.failed(Failures.unavailable("the channel's objects are too busy; retry"));
                        }
                        return catchUp(pool, request.channel()).thenCompose(v -> attempt(pool, request, tries - 1));
                    }
                    ChannelSerial serial = new ChannelSerial(RedisLink.string(r.get(1)), RedisLink.number(r.get(2)));
                    pool.life = RedisLink.string(r.get(3));
                    List<ObjectMessage> stamped = new ArrayList<>(complete.size());
                    List<String> serials = new ArrayList<>(complete.size());
                    for (int i = 0; i < complete.size(); i++) {
                        ObjectMessage m = complete.get(i);
                        String s = serial.messageSerial(i);
                        stamped.add(m.stamped(
                                Objects.requireNonNull(m.id()),
                                m.clientId(),
                                m.connectionId(),
                                Objects.requireNonNull(m.timestamp()),
                                s,
                                SITE_CODE));
                        serials.add(s);
                    }
                    pool.fold(stamped, serial);
                    pm.state = ObjectMessages.write(stamped);
                    pm.channelSerial = serial.toString();
                    maybeCompact(pool, request.channel());
                    return CompletableFuture.completedFuture(new PublishOutcome(serial, serials));
                });
    }

    /** Brings the pool up to date with Redis. */
    private CompletableFuture<Void> catchUp(ObjectsPool pool, ChannelId channel) {
        String tag = RedisKeys.tag(channel);
        return link.<List<Object>>eval(
                        Script.OBJECTS_READ,
                        ScriptOutputType.MULTI,
                        new String[] {objects(tag), operations(tag)},
                        RedisLink.bytes(pool.life),
                        RedisLink.bytes(pool.count))
                .thenApply(r -> {
                    String life = RedisLink.string(r.get(0));
                    if (life.isEmpty()) {
                        if (!pool.life.isEmpty() || pool.count > 0) {
                            pool.reset("");
                        }
                        return null;
                    }
                    long compacted = RedisLink.number(r.get(2));
                    if ("state".equals(RedisLink.string(r.get(3)))) {
                        pool.restore(life, compacted, bytes(r.get(4)));
                    }
                    pool.compacted = compacted;
                    if (r.size() > 5 && r.get(5) instanceof List<?> entries) {
                        for (Object e : entries) {
                            pool.fold(bytes(e));
                        }
                    }
                    return null;
                });
    }

    @SuppressWarnings("FutureReturnValueIgnored") // best effort: the next apply past the threshold tries again
    private void maybeCompact(ObjectsPool pool, ChannelId channel) {
        if (pool.count - pool.compacted >= compactEvery) {
            store(pool, channel);
        }
    }

    private CompletableFuture<Boolean> store(ObjectsPool pool, ChannelId channel) {
        if (pool.life.isEmpty() || pool.count <= pool.compacted) {
            return CompletableFuture.completedFuture(false);
        }
        String tag = RedisKeys.tag(channel);
        long upto = pool.count;
        byte[] blob = pool.encode();
        // claimed now, so the applies until the answer do not all send the state again
        long before = pool.compacted;
        pool.compacted = upto;
        return link.<Long>eval(
                        Script.OBJECTS_COMPACT,
                        ScriptOutputType.INTEGER,
                        new String[] {objects(tag), operations(tag)},
                        RedisLink.bytes(pool.life),
                        RedisLink.bytes(upto),
                        blob)
                .handle((n, t) -> {
                    if (t != null && pool.compacted == upto) {
                        pool.compacted = before;
                    }
                    return t == null && n != null && n == 1L;
                });
    }

    private String objects(String tag) {
        return keys.channel(tag, "b");
    }

    private String operations(String tag) {
        return keys.channel(tag, "bo");
    }

    private static byte[] bytes(@Nullable Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        return o == null ? new byte[0] : RedisLink.bytes(o.toString());
    }
}
