package io.herald.core.engine;

import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.Objects;

/**
 * What to append to a channel's log.
 *
 * @param channel    the channel
 * @param message    a MESSAGE (messages complete: id, clientId, connectionId, timestamp) or PRESENCE (presence events
 *                   complete: id, action, clientId, connectionId, timestamp) ProtocolMessage; the engine sets
 *                   {@code channelSerial} and the message serials and never changes anything else
 * @param retention  how long the event stays in history
 * @param dedupe     drop messages whose client-supplied id was already published on the channel within the
 *                   idempotency window (RSL1k, docs/protocol.md §7.5)
 */
public record PublishRequest(ChannelId channel, ProtocolMessage message, Duration retention, boolean dedupe) {
    public PublishRequest {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retention, "retention");
        if (message.action != Action.MESSAGE && message.action != Action.PRESENCE) {
            throw new IllegalArgumentException(
                    "only MESSAGE or PRESENCE can be published, got " + Action.name(message.action));
        }
    }
}
