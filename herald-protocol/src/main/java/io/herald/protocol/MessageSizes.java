package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The size of a message as counted against maxMessageSize ({@link #wire}): every field, strings as UTF-8 bytes,
 * binary data as its length, JSON trees such as extras, version and annotations as their JSON text. (A heap estimate
 * for retained messages lived here too; the memory engine keeps its history as bytes and counts those.)
 */
public final class MessageSizes {
    private MessageSizes() {}

    /** Bytes a message carries: every field, as counted against maxMessageSize. */
    public static long wire(Message m) {
        return utf8(m.id)
                + utf8(m.name)
                + utf8(m.clientId)
                + utf8(m.connectionId)
                + utf8(m.connectionKey)
                + utf8(m.encoding)
                + utf8(m.serial)
                + json(m.extras)
                + json(m.version)
                + json(m.annotations)
                + data(m.data);
    }

    /** Bytes a presence message carries: every field, as counted against maxMessageSize. */
    public static long wire(PresenceMessage p) {
        return utf8(p.id) + utf8(p.clientId) + utf8(p.connectionId) + utf8(p.encoding) + json(p.extras) + data(p.data);
    }

    static long utf8(@Nullable String s) {
        return s == null ? 0 : Message.utf8Length(s);
    }

    private static long json(@Nullable JsonNode n) {
        return n == null ? 0 : Message.utf8Length(n.toString());
    }

    private static long data(@Nullable Object d) {
        if (d instanceof String s) {
            return Message.utf8Length(s);
        }
        if (d instanceof byte[] b) {
            return b.length;
        }
        return d == null ? 0 : Message.utf8Length(d.toString());
    }
}
