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
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Publishes through {@code publish.lua}: the script assigns the seqs, appends to the log, applies presence changes
 * and PUBLISHes one frame per channel, so every node sees one order. Publishes are queued and written by the
 * {@link Pipeline}'s thread, which groups what is queued by channel: one script call carries every channel with queued
 * events (on a Redis Cluster, every such channel of one hash slot), up to {@value #MAX_EVENTS_PER_CALL} events, and
 * each channel's events go in the order they were published. So Redis runs one script per flush, not one per channel
 * or per message. Presence puts also record, in
 * the same flush, which channels this node owns members in and which channels a connection has members in (for
 * node liveness and takeovers). Subscriptions are the {@link Delivery}'s.
 */
final class RedisBroker implements Broker, Pipeline.Source {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] MESSAGES = {'m'};
    private static final byte[] PRESENCE = {'p'};
    private static final byte[] PUT = {'+'};
    private static final byte[] REMOVE = {'-'};
    /** How long the index of a connection's presence channels lives (refreshed by every presence put). */
    static final long CONNECTION_INDEX_MILLIS = 24 * 3_600_000L;

    static final int MAX_EVENTS_PER_CALL = 512;
    private static final int MAX_BYTES_PER_CALL = 512 * 1024;
    private static final int MAX_DRAIN = 4_096;
    private static final int MAX_LEAVES_TO_RETRY = 100_000;

    /** A queued publish: its channel, its part of the script's arguments, and who waits for its result. */
    private record Pending(String tag, List<byte[]> args, int bytes, CompletableFuture<Appended> result) {}

    /** What the script did with one event: its seq (0 if every item was dropped) and the dropped items. */
    private record Appended(String epoch, long seq, String dropped) {}

    private final RedisLink link;
    private final RedisKeys keys;
    private final LogReader reader;
    private final Delivery delivery;
    private final Clock clock;
    private final String instance;
    private final byte[] instanceBytes;
    private final byte[] maxEntries;
    private final byte[] stateTtl;
    /** How publish.lua sends the frame: PUBLISH, or on a cluster SPUBLISH (only the channel's shard hears it). */
    private final byte[] publishCommand;

    private final long idempotencyWindow;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<PublishRequest> leavesToRetry = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    RedisBroker(
            RedisLink link,
            RedisKeys keys,
            LogReader reader,
            Delivery delivery,
            Clock clock,
            String instance,
            int maxEntries,
            long stateTtlMillis,
            long idempotencyWindowMillis) {
        this.link = link;
        this.keys = keys;
        this.reader = reader;
        this.delivery = delivery;
        this.clock = clock;
        this.instance = instance;
        this.instanceBytes = RedisLink.bytes(instance);
        this.maxEntries = RedisLink.bytes(maxEntries);
        this.stateTtl = RedisLink.bytes(stateTtlMillis);
        this.publishCommand = RedisLink.bytes(link.cluster() ? "SPUBLISH" : "PUBLISH");
        this.idempotencyWindow = idempotencyWindowMillis;
        link.pipeline().add(this);
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the callback only queues the leave again; the caller gets f
    public CompletionStage<PublishOutcome> publish(PublishRequest request) {
        return Stages.guard(() -> {
            CompletableFuture<PublishOutcome> f = publish(request, "");
            if (isSynthesizedLeave(request.message())) {
                f.whenComplete((o, t) -> {
                    if (t != null && unavailable(t) && leavesToRetry.size() < MAX_LEAVES_TO_RETRY) {
                        leavesToRetry.add(request);
                    }
                });
            }
            return f;
        });
    }

    /**
     * Leaves the server made itself (a connection closed or did not come back: ids that do not start with the
     * member's connectionId, SPEC RTP2b1) must not be lost to a Redis outage, or the members would stay forever:
     * nobody else would remove members of a live node. Client leaves are NACKed instead and left to the client.
     */
    private static boolean isSynthesizedLeave(ProtocolMessage pm) {
        if (pm.action != Action.PRESENCE || pm.presence == null || pm.presence.isEmpty()) {
            return false;
        }
        for (PresenceMessage p : pm.presence) {
            if (p.action != PresenceMessage.LEAVE
                    || p.id == null
                    || p.connectionId == null
                    || p.id.startsWith(p.connectionId + ":")) {
                return false;
            }
        }
        return true;
    }

    private static boolean unavailable(Throwable t) {
        Throwable c = io.herald.core.internal.AblyException.unwrap(t);
        return c instanceof io.herald.core.internal.AblyException a
                && a.error().code() == io.herald.protocol.ErrorCode.SERVICE_UNAVAILABLE.code();
    }

    /**
     * Publishes again the server's leaves that failed while Redis was unreachable; each applies only to a member this
     * node still owns (one taken over by another node meanwhile stays).
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback queues the leave again if it fails; nothing waits
    void retryLeaves() {
        PublishRequest r;
        int n = leavesToRetry.size();
        while (n-- > 0 && (r = leavesToRetry.poll()) != null) {
            PublishRequest request = r;
            publish(request, instance).whenComplete((o, t) -> {
                if (t != null && unavailable(t) && leavesToRetry.size() < MAX_LEAVES_TO_RETRY) {
                    leavesToRetry.add(request);
                }
            });
        }
    }

    /**
     * Publishes; with a non-empty {@code guard}, a presence removal only applies to a member still owned by that
     * node instance (the sweeper's leaves must not remove a member another node has taken over).
     *
     * <p>The channel indexes written with a presence put are best effort (their results are not awaited): an index
     * entry missing after a failure costs only a member the sweeper or a takeover does not find.
     */
    @SuppressWarnings("FutureReturnValueIgnored")
    CompletableFuture<PublishOutcome> publish(PublishRequest request, String guard) {
        ProtocolMessage pm = request.message();
        String tag = RedisKeys.tag(request.channel());
        boolean messages = pm.action == Action.MESSAGE;
        List<Message> published =
                messages ? Objects.requireNonNull(pm.messages, "a MESSAGE publish carries messages") : List.of();
        List<PresenceMessage> presence =
                messages ? List.of() : Objects.requireNonNull(pm.presence, "a PRESENCE publish carries presence");
        int n = messages ? published.size() : presence.size();
        List<byte[]> args = new ArrayList<>(6 + n * 3);
        byte[] payload = EventCodec.payload(pm);
        args.add(RedisLink.bytes(request.retention().toMillis()));
        args.add(messages ? MESSAGES : PRESENCE);
        args.add(payload);
        args.add(RedisLink.bytes(messages && request.dedupe() ? idempotencyWindow : 0));
        args.add(guard.isEmpty() ? EMPTY : RedisLink.bytes(guard));
        args.add(RedisLink.bytes(n));
        int bytes = payload.length;
        Set<String> puttingConnections = new LinkedHashSet<>();
        if (messages) {
            for (Message m : published) {
                byte[] id = m.id == null ? EMPTY : RedisLink.bytes(m.id);
                args.add(id);
                bytes += id.length;
            }
        } else {
            for (PresenceMessage p : presence) {
                boolean leave = p.action == PresenceMessage.LEAVE || p.action == PresenceMessage.ABSENT;
                byte[] member = leave ? EMPTY : EventCodec.member(p);
                args.add(leave ? REMOVE : PUT);
                args.add(RedisLink.bytes(p.memberKey()));
                args.add(member);
                bytes += member.length;
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
        CompletableFuture<Appended> result = new CompletableFuture<>();
        if (queued.incrementAndGet() > Pipeline.MAX_QUEUED) {
            queued.decrementAndGet();
            return CompletableFuture.failedFuture(Failures.unavailable("too many publishes in flight"));
        }
        queue.add(new Pending(tag, args, bytes, result));
        pipeline.wake();
        return result.thenApply(r -> outcome(pm, n, messages, r.epoch(), r.seq(), r.dropped()));
    }

    // ---- Pipeline.Source: on the pipeline's thread ----

    @Override
    public int drainTo(RedisClusterAsyncCommands<String, byte[]> commands) {
        Map<String, List<Pending>> byChannel = new LinkedHashMap<>();
        Pending p;
        int taken = 0;
        while (taken < MAX_DRAIN && (p = queue.poll()) != null) {
            queued.decrementAndGet();
            byChannel.computeIfAbsent(p.tag, t -> new ArrayList<>()).add(p);
            taken++;
        }
        if (byChannel.isEmpty()) {
            return 0;
        }
        // one call for every channel; on a cluster one per slot, as a script's keys must share theirs
        Map<Integer, List<List<Pending>>> bySlot = new LinkedHashMap<>();
        for (List<Pending> events : byChannel.values()) {
            int slot = link.cluster() ? SlotHash.getSlot(events.get(0).tag) : 0;
            bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(events);
        }
        int written = 0;
        List<List<Pending>> call = new ArrayList<>();
        for (List<List<Pending>> channels : bySlot.values()) {
            int events = 0;
            int bytes = 0;
            for (List<Pending> all : channels) {
                int from = 0;
                while (from < all.size()) {
                    int to = from;
                    while (to < all.size()
                            && events < MAX_EVENTS_PER_CALL
                            && (events == 0 || bytes + all.get(to).bytes <= MAX_BYTES_PER_CALL)) {
                        bytes += all.get(to).bytes;
                        events++;
                        to++;
                    }
                    if (to > from) {
                        call.add(all.subList(from, to));
                        from = to;
                    }
                    if (from < all.size()) {
                        // this call is full; the channel's later events go in the next one, which Redis runs after
                        write(commands, call);
                        written++;
                        call = new ArrayList<>();
                        events = 0;
                        bytes = 0;
                    }
                }
            }
            if (!call.isEmpty()) {
                write(commands, call);
                written++;
                call = new ArrayList<>();
            }
        }
        return written;
    }

    /** One script call for {@code channels}: each the events of one channel, in publish order. */
    @SuppressWarnings("FutureReturnValueIgnored") // complete() hands every outcome to the events' own futures
    private void write(RedisClusterAsyncCommands<String, byte[]> commands, List<List<Pending>> channels) {
        String[] k = new String[channels.size() * 4];
        int size = 7;
        for (List<Pending> events : channels) {
            size += 4;
            for (Pending p : events) {
                size += p.args.size();
            }
        }
        byte[][] a = new byte[size][];
        a[0] = RedisLink.bytes(clock.millis());
        a[1] = maxEntries;
        a[2] = stateTtl;
        a[3] = RedisLink.bytes(Ids.alphanumeric(8));
        a[4] = instanceBytes;
        a[5] = publishCommand;
        a[6] = RedisLink.bytes(channels.size());
        int i = 7;
        int c = 0;
        for (List<Pending> events : channels) {
            String tag = events.get(0).tag;
            k[c++] = keys.state(tag);
            k[c++] = keys.log(tag);
            k[c++] = keys.presence(tag);
            k[c++] = keys.owners(tag);
            a[i++] = RedisLink.bytes(keys.events(tag));
            a[i++] = RedisLink.bytes(keys.idPrefix(tag));
            a[i++] = RedisLink.bytes(events.size());
            int n = 0;
            for (Pending p : events) {
                n += p.args.size();
            }
            a[i++] = RedisLink.bytes(n);
            for (Pending p : events) {
                for (byte[] arg : p.args) {
                    a[i++] = arg;
                }
            }
        }
        try {
            commands.<List<Object>>evalsha(Script.PUBLISH.sha(), ScriptOutputType.MULTI, k, a)
                    .whenComplete((r, t) -> {
                        if (t != null && Failures.isNoScript(t)) {
                            link.pipeline().reloadScripts();
                            link.pipeline()
                                    .<List<Object>>submit(
                                            cmd -> cmd.eval(Script.PUBLISH.body(), ScriptOutputType.MULTI, k, a))
                                    .whenComplete((r2, t2) -> complete(channels, r2, t2));
                        } else {
                            complete(channels, r, t);
                        }
                    });
        } catch (RuntimeException e) {
            for (List<Pending> events : channels) {
                fail(events, e);
            }
        }
    }

    /** The script's reply {@code r} (per channel its epoch, then per event seq and dropped), or its failure. */
    private static void complete(List<List<Pending>> channels, List<Object> r, @Nullable Throwable t) {
        if (t != null) {
            for (List<Pending> events : channels) {
                fail(events, t);
            }
            return;
        }
        int at = 0;
        for (List<Pending> events : channels) {
            String epoch = RedisLink.string(r.get(at++));
            if (epoch.startsWith("!")) {
                fail(events, new RedisCommandExecutionException(epoch.substring(1)));
                continue;
            }
            for (Pending p : events) {
                long seq = RedisLink.number(r.get(at++));
                p.result.complete(new Appended(epoch, seq, RedisLink.string(r.get(at++))));
            }
        }
    }

    private static void fail(List<Pending> events, Throwable t) {
        Throwable mapped = Failures.map(t);
        for (Pending p : events) {
            p.result.completeExceptionally(mapped);
        }
    }

    @Override
    public void failAll(Throwable t) {
        Pending p;
        while ((p = queue.poll()) != null) {
            queued.decrementAndGet();
            p.result.completeExceptionally(t);
        }
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    private static PublishOutcome outcome(
            ProtocolMessage pm, int n, boolean messages, String epoch, long seq, String dropped) {
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
    @SuppressWarnings("FutureReturnValueIgnored") // best effort, done again at the next run
    void keepAlive(long ttlMillis) {
        Pipeline pipeline = link.pipeline();
        for (Delivery.Sub s : delivery.subscriptions()) {
            String k = keys.state(s.tag);
            pipeline.submit(c -> c.pexpire(k, ttlMillis, io.lettuce.core.ExpireArgs.Builder.gt()));
        }
    }
}
