package io.herald.core.engine.memory;

import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.Broker;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ConnectionRecord;
import io.herald.core.engine.ConnectionStore;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.HistoryStore;
import io.herald.core.engine.NonceStore;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.PresenceStore;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Replay;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.RevocationStore;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory engine. Publishing appends under the channel's lock and calls the listener under it, which gives one
 * order per channel; every stage it returns is already complete.
 */
public final class MemoryEngine
        implements Engine, Broker, HistoryStore, PresenceStore, NonceStore, RevocationStore, ConnectionStore {
    private static final int MAX_REMEMBERED_IDS = 100_000;
    private static final int MAX_NONCES = 16_000_000;

    private final Clock clock;
    private final Limits limits;
    private final Timings timings;
    private final ConcurrentHashMap<ChannelId, MemoryChannel> channels = new ConcurrentHashMap<>();
    private final MemoryOccupancy occupancy = new MemoryOccupancy();
    /** Estimated bytes held by every channel's history, bounded by {@link Limits#historyBudgetBytes()}. */
    private final LongAdder retained = new LongAdder();
    /** The memory every channel's history is written into (outside the heap; see {@link HistoryPages}). */
    private final HistoryPages pages = new HistoryPages();

    private final LongAdder evicted = new LongAdder();
    private final long historyBudget;
    /**
     * Where an eviction stops: a little under the budget ({@link #EVICTION_SLACK_SHIFT}), so that a node whose history
     * sits at the budget evicts once per that much traffic (or once per channel history it empties, keeping the
     * newest event) instead of on every publish. The over-budget branch then stays rare. When it was taken on most
     * publishes, the JIT sometimes ended up with that branch compiled as a trap that deoptimizes on every execution
     * and is never recompiled (HotSpot's Action_none after too many recompilations of the method, JDK-8374307): in
     * four benchmark runs the event loops then spent about a third more CPU per message (docs/benchmarks.md).
     */
    private final long evictDownTo;

    /** The eviction slack is the budget shifted right by this: 1/1024 of it (256 KiB of a 256 MiB budget). */
    static final int EVICTION_SLACK_SHIFT = 10;

    private final NonceWindow nonces = new NonceWindow(MAX_NONCES);
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Revocation>> revocations = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final MemoryStatsStore stats;
    private final MemoryObjects objects;
    private volatile @Nullable EngineListener listener;

    public MemoryEngine(EngineContext context) {
        this.clock = context.clock();
        this.limits = context.config().limits();
        this.timings = context.config().timings();
        this.historyBudget = limits.historyBudgetBytes();
        this.evictDownTo = historyBudget - (historyBudget >> EVICTION_SLACK_SHIFT);
        this.stats = new MemoryStatsStore(clock);
        this.objects = new MemoryObjects(this, clock, io.herald.core.objects.ObjectsLimits.DEFAULTS);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-memory-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    // the periodic sweep runs until close() shuts its executor down: there is no result to wait for
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void start(EngineListener engineListener) {
        this.listener = engineListener;
        sweeper.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    /** Drops expired history, ids, nonces and revocations, and channels nobody uses. */
    public void sweep() {
        long now = clock.millis();
        for (Map.Entry<ChannelId, MemoryChannel> e : channels.entrySet()) {
            MemoryChannel ch = e.getValue();
            synchronized (ch) {
                ch.trim(now);
                ch.collectObjects(now);
                if (ch.isIdle()) {
                    channels.remove(e.getKey(), ch);
                }
            }
        }
        nonces.expire(now);
        for (CopyOnWriteArrayList<Revocation> list : revocations.values()) {
            list.removeIf(r -> r.expiresAt() <= now);
        }
    }

    /** Estimated bytes the history holds now (all channels). */
    public long historyBytes() {
        return retained.sum();
    }

    /** Events dropped from history before their retention ended, to stay within the node's history budget. */
    public long historyEvicted() {
        return evicted.sum();
    }

    private MemoryChannel channel(ChannelId id) {
        return channels.computeIfAbsent(id, c -> new MemoryChannel(c, retained, pages));
    }

    /**
     * Runs {@code action} on the channel's state under its lock, retrying if the sweeper dropped that state object
     * between lookup and lock.
     */
    <T> T locked(ChannelId id, java.util.function.Function<MemoryChannel, T> action) {
        while (true) {
            MemoryChannel ch = channel(id);
            synchronized (ch) {
                if (channels.get(id) != ch) {
                    continue;
                }
                return action.apply(ch);
            }
        }
    }

    // ---- Broker ----

    @Override
    public CompletionStage<PublishOutcome> publish(PublishRequest request) {
        long now = clock.millis();
        return CompletableFuture.completedFuture(locked(request.channel(), ch -> {
            ch.trim(now);
            ProtocolMessage pm = request.message();
            if (pm.action == Action.MESSAGE) {
                List<Message> messages = Objects.requireNonNull(pm.messages, "a published MESSAGE has messages");
                List<String> serials = new ArrayList<>(messages.size());
                // made only once a message is dropped as a duplicate: most publishes keep all of theirs
                List<Message> kept = null;
                boolean[] dropped = null;
                for (int i = 0; i < messages.size(); i++) {
                    Message m = messages.get(i);
                    if (request.dedupe()
                            && m.id != null
                            && ch.seenRecently(
                                    m.id, now, timings.idempotencyWindow().toMillis(), MAX_REMEMBERED_IDS)) {
                        if (dropped == null) {
                            dropped = new boolean[messages.size()];
                            kept = new ArrayList<>(messages.subList(0, i));
                        }
                        dropped[i] = true;
                    } else if (kept != null) {
                        kept.add(m);
                    }
                }
                if (kept == null) {
                    kept = messages;
                } else if (kept.isEmpty()) {
                    for (int i = 0; i < messages.size(); i++) {
                        serials.add(null);
                    }
                    return new PublishOutcome(null, serials);
                }
                pm.messages = kept;
                ChannelSerial serial = ch.next();
                pm.channelSerial = serial.toString();
                int k = 0;
                for (int i = 0; i < messages.size(); i++) {
                    if (dropped != null && dropped[i]) {
                        serials.add(null);
                    } else {
                        serials.add(io.herald.core.engine.Versions.assignSerial(kept.get(k), serial, k));
                        k++;
                    }
                }
                return deliver(ch, serial, pm, request.retention(), now, serials);
            }
            ChannelSerial serial = ch.next();
            pm.channelSerial = serial.toString();
            int events = Objects.requireNonNull(pm.presence, "a published PRESENCE has presence events")
                    .size();
            List<String> serials = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                serials.add(null);
            }
            return deliver(ch, serial, pm, request.retention(), now, serials);
        }));
    }

    /** Appends an event the caller numbered and delivers it; the caller holds the channel's lock. */
    PublishOutcome deliver(
            MemoryChannel ch,
            ChannelSerial serial,
            ProtocolMessage pm,
            java.time.Duration retention,
            long now,
            List<String> serials) {
        ChannelEvent event = new ChannelEvent(ch.id, serial, pm);
        // the log copies the event's msgpack frame onto its off-heap pages and keeps no reference to the event, so
        // the frame is encoded once here and the live delivery reuses it (msgpack subscribers are sent these bytes)
        ch.append(event, now + retention.toMillis(), limits.maxHistoryPerChannel());
        if (retained.sum() > historyBudget) {
            evicted.add(ch.evictOverBudget(evictDownTo));
        }
        EngineListener l = listener;
        if (ch.subscribed && l != null) {
            l.onChannelEvent(event);
        }
        return new PublishOutcome(serial, serials);
    }

    @Override
    public CompletionStage<Void> subscribe(ChannelId channel) {
        locked(channel, ch -> ch.subscribed = true);
        return Stages.done();
    }

    @Override
    public CompletionStage<Void> unsubscribe(ChannelId channel) {
        MemoryChannel ch = channels.get(channel);
        if (ch != null) {
            synchronized (ch) {
                ch.subscribed = false;
            }
        }
        return Stages.done();
    }

    @Override
    public CompletionStage<ChannelSerial> position(ChannelId channel) {
        return CompletableFuture.completedFuture(locked(channel, MemoryChannel::position));
    }

    // ---- HistoryStore ----

    @Override
    public CompletionStage<HistoryPage> query(ChannelId channel, HistoryQuery query) {
        long now = clock.millis();
        return CompletableFuture.completedFuture(locked(channel, ch -> {
            ch.trim(now);
            return ch.query(query);
        }));
    }

    @Override
    public CompletionStage<Replay> since(ChannelId channel, ChannelSerial after, int max) {
        long now = clock.millis();
        return CompletableFuture.completedFuture(locked(channel, ch -> {
            ch.trim(now);
            return ch.since(after, max);
        }));
    }

    @Override
    public CompletionStage<Replay> rewind(ChannelId channel, int count, long millis) {
        long now = clock.millis();
        return CompletableFuture.completedFuture(locked(channel, ch -> {
            ch.trim(now);
            return ch.lastEvents(count, millis > 0 ? now - millis : 0);
        }));
    }

    // ---- PresenceStore ----

    @Override
    public CompletionStage<PresenceSnapshot> members(ChannelId channel) {
        return CompletableFuture.completedFuture(locked(channel, MemoryChannel::snapshot));
    }

    // ---- NonceStore ----

    @Override
    public CompletionStage<Boolean> claim(String keyName, String nonce, Instant forgetAfter) {
        return switch (nonces.claim(keyName, nonce, forgetAfter.toEpochMilli(), clock.millis())) {
            case FIRST -> CompletableFuture.completedFuture(true);
            case REPLAYED -> CompletableFuture.completedFuture(false);
            case FULL ->
                Stages.failed(new AblyException(
                        ErrorCode.TOO_MANY_REQUESTS, "Too many token requests in the replay window; try again later"));
        };
    }

    // ---- RevocationStore ----

    @Override
    public CompletionStage<Void> add(Revocation revocation) {
        revocations
                .computeIfAbsent(revocation.keyName(), k -> new CopyOnWriteArrayList<>())
                .add(revocation);
        EngineListener l = listener;
        if (l != null) {
            l.onRevocation(revocation);
        }
        return Stages.done();
    }

    @Override
    public List<Revocation> forKey(String keyName) {
        List<Revocation> list = revocations.get(keyName);
        return list == null ? List.of() : list;
    }

    // ---- ConnectionStore: one node, so the session registry is the store; nothing to share ----

    @Override
    public CompletionStage<Void> save(ConnectionRecord record) {
        return Stages.done();
    }

    @Override
    public CompletionStage<ConnectionRecord> load(String connectionId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> remove(String connectionId) {
        return Stages.done();
    }

    @Override
    public CompletionStage<Void> announceTakeover(String connectionId, String nodeId) {
        return Stages.done();
    }

    // ---- Engine ----

    @Override
    public io.herald.core.engine.ObjectsStore objects() {
        return objects;
    }

    @Override
    public Broker broker() {
        return this;
    }

    @Override
    public HistoryStore history() {
        return this;
    }

    @Override
    public PresenceStore presence() {
        return this;
    }

    @Override
    public NonceStore nonces() {
        return this;
    }

    @Override
    public RevocationStore revocations() {
        return this;
    }

    @Override
    public ConnectionStore connections() {
        return this;
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
    public boolean isReady() {
        return true;
    }

    @Override
    public String describe() {
        return "memory";
    }

    /** Channels currently held (for tests and metrics). */
    public int channelCount() {
        return channels.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
