package io.herald.disk;

import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Appends to a disk channel's log: drops duplicates of the idempotency window (remembered in this process and in the
 * store, so a publish retried after a crash is still recognised), assigns the serial, and queues the event, the
 * channel's new last seq and the message ids for the next group commit. Once stored, the event joins the presence
 * set, is delivered to this node if subscribed, and is acknowledged, in that order.
 */
final class DiskPublisher {
    private static final int MAX_REMEMBERED_IDS = 100_000;

    private final DiskStore store;
    private final GroupCommit commit;
    private final Clock clock;
    private final Timings timings;
    private volatile @Nullable EngineListener listener;
    private volatile Set<ChannelId> subscribed = Set.of();

    DiskPublisher(DiskStore store, GroupCommit commit, Clock clock, Timings timings, Limits limits) {
        this.store = store;
        this.commit = commit;
        this.clock = clock;
        this.timings = timings;
    }

    void start(EngineListener engineListener, Set<ChannelId> subscribedChannels) {
        this.subscribed = subscribedChannels;
        this.listener = engineListener;
    }

    /** Called holding the channel's lock; completes {@code done} once the event is stored (or has failed). */
    Void publish(DiskChannel ch, PublishRequest request, CompletableFuture<PublishOutcome> done) {
        long now = clock.millis();
        ch.trim(now);
        ProtocolMessage pm = request.message();
        List<String> serials = new ArrayList<>();
        List<String> newIds = new ArrayList<>();
        long idsUntil = now + timings.idempotencyWindow().toMillis();
        ChannelSerial serial;
        if (pm.action == Action.MESSAGE) {
            List<Message> messages = Objects.requireNonNull(pm.messages, "a MESSAGE publish carries messages");
            List<Message> kept = new ArrayList<>(messages.size());
            boolean[] dropped = new boolean[messages.size()];
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (request.dedupe() && m.id != null) {
                    if (newIds.contains(m.id) || seen(ch, m.id, now)) {
                        dropped[i] = true;
                        continue;
                    }
                    newIds.add(m.id);
                }
                kept.add(m);
            }
            if (kept.isEmpty()) {
                for (int i = 0; i < dropped.length; i++) {
                    serials.add(null);
                }
                done.complete(new PublishOutcome(null, serials));
                return null;
            }
            pm.messages = kept;
            serial = ch.next();
            pm.channelSerial = serial.toString();
            int k = 0;
            for (boolean d : dropped) {
                if (d) {
                    serials.add(null);
                } else {
                    serials.add(io.herald.core.engine.Versions.assignSerial(kept.get(k), serial, k));
                    k++;
                }
            }
        } else {
            serial = ch.next();
            pm.channelSerial = serial.toString();
            int events = Objects.requireNonNull(pm.presence, "a PRESENCE publish carries presence")
                    .size();
            for (int i = 0; i < events; i++) {
                serials.add(null);
            }
        }
        for (String id : newIds) {
            ch.remember(id, idsUntil, MAX_REMEMBERED_IDS);
        }
        ChannelEvent event = new ChannelEvent(ch.id, serial, pm);
        append(
                ch,
                event,
                now + request.retention().toMillis(),
                new PublishOutcome(serial, serials),
                batch -> {
                    for (String id : newIds) {
                        batch.put(store.ids, Layout.idKey(ch.key, id), Layout.expiry(idsUntil));
                    }
                },
                () -> {
                    for (String id : newIds) {
                        ch.forget(id);
                    }
                },
                done);
        return null;
    }

    /** What a write stores besides the event and the channel's meta. */
    interface Extra {
        void fill(WriteBatch batch) throws RocksDBException;
    }

    /**
     * Called holding the channel's lock, after {@code event} got the channel's next serial: queues the event, the
     * channel's new last seq and {@code extra} for the next group commit (one atomic batch); once stored, the event
     * joins the presence set, is delivered to this node if subscribed, and {@code done} completes with
     * {@code outcome}. If the write fails, {@code onFailure} runs under the channel's lock and {@code done} fails
     * with 50300.
     */
    void append(
            DiskChannel ch,
            ChannelEvent event,
            long expiresAt,
            PublishOutcome outcome,
            Extra extra,
            Runnable onFailure,
            CompletableFuture<PublishOutcome> done) {
        long seq = event.serial().seq();
        byte[] value = Layout.eventValue(event, expiresAt);
        byte[] meta = ch.meta(seq).encode();
        commit.submit(new GroupCommit.Write() {
            @Override
            public void fill(WriteBatch batch) throws RocksDBException {
                batch.put(store.events, Layout.eventKey(ch.key, seq), value);
                batch.put(store.channels, ch.key, meta);
                extra.fill(batch);
            }

            @Override
            public void committed() {
                synchronized (ch) {
                    ch.committed(seq);
                    ch.members.apply(event);
                }
                EngineListener l = listener;
                if (l != null && subscribed.contains(ch.id)) {
                    l.onChannelEvent(event);
                }
                done.complete(outcome);
            }

            @Override
            public void failed(RocksDBException e) {
                synchronized (ch) {
                    onFailure.run();
                }
                done.completeExceptionally(new AblyException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "Message not stored: " + "the server's disk store failed (" + e.getMessage()
                                + "); try again later"));
            }
        });
    }

    private boolean seen(DiskChannel ch, String id, long now) {
        if (ch.seenHere(id, now) != null) {
            return true;
        }
        try {
            byte[] v = store.db.get(store.ids, Layout.idKey(ch.key, id));
            return v != null && Layout.expiryOf(v) > now;
        } catch (RocksDBException e) {
            throw DurableSecurity.unavailable("the message id could not be checked", e);
        }
    }
}
