package io.herald.redis;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.HistoryStore;
import io.herald.core.engine.Replay;
import io.herald.core.internal.Stages;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * History from the log stream. Entries are read in chunks ({@code read.lua}, position and entries in one step) and
 * flattened to messages or presence events exactly as the memory engine does; entries past their expiry (the time
 * trim is amortized, so a few may linger) count as gone.
 */
final class RedisHistoryStore implements HistoryStore {
    private static final int MIN_CHUNK = 100;

    private final LogReader reader;
    private final Clock clock;

    RedisHistoryStore(LogReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Replay> since(ChannelId channel, ChannelSerial after, int max) {
        long now = clock.millis();
        return Stages.guard(() -> reader.range(RedisKeys.tag(channel), "fwd", Long.toString(after.seq() + 1), "+",
                Math.max(1, max), after.epoch()).thenApply(slice -> {
                    ChannelSerial pos = slice.position();
                    if (!slice.epoch().equals(after.epoch()) || after.seq() > slice.seq()) {
                        return new Replay(false, List.of(), pos);
                    }
                    if (after.seq() == slice.seq()) {
                        return new Replay(true, List.of(), pos);
                    }
                    if (slice.seq() - after.seq() > max) {
                        return new Replay(false, List.of(), pos);
                    }
                    List<ChannelEvent> events = new ArrayList<>();
                    long expect = after.seq() + 1;
                    for (EventCodec.Entry e : slice.entries()) {
                        if (e.seq() != expect || e.expiresAt() <= now) {
                            return new Replay(false, List.of(), pos);
                        }
                        events.add(e.event(channel, slice.epoch()));
                        expect++;
                    }
                    if (expect != slice.seq() + 1) {
                        return new Replay(false, List.of(), pos);
                    }
                    return new Replay(true, events, pos);
                }));
    }

    @Override
    public CompletionStage<Replay> rewind(ChannelId channel, int count, long millis) {
        long now = clock.millis();
        long since = millis > 0 ? now - millis : 0;
        String tag = RedisKeys.tag(channel);
        List<ChannelEvent> newestFirst = new ArrayList<>();
        return Stages.guard(() -> rewindFrom(tag, channel, "+", count, since, now, newestFirst, null)
                .thenApply(pos -> {
                    Collections.reverse(newestFirst);
                    return new Replay(true, newestFirst, pos);
                }));
    }

    private CompletableFuture<ChannelSerial> rewindFrom(String tag, ChannelId channel, String from, int count,
                                                        long since, long now, List<ChannelEvent> out,
                                                        ChannelSerial position) {
        int chunk = Math.max(MIN_CHUNK, Math.min(1_000, count <= 0 ? 1_000 : count));
        return reader.range(tag, "rev", from, "-", chunk, position == null ? null : position.epoch())
                .thenCompose(slice -> {
                    ChannelSerial pos = position != null ? position : slice.position();
                    if (!slice.epoch().equals(pos.epoch())) {
                        return CompletableFuture.completedFuture(pos);
                    }
                    List<EventCodec.Entry> entries = slice.entries();
                    for (EventCodec.Entry e : entries) {
                        if (count > 0 && out.size() >= count) {
                            return CompletableFuture.completedFuture(pos);
                        }
                        if (e.expiresAt() <= now) {
                            return CompletableFuture.completedFuture(pos);
                        }
                        if (!e.isMessage()) {
                            continue;
                        }
                        ChannelEvent ev = e.event(channel, pos.epoch());
                        if (since > 0 && ev.message().timestamp != null && ev.message().timestamp < since) {
                            return CompletableFuture.completedFuture(pos);
                        }
                        out.add(ev);
                    }
                    if (entries.size() < chunk || (count > 0 && out.size() >= count)) {
                        return CompletableFuture.completedFuture(pos);
                    }
                    String next = "(" + entries.get(entries.size() - 1).seq() + "-"
                            + entries.get(entries.size() - 1).expiresAt();
                    return rewindFrom(tag, channel, next, count, since, now, out, pos);
                });
    }

    @Override
    public CompletionStage<HistoryPage> query(ChannelId channel, HistoryQuery q) {
        long now = clock.millis();
        Query state = new Query(channel, q, now);
        String from;
        if (q.cursor() != null) {
            from = Long.toString(q.cursor().seq());
        } else {
            from = q.forwards() ? "-" : "+";
        }
        return Stages.guard(() -> state.read(from));
    }

    /** One history query in progress: items so far, and where to read next. */
    private final class Query {
        final ChannelId channel;
        final String tag;
        final HistoryQuery q;
        final long now;
        final int chunk;
        final List<HistoryItem> items = new ArrayList<>();
        String epoch;

        Query(ChannelId channel, HistoryQuery q, long now) {
            this.channel = channel;
            this.tag = RedisKeys.tag(channel);
            this.q = q;
            this.now = now;
            this.chunk = Math.max(MIN_CHUNK, Math.min(1_000, q.limit() + 1));
        }

        CompletableFuture<HistoryPage> read(String from) {
            return reader.range(tag, q.forwards() ? "fwd" : "rev", from, q.forwards() ? "+" : "-", chunk, epoch)
                    .thenCompose(slice -> {
                        if (epoch == null) {
                            epoch = slice.epoch();
                        } else if (!epoch.equals(slice.epoch())) {
                            return done(false);
                        }
                        List<EventCodec.Entry> entries = slice.entries();
                        for (EventCodec.Entry e : entries) {
                            Boolean more = take(e);
                            if (more != null) {
                                return done(more);
                            }
                        }
                        if (entries.size() < chunk) {
                            return done(false);
                        }
                        EventCodec.Entry last = entries.get(entries.size() - 1);
                        return read("(" + last.seq() + "-" + last.expiresAt());
                    });
        }

        private CompletableFuture<HistoryPage> done(boolean more) {
            return CompletableFuture.completedFuture(new HistoryPage(items, more));
        }

        /** Adds the entry's items; {@code null} to go on, else the page is complete (with whether there is more). */
        private Boolean take(EventCodec.Entry e) {
            if (e.expiresAt() <= now) {
                return q.forwards() ? null : Boolean.FALSE;
            }
            boolean wantMessages = q.kind() == HistoryQuery.Kind.MESSAGES;
            if (e.isMessage() != wantMessages) {
                return null;
            }
            if (q.until() != null && q.until().epoch().equals(epoch) && e.seq() > q.until().seq()) {
                return q.forwards() ? Boolean.FALSE : null;
            }
            ChannelEvent event = e.event(channel, epoch);
            List<?> list = wantMessages ? event.message().messages : event.message().presence;
            int n = list == null ? 0 : list.size();
            for (int k = 0; k < n; k++) {
                int i = q.forwards() ? k : n - 1 - k;
                HistoryQuery.Cursor cursor = new HistoryQuery.Cursor(e.seq(), i);
                if (q.cursor() != null && !after(cursor, q.cursor(), q.forwards())) {
                    continue;
                }
                Object item = list.get(i);
                Long ts = item instanceof Message m ? m.timestamp : ((PresenceMessage) item).timestamp;
                if (ts != null && q.start() != null && ts < q.start()) {
                    if (!q.forwards()) {
                        return Boolean.FALSE;
                    }
                    continue;
                }
                if (ts != null && q.end() != null && ts > q.end()) {
                    if (q.forwards()) {
                        return Boolean.FALSE;
                    }
                    continue;
                }
                if (items.size() == q.limit()) {
                    return Boolean.TRUE;
                }
                items.add(new HistoryItem(cursor, item));
            }
            return null;
        }
    }

    private static boolean after(HistoryQuery.Cursor c, HistoryQuery.Cursor ref, boolean forwards) {
        int cmp = c.seq() != ref.seq() ? Long.compare(c.seq(), ref.seq()) : Integer.compare(c.index(), ref.index());
        return forwards ? cmp > 0 : cmp < 0;
    }
}
