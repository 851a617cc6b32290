package io.herald.core.hub;

import io.herald.core.engine.ChannelEvent;
import java.util.concurrent.Executor;

/** Something on this node that receives a channel's events, e.g. a connection attached to the channel. */
public interface Subscriber {

    /**
     * The single-threaded executor {@link #deliver} runs on. The hub hands each event to each executor once, for all
     * of its subscribers, instead of once per subscriber.
     */
    Executor executor();

    /** Called on {@link #executor()}, in the channel's order. */
    void deliver(ChannelEvent event);
}
