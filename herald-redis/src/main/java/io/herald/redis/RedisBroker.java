package io.herald.redis;

import io.herald.core.engine.Broker;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.internal.Ids;
import io.herald.core.internal.Stages;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes with one {@code publish.lua} call per event, through the {@link Pipeline}: the script assigns the seq,
 * appends to the log, applies presence changes and PUBLISHes the frame, so every node sees one order. Presence puts
 * also record, in the same flush, which channels this node owns members in and which channels a connection has
 * members in (for node liveness and takeovers). Subscriptions are the {@link Delivery}'s.
 */
final class RedisBroker implements Broker {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] MESSAGES = {'m'};
    private static final byte[] PRESENCE = {'p'};
    private static final byte[] PUT = {'+'};
    private static final byte[] REMOVE = {'-'};
    /** How long the index of a connection's presence channels lives (refreshed by every presence put). */
    static final long CONNECTION_INDEX_MILLIS = 24 * 3_600_000L;

    private final RedisLink link;
    private final RedisKeys keys;
    private final LogReader reader;
    private final Delivery delivery;
    private final Clock clock;
    private final String instance;
    private final byte[] maxEntries;
    private final byte[] stateTtl;
    private final long idempotencyWindow;

    RedisBroker(RedisLink link, RedisKeys keys, LogReader reader, Delivery delivery, Clock clock, String instance,
                int maxEntries, long stateTtlMillis, long idempotencyWindowMillis) {
        this.link = link;
        this.keys = keys;
        this.reader = reader;
        this.delivery = delivery;
        this.clock = clock;
        this.instance = instance;
        this.maxEntries = RedisLink.bytes(maxEntries);
        this.stateTtl = RedisLink.bytes(stateTtlMillis);
        this.idempotencyWindow = idempotencyWindowMillis;
    }

    @Override
    public CompletionStage<PublishOutcome> publish(PublishRequest request) {
        return Stages.guard(() -> publish(request, ""));
    }

    /**
     * Publishes; with a non-empty {@code guard}, a presence removal only applies to a member still owned by that
     * node instance (the sweeper's leaves must not remove a member another node has taken over).
     */
    CompletableFuture<PublishOutcome> publish(PublishRequest request, String guard) {
        ProtocolMessage pm = request.message();
        String tag = RedisKeys.tag(request.channel());
        boolean messages = pm.action == Action.MESSAGE;
        int n = messages ? size(pm.messages) : size(pm.presence);
        List<byte[]> args = new ArrayList<>(13 + n * 3);
        args.add(RedisLink.bytes(clock.millis()));
        args.add(RedisLink.bytes(request.retention().toMillis()));
        args.add(maxEntries);
        args.add(stateTtl);
        args.add(RedisLink.bytes(keys.events(tag)));
        args.add(messages ? MESSAGES : PRESENCE);
        args.add(EventCodec.payload(pm));
        args.add(RedisLink.bytes(Ids.alphanumeric(8)));
        args.add(RedisLink.bytes(messages && request.dedupe() ? idempotencyWindow : 0));
        args.add(RedisLink.bytes(keys.idPrefix(tag)));
        args.add(RedisLink.bytes(instance));
        args.add(RedisLink.bytes(guard));
        args.add(RedisLink.bytes(n));
        Set<String> puttingConnections = new LinkedHashSet<>();
        if (messages) {
            for (Message m : pm.messages) {
                args.add(m.id == null ? EMPTY : RedisLink.bytes(m.id));
            }
        } else {
            for (PresenceMessage p : pm.presence) {
                boolean leave = p.action == PresenceMessage.LEAVE || p.action == PresenceMessage.ABSENT;
                args.add(leave ? REMOVE : PUT);
                args.add(RedisLink.bytes(p.memberKey()));
                args.add(leave ? EMPTY : EventCodec.member(p));
                if (!leave && p.connectionId != null) {
                    puttingConnections.add(p.connectionId);
                }
            }
        }
        Pipeline pipeline = link.pipeline();
        if (!puttingConnections.isEmpty()) {
            byte[] t = RedisLink.bytes(tag);
            pipeline.submit(c -> c.sadd(keys.nodeChannels(instance), t));
            for (String connectionId : puttingConnections) {
                String k = keys.connectionChannels(connectionId);
                pipeline.submit(c -> c.sadd(k, t));
                pipeline.submit(c -> c.pexpire(k, CONNECTION_INDEX_MILLIS));
            }
        }
        String[] k = {keys.state(tag), keys.log(tag), keys.presence(tag), keys.owners(tag)};
        return pipeline.<List<Object>>eval(Script.PUBLISH, ScriptOutputType.MULTI, k, args.toArray(byte[][]::new))
                .thenApply(r -> outcome(pm, n, messages, RedisLink.string(r.get(0)), RedisLink.number(r.get(1)),
                        RedisLink.string(r.get(2))));
    }

    private static PublishOutcome outcome(ProtocolMessage pm, int n, boolean messages, String epoch, long seq,
                                          String dropped) {
        List<String> serials = new ArrayList<>(n);
        if (seq == 0) {
            for (int i = 0; i < n; i++) {
                serials.add(null);
            }
            return new PublishOutcome(null, serials);
        }
        ChannelSerial serial = new ChannelSerial(epoch, seq);
        if (messages) {
            boolean[] drop = EventCodec.mask(dropped, n);
            int k = 0;
            for (boolean d : drop) {
                serials.add(d ? null : serial.messageSerial(k++));
            }
        } else {
            serials.addAll(Arrays.asList(new String[n]));
        }
        // as the memory engine does: the request's message now carries its serials (and only the kept items)
        EventCodec.complete(pm, serial, dropped);
        return new PublishOutcome(serial, serials);
    }

    private static int size(List<?> l) {
        return l == null ? 0 : l.size();
    }

    @Override
    public CompletionStage<Void> subscribe(ChannelId channel) {
        return delivery.subscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(ChannelId channel) {
        return delivery.unsubscribe(channel);
    }

    @Override
    public CompletionStage<ChannelSerial> position(ChannelId channel) {
        return reader.position(RedisKeys.tag(channel)).thenApply(LogReader.Slice::position);
    }

    /**
     * Keeps the state of every subscribed channel alive ({@code PEXPIRE ... GT}: never shortens, never touches a
     * channel with members), so a channel's epoch outlives idle periods while anyone listens.
     */
    void keepAlive(long ttlMillis) {
        Pipeline pipeline = link.pipeline();
        for (Delivery.Sub s : delivery.subscriptions()) {
            String k = keys.state(s.tag);
            pipeline.submit(c -> c.pexpire(k, ttlMillis, io.lettuce.core.ExpireArgs.Builder.gt()));
        }
    }
}
