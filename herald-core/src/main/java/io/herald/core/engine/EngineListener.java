package io.herald.core.engine;

/**
 * How an engine reaches the rest of the node. Calls for one channel never overlap and come in serial order; the
 * listener must not block.
 */
public interface EngineListener {

    /** An event of a channel this node subscribed to. */
    void onChannelEvent(ChannelEvent event);

    /** A revocation was added (on any node). */
    void onRevocation(Revocation revocation);

    /** Another node took over a connection this node may still hold (see {@link ConnectionStore}). */
    default void onTakeover(String connectionId, String nodeId) {}

    /** The engine's backend became reachable ({@code true}) or unreachable. */
    default void onReadinessChanged(boolean ready) {}
}
