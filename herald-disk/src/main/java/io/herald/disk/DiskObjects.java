package io.herald.disk;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.ObjectsStore;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectsLimits;
import io.herald.core.objects.ObjectsState;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiveObjects on the disk engine (docs/durability.md, "LiveObjects"). A channel with objects is a disk channel: a
 * batch is checked, stamped and applied to the channel's pool under its lock, and its OBJECT event goes into the
 * channel's log through {@link DiskPublisher#append} (same serials, group commit and fsync policy as a publish). The
 * same atomic write stores the batch's stamped operations in the {@code objects} column family under the event's
 * seq, or, every {@link #FOLD_EVERY} events, the whole pool in place of the operations before it. That family has no
 * TTL, so objects outlive the log's retention; a pool is read back (the stored pool, then the operations after it)
 * when the channel is first used after a start or after it went idle.
 */
final class DiskObjects implements ObjectsStore {
    private static final Logger LOG = LoggerFactory.getLogger(DiskObjects.class);
    /** One node, one site: every serial comes from the channel's single log. */
    static final String SITE_CODE = "herald";
    /** OBJECT events stored one by one before the next one stores the whole pool instead. */
    static final int FOLD_EVERY = 100;

    private final DiskEngine engine;
    private final DiskStore store;
    private final DiskPublisher publisher;
    private final ObjectsStore inMemory;
    private final Clock clock;
    private final ObjectsLimits limits;
    private final int foldEvery;

    DiskObjects(
            DiskEngine engine,
            DiskStore store,
            DiskPublisher publisher,
            ObjectsStore inMemory,
            Clock clock,
            ObjectsLimits limits,
            int foldEvery) {
        this.engine = engine;
        this.store = store;
        this.publisher = publisher;
        this.inMemory = inMemory;
        this.clock = clock;
        this.limits = limits;
        this.foldEvery = foldEvery;
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public String siteCode() {
        return SITE_CODE;
    }

    @Override
    public CompletionStage<PublishOutcome> apply(ObjectsRequest request) {
        return Stages.guard(() -> {
            AblyException refused = engine.refusal();
            if (refused != null) {
                return Stages.failed(refused);
            }
            CompletableFuture<PublishOutcome> done = new CompletableFuture<>();
            engine.withDiskChannel(request.channel(), true, ch -> applyLocked(ch, request, done));
            return done;
        });
    }

    @Override
    public CompletionStage<ObjectsSnapshot> snapshot(ChannelId channel) {
        return Stages.guard(() -> {
            ObjectsSnapshot s = engine.withDiskChannel(
                    channel, false, ch -> new ObjectsSnapshot(pool(ch).snapshot(), ch.position()));
            return s == null ? inMemory.snapshot(channel) : CompletableFuture.completedFuture(s);
        });
    }

    private Void applyLocked(DiskChannel ch, ObjectsRequest request, CompletableFuture<PublishOutcome> done) {
        long now = clock.millis();
        ObjectsState pool = pool(ch);
        if (now >= ch.objectsCollectFrom) {
            pool.collect(now);
        }
        request.check(pool);
        ChannelSerial serial = ch.next();
        ObjectsRequest.Applied applied = request.stampAndApply(pool, serial, now, SITE_CODE);
        List<ObjectMessage> stamped = applied.stamped();
        List<String> serials = applied.serials();
        ProtocolMessage pm = request.event();
        long seq = serial.seq();
        boolean fold = ch.objectOpsSinceFold + 1 >= foldEvery;
        byte[] record = fold ? Layout.objectsValue(seq, pool.snapshot()) : Layout.objectsValue(seq, stamped);
        ch.objectOpsSinceFold = fold ? 0 : ch.objectOpsSinceFold + 1;
        publisher.append(
                ch,
                new ChannelEvent(ch.id, serial, pm),
                now + request.retention().toMillis(),
                new PublishOutcome(serial, serials),
                batch -> {
                    if (fold) {
                        batch.put(store.objects, Layout.objectsPoolKey(ch.key), record);
                        batch.deleteRange(
                                store.objects, Layout.objectsOpKey(ch.key, 0), Layout.objectsOpKey(ch.key, seq));
                    } else {
                        batch.put(store.objects, Layout.objectsOpKey(ch.key, seq), record);
                    }
                },
                () -> ch.objects = null, // the pool has operations the store has not: read it again
                done);
        return null;
    }

    /** The channel's pool, read from the store if this process has not yet (call holding the channel's lock). */
    private ObjectsState pool(DiskChannel ch) {
        ObjectsState pool = ch.objects;
        if (pool == null) {
            pool = load(ch);
            ch.objects = pool;
        }
        return pool;
    }

    /**
     * Reads a channel's pool back: the stored pool, then each stored
     * operation after it, in seq order. A record that cannot be read fails the read with 50000 and a message naming
     * the channel and the record, and changes nothing: the channel's objects stay refused (never silently emptied)
     * until the store is repaired or restored from a backup.
     */
    private ObjectsState load(DiskChannel ch) {
        long now = clock.millis();
        ObjectsState pool;
        long from = 0;
        int ops = 0;
        String record = "its stored pool";
        try {
            byte[] folded = store.db.get(store.objects, Layout.objectsPoolKey(ch.key));
            if (folded != null) {
                Layout.ObjectsRecord r = Layout.objectsOf(folded);
                pool = ObjectsState.restore(r.messages(), limits);
                from = r.seq();
            } else {
                pool = new ObjectsState(limits);
            }
            try (RocksIterator it = store.db.newIterator(store.objects)) {
                for (it.seek(Layout.objectsOpKey(ch.key, from + 1));
                        it.isValid() && Layout.isObjectsOpOf(it.key(), ch.key);
                        it.next()) {
                    long seq = Layout.seqOf(it.key());
                    record = "its operations at seq " + seq;
                    Layout.ObjectsRecord r = Layout.objectsOf(it.value());
                    if (r.seq() != seq) {
                        throw new IllegalArgumentException("the record says seq " + r.seq());
                    }
                    for (ObjectMessage m : r.messages()) {
                        if (m.operation() == null || m.serial() == null) {
                            throw new IllegalArgumentException("it holds a message that is not a stamped operation");
                        }
                        pool.apply(m);
                    }
                    ops++;
                }
                it.status();
            }
        } catch (RocksDBException e) {
            throw DurableSecurity.unavailable("the channel's objects could not be read", e);
        } catch (RuntimeException e) {
            String what = "The stored LiveObjects of channel " + ch.id + " cannot be read (" + record + " in "
                    + store.dir + ": " + e.getMessage() + "); nothing was changed. Restore the data directory from a "
                    + "backup (herald backup) to use this channel's objects again.";
            LOG.error(what);
            throw new AblyException(ErrorCode.INTERNAL_ERROR, what);
        }
        ch.objectOpsSinceFold = ops;
        // a restored deleted object does not say when it was deleted: keep every tombstone a grace period from now
        ch.objectsCollectFrom = now + limits.gcGracePeriod().toMillis();
        return pool;
    }
}
