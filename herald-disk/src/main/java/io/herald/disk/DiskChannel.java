package io.herald.disk;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.memory.PresenceFold;
import io.herald.core.internal.Ids;
import io.herald.core.objects.ObjectsState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A channel kept on disk, as this node holds it: its epoch, the last seq handed out and the last one stored, its
 * presence set (in memory only: the connections behind the members do not survive a restart either) and the client
 * message ids of the idempotency window seen by this process. Every method needs the object's monitor.
 */
final class DiskChannel {
    final ChannelId id;
    final byte[] key;
    final String epoch;
    /** The first seq of this epoch: serials before it belong to an earlier life of the log. */
    final long epochStart;
    /** When this process last used the channel (ms), to let idle ones go from memory. */
    long lastUsed;

    private long assigned;
    private long committed;
    final PresenceFold members = new PresenceFold();
    /** The channel's LiveObjects pool, read from the store on first use and dropped with the channel when idle. */
    @Nullable
    ObjectsState objects;
    /** OBJECT events stored one by one since the pool was last stored whole ({@link DiskObjects}). */
    int objectOpsSinceFold;
    /** When the pool's tombstones may be collected again: a grace period after it was read back (ms). */
    long objectsCollectFrom;

    private final HashMap<String, Long> recentIds = new HashMap<>();
    private final ArrayDeque<Map.Entry<String, Long>> recentIdOrder = new ArrayDeque<>();

    DiskChannel(ChannelId id, byte[] key, String epoch, long epochStart, long lastSeq) {
        this.id = id;
        this.key = key;
        this.epoch = epoch;
        this.epochStart = epochStart;
        this.assigned = lastSeq;
        this.committed = lastSeq;
    }

    static DiskChannel fresh(ChannelId id) {
        return new DiskChannel(id, Layout.channelKey(id), Ids.alphanumeric(8), 0, 0);
    }

    static DiskChannel of(ChannelId id, Layout.Meta meta) {
        return new DiskChannel(id, Layout.channelKey(id), meta.epoch(), meta.epochStart(), meta.lastSeq());
    }

    ChannelSerial next() {
        return new ChannelSerial(epoch, ++assigned);
    }

    /** The position of the last stored event: what readers and new subscribers see. */
    ChannelSerial position() {
        return new ChannelSerial(epoch, committed);
    }

    void committed(long seq) {
        committed = Math.max(committed, seq);
    }

    Layout.Meta meta(long lastSeq) {
        return new Layout.Meta(epoch, lastSeq, epochStart);
    }

    boolean pending() {
        return assigned != committed;
    }

    /** Whether this process saw {@code messageId} within the window; {@code null} when it does not know. */
    @Nullable
    Boolean seenHere(String messageId, long now) {
        Long until = recentIds.get(messageId);
        return (until != null && until > now) ? Boolean.TRUE : null;
    }

    void remember(String messageId, long until, int maxIds) {
        recentIds.put(messageId, until);
        recentIdOrder.addLast(Map.entry(messageId, until));
        while (recentIdOrder.size() > maxIds) {
            Map.Entry<String, Long> e = recentIdOrder.removeFirst();
            recentIds.remove(e.getKey(), e.getValue());
        }
    }

    /** Forgets an id whose write failed, so a retry is not taken for a duplicate. */
    void forget(String messageId) {
        recentIds.remove(messageId);
    }

    void trim(long now) {
        while (!recentIdOrder.isEmpty() && recentIdOrder.peekFirst().getValue() <= now) {
            Map.Entry<String, Long> e = recentIdOrder.removeFirst();
            recentIds.remove(e.getKey(), e.getValue());
        }
    }

    boolean isIdle() {
        return !pending() && members.isEmpty() && recentIds.isEmpty();
    }
}
