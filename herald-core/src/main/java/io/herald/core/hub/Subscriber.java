package io.herald.core.hub;

import io.herald.core.engine.ChannelEvent;

/** Something on this node that receives a channel's events, e.g. a connection attached to the channel. */
public interface Subscriber {

    /**
     * Called in the channel's order, never concurrently for one channel; must not block (hand the event to your own
     * thread if you need to).
     */
    void onEvent(ChannelEvent event);
}
