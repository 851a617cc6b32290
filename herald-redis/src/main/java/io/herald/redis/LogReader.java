package io.herald.redis;

import io.herald.core.engine.ChannelSerial;
import io.herald.core.internal.Ids;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Reads a channel's log with {@code read.lua}: its position, and in the same atomic step a range of entries or the
 * presence set. The first read of a channel creates its state (a new epoch at seq 0), so a position handed to a
 * client is the one the next publish continues from.
 */
final class LogReader {
    /** What one read returned: the position and the entries (raw XRANGE items) or stored members. */
    record Slice(String epoch, long seq, List<Object> items) {
        ChannelSerial position() {
            return new ChannelSerial(epoch, seq);
        }

        List<EventCodec.Entry> entries() {
            List<EventCodec.Entry> out = new ArrayList<>(items.size());
            for (Object o : items) {
                out.add(EventCodec.Entry.of(o));
            }
            return out;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private final RedisLink link;
    private final RedisKeys keys;
    private final byte[] stateTtl;

    LogReader(RedisLink link, RedisKeys keys, long stateTtlMillis) {
        this.link = link;
        this.keys = keys;
        this.stateTtl = RedisLink.bytes(stateTtlMillis);
    }

    CompletableFuture<Slice> position(String tag) {
        return read(tag, "pos", "-", "+", 0, null);
    }

    CompletableFuture<Slice> members(String tag) {
        return read(tag, "members", "-", "+", 0, null);
    }

    /**
     * A range of the log: {@code fwd} (XRANGE from..to) or {@code rev} (XREVRANGE from..to, from being the higher
     * end), at most {@code count} entries, read only if the log's epoch is {@code onlyEpoch} (when not null).
     */
    CompletableFuture<Slice> range(
            String tag, String direction, String from, String to, int count, @Nullable String onlyEpoch) {
        return read(tag, direction, from, to, count, onlyEpoch);
    }

    private CompletableFuture<Slice> read(
            String tag, String mode, String from, String to, int count, @Nullable String onlyEpoch) {
        String[] k = {keys.state(tag), keys.log(tag), keys.presence(tag)};
        return link.<List<Object>>eval(
                        Script.READ,
                        ScriptOutputType.MULTI,
                        k,
                        RedisLink.bytes(Ids.alphanumeric(8)),
                        stateTtl,
                        RedisLink.bytes(mode),
                        RedisLink.bytes(from),
                        RedisLink.bytes(to),
                        RedisLink.bytes(count),
                        onlyEpoch == null ? EMPTY : RedisLink.bytes(onlyEpoch))
                .thenApply(r -> {
                    @SuppressWarnings("unchecked")
                    List<Object> items = r.size() > 2 && r.get(2) instanceof List<?> l ? (List<Object>) l : List.of();
                    return new Slice(RedisLink.string(r.get(0)), RedisLink.number(r.get(1)), items);
                });
    }
}
