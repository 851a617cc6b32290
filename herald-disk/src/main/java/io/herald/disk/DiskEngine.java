package io.herald.disk;

import io.herald.core.config.AppConfig;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.Broker;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ConnectionStore;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.HistoryStore;
import io.herald.core.engine.NonceStore;
import io.herald.core.engine.ObjectsStore;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.PresenceStore;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Replay;
import io.herald.core.engine.RevocationStore;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.objects.ObjectsLimits;
import io.herald.protocol.ErrorCode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk engine: the memory engine for everything a restart ends anyway (delivery, presence, connections, ordinary
 * channels), and RocksDB for what must outlive it: the log and serials of persisted channels, nonces and revocations.
 * A publish to a persisted channel gets its serial under the channel's lock, is queued for the next group commit,
 * and is acknowledged and delivered once RocksDB has it in its write-ahead log ({@link GroupCommit}).
 */
public final class DiskEngine implements Engine, Broker, HistoryStore, PresenceStore {
    private static final Logger LOG = LoggerFactory.getLogger(DiskEngine.class);
    private static final long IDLE_MILLIS = 60_000;

    private final MemoryEngine memory;
    private final DiskSettings settings;
    private final Clock clock;
    private final Timings timings;
    private final List<AppConfig> apps;
    private final DiskStore store;
    private final GroupCommit commit;
    private final DiskHistory history;
    private final DurableSecurity security;
    private final DiskPublisher publisher;
    private final DiskObjects objects;
    private final ConcurrentHashMap<ChannelId, DiskChannel> channels = new ConcurrentHashMap<>();
    private final Set<ChannelId> subscribed = ConcurrentHashMap.newKeySet();
    /**
     * Channels known not to be in the store, so an ordinary channel's publishes and reads do not look it up each
     * time. Only a publish of this process puts a channel in the store, and it takes the channel out of this set.
     */
    private final Set<ChannelId> notOnDisk = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService background;
    private volatile long diskBytes;
    /** Whether the log last said the store is at its limit (only the background thread uses it). */
    private boolean reportedFull;

    private volatile boolean closed;

    public DiskEngine(EngineContext context) {
        this.settings = DiskSettings.from(context.options());
        this.clock = context.clock();
        this.timings = context.config().timings();
        this.apps = context.config().apps();
        this.store = new DiskStore(settings.dataDir(), ttls(timings), settings.fsync() == DiskSettings.Fsync.ALWAYS);
        this.memory = new MemoryEngine(context);
        this.commit = new GroupCommit(store, settings.fsync() == DiskSettings.Fsync.ALWAYS);
        this.history = new DiskHistory(store);
        this.security = new DurableSecurity(store, commit, memory, clock);
        this.publisher = new DiskPublisher(
                store, commit, clock, timings, context.config().limits());
        this.objects = new DiskObjects(
                this, store, publisher, memory.objects(), clock, ObjectsLimits.DEFAULTS, DiskObjects.FOLD_EVERY);
        try {
            if (store.mayHaveLostWrites) {
                int n = new EpochRenewal(store).renewAll();
                LOG.warn(
                        "disk store {}: the last stop was unclean and the machine restarted since, so writes after "
                                + "the last fsync may be lost; {} persisted channel(s) start a new epoch (clients resuming "
                                + "them are told continuity was lost)",
                        settings.dataDir(),
                        n);
            }
            int revoked = security.loadRevocations();
            LOG.info(
                    "disk store {} open (fsync {}{}), {} revocation(s) in force",
                    settings.dataDir(),
                    settings.fsync(),
                    settings.fsync() == DiskSettings.Fsync.INTERVAL
                            ? " every " + settings.fsyncInterval().toMillis() + " ms"
                            : "",
                    revoked);
        } catch (RocksDBException | RuntimeException e) {
            commit.close();
            memory.close();
            store.close();
            throw new IllegalStateException(
                    "cannot read the store in " + settings.dataDir() + ": " + e.getMessage()
                            + ". Restore a backup into a new directory and start with --data-dir pointing at it, or move "
                            + settings.dataDir() + " aside to start empty.",
                    e);
        }
        this.diskBytes = store.diskBytes();
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-disk-background");
            t.setDaemon(true);
            return t;
        });
    }

    /** TTL (s) of each column family of {@link DiskStore#FAMILIES}: a little longer than anything in it may live. */
    static int[] ttls(Timings t) {
        long events = Math.max(
                        t.historyRetention().toSeconds(), t.persistedRetention().toSeconds())
                + 60;
        return new int[] {
            0,
            seconds(events + 3600),
            seconds(events),
            seconds(t.idempotencyWindow().toSeconds() + 60),
            seconds(3 * t.tokenRequestWindow().toSeconds() + 60),
            0,
            0
        };
    }

    private static int seconds(long s) {
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    @Override
    public void start(EngineListener listener) {
        memory.start(listener);
        publisher.start(listener, subscribed);
        every(250, TimeUnit.MILLISECONDS, "measure", this::measure);
        every(5, TimeUnit.SECONDS, "sweep", this::sweep);
        if (settings.fsync() == DiskSettings.Fsync.INTERVAL) {
            every(settings.fsyncInterval().toMillis(), TimeUnit.MILLISECONDS, "fsync", this::syncWal);
        }
    }

    /**
     * Runs {@code task} every {@code period} on the background thread until close. A failure is logged and the
     * next run still happens: an exception escaping a fixed-delay task would cancel it silently.
     */
    private void every(long period, TimeUnit unit, String what, Runnable task) {
        ScheduledFuture<?> unused = background.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("disk store {}: background {} failed", settings.dataDir(), what, e);
                    }
                },
                period,
                period,
                unit);
    }

    private void measure() {
        try {
            long bytes = store.diskBytes();
            diskBytes = bytes;
            boolean full = bytes >= settings.maxDiskBytes();
            if (full != reportedFull) {
                reportedFull = full;
                if (full) {
                    LOG.error(
                            "disk store {} holds {} bytes, at its limit maxDiskBytes {}: publishes to persisted "
                                    + "channels are refused (50300) until retention frees space or the limit is raised",
                            settings.dataDir(),
                            bytes,
                            settings.maxDiskBytes());
                } else {
                    LOG.info("disk store {} is below maxDiskBytes again ({} bytes)", settings.dataDir(), bytes);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("disk store {}: cannot measure its size: {}", settings.dataDir(), e.toString());
        }
    }

    private void syncWal() {
        if (commit.broken() != null) {
            return; // reported once by the writer; fsyncing a failed log only fails again
        }
        try {
            store.syncWal();
        } catch (RocksDBException e) {
            LOG.error("disk store {}: fsync of the write-ahead log failed: {}", settings.dataDir(), e.getMessage());
        }
    }

    private void sweep() {
        long now = clock.millis();
        for (Map.Entry<ChannelId, DiskChannel> e : channels.entrySet()) {
            DiskChannel ch = e.getValue();
            synchronized (ch) {
                ch.trim(now);
                if (ch.isIdle() && !subscribed.contains(e.getKey()) && now - ch.lastUsed > IDLE_MILLIS) {
                    channels.remove(e.getKey(), ch);
                    notOnDisk.remove(e.getKey()); // in case a read racing the channel's creation left it there
                }
            }
        }
        if (notOnDisk.size() > 100_000) {
            notOnDisk.clear();
        }
        try {
            security.sweepRevocations();
        } catch (RocksDBException ex) {
            LOG.warn("disk store {}: sweeping revocations failed: {}", settings.dataDir(), ex.getMessage());
        }
    }

    // ---- which channels are on disk ----

    /**
     * The channel's disk state, or {@code null} when it lives in memory. A channel is on disk once it is in the store,
     * when a publish asks for persisted retention, with {@code diskChannels: all}, or when a configured app's
     * namespace says persisted.
     */
    private @Nullable DiskChannel durable(ChannelId id, boolean persistedPublish) {
        DiskChannel ch = channels.get(id);
        if (ch != null) {
            return ch;
        }
        boolean create = persistedPublish || settings.allChannels() || persistedByConfig(id);
        if (!create && notOnDisk.contains(id)) {
            return null;
        }
        DiskChannel found = channels.computeIfAbsent(id, c -> {
            try {
                byte[] meta = store.db.get(store.channels, Layout.channelKey(c));
                if (meta != null) {
                    return DiskChannel.of(c, Layout.Meta.decode(meta));
                }
            } catch (RocksDBException e) {
                throw DurableSecurity.unavailable("the channel could not be read", e);
            }
            return create ? DiskChannel.fresh(c) : null;
        });
        if (found == null) {
            notOnDisk.add(id);
        } else if (create) {
            notOnDisk.remove(id);
        }
        return found;
    }

    private boolean persistedByConfig(ChannelId id) {
        int colon = id.name().indexOf(':');
        if (colon <= 0) {
            return false;
        }
        String ns = id.name().substring(0, colon);
        for (AppConfig app : apps) {
            if (app.appId().equals(id.appId())) {
                NamespaceConfig n = app.namespace(ns);
                return n != null && n.persisted();
            }
        }
        return false;
    }

    /** Runs {@code action} under the lock of the channel's current state object (the sweeper may replace it). */
    private <T> T locked(ChannelId id, DiskChannel first, Function<DiskChannel, T> action) {
        DiskChannel ch = first;
        while (true) {
            synchronized (ch) {
                if (channels.get(id) == ch) {
                    ch.lastUsed = clock.millis();
                    return action.apply(ch);
                }
            }
            ch = Objects.requireNonNull(durable(id, true), "durable(id, true) always creates the channel");
        }
    }

    private DiskHistory.View view(ChannelId id, DiskChannel ch) {
        return locked(id, ch, c -> new DiskHistory.View(id, c.key, c.epoch, c.epochStart, c.position()));
    }

    // ---- Broker ----

    @Override
    public CompletionStage<PublishOutcome> publish(PublishRequest request) {
        return Stages.guard(() -> {
            boolean persisted = request.retention().compareTo(timings.persistedRetention()) >= 0;
            DiskChannel ch = durable(request.channel(), persisted);
            if (ch == null) {
                return memory.publish(request);
            }
            AblyException refused = refusal();
            if (refused != null) {
                return Stages.failed(refused);
            }
            CompletableFuture<PublishOutcome> done = new CompletableFuture<>();
            locked(request.channel(), ch, c -> publisher.publish(c, request, done));
            return done;
        });
    }

    /** Why a write to a disk channel is refused now (stopping, store failed or full), or {@code null}. */
    @Nullable
    AblyException refusal() {
        if (closed) {
            return new AblyException(ErrorCode.SERVICE_UNAVAILABLE, "The server is stopping");
        }
        String broken = commit.broken();
        if (broken != null) {
            return new AblyException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "Message not stored: the server's disk store stopped after a write error (" + broken
                            + "); try again later");
        }
        if (diskBytes >= settings.maxDiskBytes()) {
            return new AblyException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "Message not stored: the server's disk store is full (maxDiskBytes " + settings.maxDiskBytes()
                            + " reached); try again later");
        }
        return null;
    }

    /**
     * Runs {@code action} under the lock of the channel's disk state, made first when {@code create}; {@code null}
     * without running it for a channel that lives in memory.
     */
    <T> @Nullable T withDiskChannel(ChannelId id, boolean create, Function<DiskChannel, T> action) {
        DiskChannel ch = durable(id, create);
        return ch == null ? null : locked(id, ch, action);
    }

    @Override
    public CompletionStage<Void> subscribe(ChannelId channel) {
        subscribed.add(channel);
        return memory.subscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(ChannelId channel) {
        subscribed.remove(channel);
        return memory.unsubscribe(channel);
    }

    @Override
    public CompletionStage<ChannelSerial> position(ChannelId channel) {
        return Stages.guard(() -> {
            DiskChannel ch = durable(channel, false);
            return ch == null
                    ? memory.position(channel)
                    : CompletableFuture.completedFuture(locked(channel, ch, DiskChannel::position));
        });
    }

    // ---- HistoryStore ----

    @Override
    public CompletionStage<HistoryPage> query(ChannelId channel, HistoryQuery query) {
        return Stages.guard(() -> {
            DiskChannel ch = durable(channel, false);
            return ch == null
                    ? memory.query(channel, query)
                    : CompletableFuture.completedFuture(history.query(view(channel, ch), query, clock.millis()));
        });
    }

    @Override
    public CompletionStage<Replay> since(ChannelId channel, ChannelSerial after, int max) {
        return Stages.guard(() -> {
            DiskChannel ch = durable(channel, false);
            return ch == null
                    ? memory.since(channel, after, max)
                    : CompletableFuture.completedFuture(history.since(view(channel, ch), after, max, clock.millis()));
        });
    }

    @Override
    public CompletionStage<Replay> rewind(ChannelId channel, int count, long millis) {
        return Stages.guard(() -> {
            DiskChannel ch = durable(channel, false);
            long now = clock.millis();
            return ch == null
                    ? memory.rewind(channel, count, millis)
                    : CompletableFuture.completedFuture(
                            history.rewind(view(channel, ch), count, millis > 0 ? now - millis : 0, now));
        });
    }

    // ---- PresenceStore ----

    @Override
    public CompletionStage<PresenceSnapshot> members(ChannelId channel) {
        return Stages.guard(() -> {
            DiskChannel ch = durable(channel, false);
            return ch == null
                    ? memory.members(channel)
                    : CompletableFuture.completedFuture(locked(channel, ch, c -> c.members.snapshot(c.position())));
        });
    }

    // ---- Engine ----

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
    public ObjectsStore objects() {
        return objects;
    }

    @Override
    public NonceStore nonces() {
        return security;
    }

    @Override
    public RevocationStore revocations() {
        return security;
    }

    @Override
    public ConnectionStore connections() {
        return memory.connections();
    }

    /** Node-local, like the memory engine's: statistics are not part of the disk's durable state. */
    @Override
    public io.herald.core.engine.StatsStore stats() {
        return memory.stats();
    }

    @Override
    public io.herald.core.engine.OccupancyStore occupancy() {
        return memory.occupancy();
    }

    @Override
    public boolean isReady() {
        return !closed && commit.broken() == null;
    }

    @Override
    public String describe() {
        return "disk " + settings.dataDir() + " (fsync " + settings.fsync() + ")";
    }

    /** Group commits so far and the writes in them (for tests and benchmarks). */
    public long[] commitCounts() {
        return new long[] {commit.batches(), commit.writes()};
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        background.shutdownNow();
        commit.close();
        memory.close();
        store.closeClean();
    }
}
