package io.herald.core.engine;

import io.herald.core.objects.ObjectMessage;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A batch of object operations to apply to one channel.
 *
 * @param channel   the channel
 * @param event     the OBJECT ProtocolMessage to publish (id, connectionId, timestamp set; the engine sets
 *                  {@code channelSerial} and {@code state})
 * @param messages  the operations, complete but for serial, serialTimestamp and siteCode, which the engine stamps
 * @param retention how long the event stays in the channel's log (for resumes; history never shows it)
 */
public record ObjectsRequest(
        ChannelId channel, ProtocolMessage event, List<ObjectMessage> messages, Duration retention) {
    public ObjectsRequest {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(retention, "retention");
        if (event.action != Action.OBJECT) {
            throw new IllegalArgumentException("an objects request publishes OBJECT, got " + Action.name(event.action));
        }
        messages = List.copyOf(messages);
        for (ObjectMessage m : messages) {
            if (m.operation() == null) {
                throw new IllegalArgumentException("every message of an objects request carries an operation");
            }
        }
    }
}
