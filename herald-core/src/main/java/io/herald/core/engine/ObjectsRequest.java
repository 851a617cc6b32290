package io.herald.core.engine;

import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.objects.ObjectsState;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
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

    /** What an engine keeping its pool in the node does with a batch: its stamped messages and their serials. */
    public record Applied(List<ObjectMessage> stamped, List<String> serials) {}

    /** Checks the batch against {@code pool}: 92000-92002, the pool unchanged either way. */
    public void check(ObjectsState pool) {
        List<ObjectOperation> ops = new ArrayList<>(messages.size());
        for (ObjectMessage m : messages) {
            ops.add(Objects.requireNonNull(m.operation()));
        }
        pool.check(ops);
    }

    /**
     * After {@link #check}: stamps each message (id defaulted to the event's id and index, timestamp to {@code now},
     * the serial of its index at {@code serial}, {@code siteCode}), applies it to {@code pool} and writes the stamped
     * messages and {@code serial} into the event. The caller holds the channel's lock and has taken {@code serial}
     * as the batch's position in the log.
     */
    public Applied stampAndApply(ObjectsState pool, ChannelSerial serial, long now, String siteCode) {
        List<ObjectMessage> stamped = new ArrayList<>(messages.size());
        List<String> serials = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ObjectMessage m = messages.get(i);
            String s = serial.messageSerial(i);
            ObjectMessage one = m.stamped(
                    m.id() != null ? m.id() : event.id + ":" + i,
                    m.clientId(),
                    m.connectionId(),
                    m.timestamp() != null ? m.timestamp() : now,
                    s,
                    siteCode);
            pool.apply(one);
            stamped.add(one);
            serials.add(s);
        }
        event.state = ObjectMessages.write(stamped);
        event.channelSerial = serial.toString();
        return new Applied(stamped, serials);
    }
}
