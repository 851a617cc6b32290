package io.herald.redis;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryPager;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.HistoryStore;
import io.herald.core.engine.Replay;
import io.herald.core.internal.Stages;
import io.herald.protocol.Action;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * History from the log stream. Entries are read in chunks ({@code read.lua}, position and entries in one step) and
 * paged by core's {@link HistoryPager}, as in the memory engine; entries past their expiry (the time
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
        return Stages.guard(() -> reader.range(
                        RedisKeys.tag(channel),
                        "fwd",
                        Long.toString(after.seq() + 1),
                        "+",
                        Math.max(1, max),
                        after.epoch())
                .thenApply(slice -> {
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

    private CompletableFuture<ChannelSerial> rewindFrom(
            String tag,
            ChannelId channel,
            String from,
            int count,
            long since,
            long now,
            List<ChannelEvent> out,
            @Nullable ChannelSerial position) {
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
                        if (io.herald.core.engine.Versions.isOperationEvent(ev)) {
                            continue;
                        }
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

    /** One history query in progress: the page so far ({@link HistoryPager}), and where to read next. */
    private final class Query {
        final ChannelId channel;
        final String tag;
        final HistoryQuery q;
        final long now;
        final int chunk;
        final boolean wantMessages;

        @Nullable
        HistoryPager pager;

        @Nullable
        String epoch;

        Query(ChannelId channel, HistoryQuery q, long now) {
            this.channel = channel;
            this.tag = RedisKeys.tag(channel);
            this.q = q;
            this.now = now;
            this.chunk = Math.max(MIN_CHUNK, Math.min(1_000, q.limit() + 1));
            this.wantMessages = HistoryPager.wantedAction(q) == Action.MESSAGE;
        }

        CompletableFuture<HistoryPage> read(String from) {
            return reader.range(tag, q.forwards() ? "fwd" : "rev", from, q.forwards() ? "+" : "-", chunk, epoch)
                    .thenCompose(slice -> {
                        HistoryPager p = pager;
                        if (p == null) {
                            p = new HistoryPager(q, slice.epoch());
                            pager = p;
                            epoch = slice.epoch();
                        } else if (!slice.epoch().equals(epoch)) {
                            return CompletableFuture.completedFuture(p.page());
                        }
                        List<EventCodec.Entry> entries = slice.entries();
                        for (EventCodec.Entry e : entries) {
                            if (e.expiresAt() <= now) {
                                // newest first, every older entry has expired too
                                if (q.forwards()) {
                                    continue;
                                }
                                return CompletableFuture.completedFuture(p.page());
                            }
                            if (!e.isObjects()
                                    && e.isMessage() == wantMessages
                                    && !p.offer(e.event(channel, slice.epoch()))) {
                                return CompletableFuture.completedFuture(p.page());
                            }
                        }
                        if (entries.size() < chunk) {
                            return CompletableFuture.completedFuture(p.page());
                        }
                        EventCodec.Entry last = entries.get(entries.size() - 1);
                        return read("(" + last.seq() + "-" + last.expiresAt());
                    });
        }
    }
}
