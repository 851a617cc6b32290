package io.herald.core.hub;

import io.herald.core.engine.ChannelEvent;
import io.herald.protocol.ProtocolMessage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** Something on this node that receives a channel's events, e.g. a connection attached to the channel. */
public interface Subscriber {

    /**
     * The single-threaded executor {@link #deliver} runs on. The hub hands each event to each executor once, for all
     * of its subscribers, instead of once per subscriber.
     */
    Executor executor();

    /** Called on {@link #executor()}, in the channel's order. */
    void deliver(ChannelEvent event);

    /**
     * The channel modes this subscriber is counted with in the channel's occupancy, or {@code -1} when it is not a
     * connection's attachment and is not counted. Read from any thread.
     */
    default int occupancyModes() {
        return -1;
    }

    /**
     * The {@code occupancy} channel param this subscriber attached with ({@code metrics} or {@code metrics.<category>}),
     * or {@code null} when it wants no occupancy events. Read from any thread.
     */
    default @Nullable String occupancyParam() {
        return null;
    }

    /** An occupancy event ({@code [meta]occupancy}) for this subscriber; called on {@link #executor()}. */
    default void deliverOccupancy(ProtocolMessage event) {}
}
