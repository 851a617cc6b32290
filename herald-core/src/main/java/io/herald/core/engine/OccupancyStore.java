package io.herald.core.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Channel occupancy across every node (docs/protocol.md §6.4): each node reports its own attached connections per
 * channel, and any node reads the sum. A channel is active while some node reports a connection on it. A node keeps
 * its reports alive by repeating them (at least every {@code timings.occupancyInterval}); the reports of a node that
 * stopped (crashed) are forgotten after an expiry the engine chooses. An engine of one node keeps them in memory.
 */
public interface OccupancyStore {

    /** Replaces this node's counts for {@code channel}; {@link OccupancyCounts#ZERO} withdraws them. */
    CompletionStage<Void> report(ChannelId channel, OccupancyCounts local);

    /** The counts of every live node summed. */
    CompletionStage<OccupancyCounts> total(ChannelId channel);

    /**
     * One page of the app's active channels whose names start with {@code prefix}, in name order, after the name
     * {@code after} (exclusive; {@code null} from the start), at most {@code limit} names.
     */
    CompletionStage<ActivePage> active(String appId, String prefix, @Nullable String after, int limit);

    /**
     * A page of active channel names; {@code next} is where the next page starts (pass it as {@code after}), or
     * {@code null} when there are no more. A page may hold fewer names than asked for and still have a next one.
     */
    record ActivePage(List<String> names, @Nullable String next) {}
}
