package io.herald.core.engine;

import java.util.concurrent.CompletionStage;

/**
 * Orders and distributes channel events. Each channel has one log; {@link #publish} appends to it atomically with the
 * channel's history and presence set, and every node that {@link #subscribe subscribed} to the channel receives the
 * event through {@link EngineListener#onChannelEvent} exactly once, in serial order, never two events of one channel
 * at the same time.
 */
public interface Broker {

    /** Appends and distributes. Fails with an {@code AblyException} (e.g. 50300 when the backend is unreachable). */
    CompletionStage<PublishOutcome> publish(PublishRequest request);

    /** Starts delivery of the channel's events to this node. Idempotent. */
    CompletionStage<Void> subscribe(ChannelId channel);

    /** Stops delivery of the channel's events to this node. Idempotent. */
    CompletionStage<Void> unsubscribe(ChannelId channel);

    /** The serial of the channel's last event ({@code seq} 0 for an empty log). */
    CompletionStage<ChannelSerial> position(ChannelId channel);
}
