package io.herald.redis;

import io.herald.core.engine.ChannelSerial;
import io.herald.core.objects.MapEntry;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectState;
import io.herald.core.objects.ObjectsLimits;
import io.herald.core.objects.ObjectsMap;
import io.herald.core.objects.ObjectsState;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * This node's copy of one channel's objects: the pool folded from the objects stored in Redis (compacted state, then
 * operations in order), and how far it got: the objects' life, the count of operations folded, and the log position
 * of the last one. One {@link #then} chain runs the channel's reads and applies one after another, so the fields are
 * only touched by one step at a time.
 *
 * <p>A log position's epoch changes when the channel's log is lost (it expired while nobody used the channel); serials
 * of different epochs do not sort in log order, so before the first operation of a new epoch the pool is rebased:
 * every serial it holds becomes {@code epoch-000000000000:000}, lower than any serial of that epoch. All its
 * conflicts are already decided, every node rebases at the same operation, and every client resyncs (nobody was
 * attached when the log expired), so the pools stay equal.
 */
final class ObjectsPool {
    final ObjectsLimits limits;
    ObjectsState state;
    /** The objects' life in Redis ('' before the first read that found some): they start over when it changes. */
    String life = "";
    /** Operations folded, counted from the first of the life. */
    long count;
    /** Operations Redis holds compacted when this node last looked (or is storing now; a failed store resets it). */
    volatile long compacted;
    /** The log position of the last operation folded. */
    @Nullable
    ChannelSerial last;

    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    ObjectsPool(ObjectsLimits limits) {
        this.limits = limits;
        this.state = new ObjectsState(limits);
    }

    /** Runs {@code step} after every step queued before it (whatever their outcome). */
    synchronized <T> CompletableFuture<T> then(java.util.function.Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> next = tail.handle((v, t) -> null).thenCompose(v -> step.get());
        tail = next;
        return next;
    }

    /** Forgets everything: the next fold starts from an empty pool. */
    void reset(String newLife) {
        state = new ObjectsState(limits);
        life = newLife;
        count = 0;
        compacted = 0;
        last = null;
    }

    /** Starts over from a compacted state ({@link #encode}) covering {@code upto} operations. */
    void restore(String newLife, long upto, byte[] blob) {
        reset(newLife);
        count = upto;
        compacted = upto;
        if (blob.length == 0) {
            return;
        }
        int nl = newline(blob);
        last = position(new String(blob, 0, nl, StandardCharsets.US_ASCII));
        ProtocolMessage pm = EventCodec.MSGPACK.decode(Arrays.copyOfRange(blob, nl + 1, blob.length));
        state = ObjectsState.restore(ObjectMessages.read(pm.state), limits);
    }

    /** Folds one stored operation entry ({@code "epoch seq\n"} then the OBJECT event's payload). */
    void fold(byte[] entry) {
        int nl = newline(entry);
        ChannelSerial at = java.util.Objects.requireNonNull(
                position(new String(entry, 0, nl, StandardCharsets.US_ASCII)), "an operation entry has a position");
        ProtocolMessage pm = EventCodec.MSGPACK.decode(Arrays.copyOfRange(entry, nl + 1, entry.length));
        RedisObjects.stamp(pm, at);
        fold(ObjectMessages.read(pm.state), at);
    }

    /** Folds one batch of stamped operations appended at {@code at}. */
    void fold(List<ObjectMessage> stamped, ChannelSerial at) {
        ChannelSerial before = last;
        if (before != null && !before.epoch().equals(at.epoch())) {
            rebase(at.epoch());
        }
        for (ObjectMessage m : stamped) {
            state.apply(m);
        }
        count++;
        last = at;
    }

    /** The pool as a compacted state: {@code "epoch seq\n"} then an OBJECT_SYNC ProtocolMessage in msgpack. */
    byte[] encode() {
        ChannelSerial at = last;
        ProtocolMessage pm = new ProtocolMessage(Action.OBJECT_SYNC);
        pm.state = ObjectMessages.write(state.snapshot());
        byte[] head = ((at == null ? "" : at.epoch() + " " + at.seq()) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = EventCodec.payload(pm);
        byte[] out = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private void rebase(String epoch) {
        String floor = new ChannelSerial(epoch, 0).messageSerial(0);
        List<ObjectMessage> objects = new ArrayList<>();
        for (ObjectMessage m : state.snapshot()) {
            ObjectState o = m.object();
            if (o == null) {
                continue;
            }
            Map<String, String> sites = new TreeMap<>();
            o.siteTimeserials().keySet().forEach(k -> sites.put(k, floor));
            ObjectsMap map = o.map();
            if (map != null) {
                Map<String, MapEntry> entries = new LinkedHashMap<>();
                map.entries()
                        .forEach((k, e) -> entries.put(
                                k,
                                new MapEntry(
                                        e.data(),
                                        e.timeserial() == null ? null : floor,
                                        e.tombstone(),
                                        e.serialTimestamp())));
                map = new ObjectsMap(map.semantics(), entries, map.clearTimeserial() == null ? null : floor);
            }
            objects.add(ObjectMessage.ofState(
                    new ObjectState(o.objectId(), sites, o.tombstone(), o.createOp(), map, o.counterCount())));
        }
        state = ObjectsState.restore(objects, limits);
    }

    private static int newline(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("a stored objects entry has no header line");
    }

    private static @Nullable ChannelSerial position(String head) {
        int sp = head.indexOf(' ');
        if (sp < 0) {
            return null;
        }
        return new ChannelSerial(head.substring(0, sp), Long.parseLong(head.substring(sp + 1)));
    }
}
