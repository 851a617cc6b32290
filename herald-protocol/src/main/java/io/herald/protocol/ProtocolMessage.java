package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The unit of the realtime protocol: one per WebSocket frame (SPEC TR4; docs/protocol.md §2.2). A mutable wire DTO.
 * Fields left {@code null} (or 0 for {@code flags}) are omitted on the wire.
 */
public final class ProtocolMessage {
    public int action;
    public int flags;
    public @Nullable String id;
    public @Nullable String channel;
    public @Nullable String channelSerial;
    public @Nullable String connectionId;
    public @Nullable String connectionKey;
    public @Nullable ConnectionDetails connectionDetails;
    public @Nullable Integer count;
    public @Nullable ErrorInfo error;
    public @Nullable Long msgSerial;
    public @Nullable Long timestamp;
    public @Nullable List<Message> messages;
    public @Nullable List<PresenceMessage> presence;
    public @Nullable AuthDetails auth;
    public @Nullable Map<String, String> params;
    public @Nullable List<PublishResult> res;
    /** LiveObjects state, annotations and anything else we only pass through. */
    public @Nullable JsonNode state;

    public @Nullable JsonNode annotations;

    public ProtocolMessage() {}

    public ProtocolMessage(int action) {
        this.action = action;
    }

    public static ProtocolMessage of(int action, String channel) {
        ProtocolMessage pm = new ProtocolMessage(action);
        pm.channel = channel;
        return pm;
    }

    public static ProtocolMessage error(int action, ErrorInfo error) {
        ProtocolMessage pm = new ProtocolMessage(action);
        pm.error = error;
        return pm;
    }

    public boolean hasFlag(int bit) {
        return (flags & bit) == bit;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProtocolMessage{").append(Action.name(action));
        if (channel != null) {
            sb.append(" channel=").append(channel);
        }
        if (msgSerial != null) {
            sb.append(" msgSerial=").append(msgSerial);
        }
        if (flags != 0) {
            sb.append(" flags=").append(flags);
        }
        if (error != null) {
            sb.append(" error=").append(error);
        }
        if (messages != null) {
            sb.append(" messages=").append(messages.size());
        }
        if (presence != null) {
            sb.append(" presence=").append(presence.size());
        }
        return sb.append('}').toString();
    }
}
