package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * A presence event or member (SPEC TP3; docs/protocol.md §8.1). Mutable wire DTO, treated as immutable once stored.
 * The member key is {@code connectionId + ":" + clientId}.
 */
public final class PresenceMessage {
    public static final int ABSENT = 0;
    public static final int PRESENT = 1;
    public static final int ENTER = 2;
    public static final int LEAVE = 3;
    public static final int UPDATE = 4;

    public @Nullable String id;
    public int action;
    public @Nullable String clientId;
    public @Nullable String connectionId;
    public @Nullable Object data;
    public @Nullable String encoding;
    public @Nullable JsonNode extras;
    public @Nullable Long timestamp;

    public PresenceMessage() {}

    public PresenceMessage copy() {
        PresenceMessage p = new PresenceMessage();
        p.id = id;
        p.action = action;
        p.clientId = clientId;
        p.connectionId = connectionId;
        p.data = data;
        p.encoding = encoding;
        p.extras = extras;
        p.timestamp = timestamp;
        return p;
    }

    /** The presence-set key of this member. */
    public String memberKey() {
        return connectionId + ":" + clientId;
    }

    /** Size counted against maxMessageSize: every field the event carries ({@link MessageSizes#wire(PresenceMessage)}). */
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, MessageSizes.wire(this));
    }

    public static String actionName(int action) {
        return switch (action) {
            case ABSENT -> "absent";
            case PRESENT -> "present";
            case ENTER -> "enter";
            case LEAVE -> "leave";
            case UPDATE -> "update";
            default -> "unknown(" + action + ")";
        };
    }

    @Override
    public String toString() {
        return "PresenceMessage{" + actionName(action) + " " + clientId + "@" + connectionId + "}";
    }
}
