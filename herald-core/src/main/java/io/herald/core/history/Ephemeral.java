package io.herald.core.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.HistoryStore;
import io.herald.core.engine.Replay;
import io.herald.protocol.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Ephemeral messages ({@code extras.ephemeral: true}): delivered to the channel's subscribers like any other, but never
 * part of its history. The engines keep them in the channel's log (which resume reads from), so history reads leave
 * them out here.
 */
public final class Ephemeral {
    /** How many more reads one history page may take to make up for the ephemeral messages it left out. */
    static final int MAX_READS = 10;

    private Ephemeral() {}

    public static boolean is(@Nullable Message m) {
        if (m == null || m.extras == null) {
            return false;
        }
        JsonNode e = m.extras.get("ephemeral");
        return e != null && e.asBoolean(false);
    }

    /**
     * A page of message history without ephemeral messages: reads on past them until the page has {@code limit}
     * messages or the log ends. The page's cursors are the log's, so its links continue where it stopped.
     */
    public static CompletionStage<HistoryPage> query(HistoryStore store, ChannelId channel, HistoryQuery query) {
        return fill(store, channel, query, new ArrayList<>(), 1);
    }

    /**
     * The replay of an attach with {@code rewind} without events whose messages are all ephemeral: a rewind shows
     * what history would (a {@code rewind=n} may then show fewer than n).
     */
    public static Replay withoutEphemeral(Replay replay) {
        List<ChannelEvent> kept = new ArrayList<>(replay.events().size());
        for (ChannelEvent e : replay.events()) {
            List<Message> messages = e.message().messages;
            boolean allEphemeral = messages != null && !messages.isEmpty();
            if (messages != null) {
                for (Message m : messages) {
                    allEphemeral &= is(m);
                }
            }
            if (!allEphemeral) {
                kept.add(e);
            }
        }
        return kept.size() == replay.events().size()
                ? replay
                : new Replay(replay.continuous(), kept, replay.position());
    }

    private static CompletionStage<HistoryPage> fill(
            HistoryStore store, ChannelId channel, HistoryQuery query, List<HistoryItem> kept, int reads) {
        return store.query(channel, query).thenCompose(page -> {
            boolean leftOver = false; // a message this page had no room for
            for (HistoryItem i : page.items()) {
                if (i.item() instanceof Message m && is(m)) {
                    continue;
                }
                if (kept.size() < query.limit()) {
                    kept.add(i);
                } else {
                    leftOver = true;
                }
            }
            boolean more = page.hasMore() || leftOver;
            if (kept.size() >= query.limit() || !page.hasMore() || page.items().isEmpty() || reads >= MAX_READS) {
                return CompletableFuture.completedFuture(new HistoryPage(kept, more));
            }
            HistoryItem last = page.items().get(page.items().size() - 1);
            HistoryQuery next = new HistoryQuery(
                    query.kind(),
                    query.start(),
                    query.end(),
                    query.limit(),
                    query.forwards(),
                    query.until(),
                    last.cursor());
            return fill(store, channel, next, kept, reads + 1);
        });
    }
}
