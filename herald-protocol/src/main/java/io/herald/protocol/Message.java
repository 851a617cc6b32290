package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * A channel message (SPEC TM2; docs/protocol.md §7.2). A mutable wire DTO: decoders fill it, the server completes the
 * missing fields once, and from then on it is treated as immutable (it may be shared by many deliveries).
 *
 * <p>{@code data} is a {@link String}, a {@code byte[]} (msgpack {@code bin}, or JSON base64 already decoded by the
 * codec only when asked) or {@code null}; {@code encoding} is kept verbatim.
 */
public final class Message {
    public @Nullable String id;
    public @Nullable String name;
    public @Nullable Object data;
    public @Nullable String encoding;
    public @Nullable String clientId;
    public @Nullable String connectionId;
    /** Only on REST publish: publish on behalf of a realtime connection (RSL1m). */
    public @Nullable String connectionKey;

    public @Nullable Long timestamp;
    public @Nullable JsonNode extras;
    /** Message action (0 create, 1 update, 2 delete, 3 meta, 4 summary, 5 append). */
    public @Nullable Integer action;

    public @Nullable String serial;
    /** MessageVersion object, passed through. */
    public @Nullable JsonNode version;
    /** Annotations summary object, passed through. */
    public @Nullable JsonNode annotations;

    public Message() {}

    public Message(@Nullable String name, @Nullable Object data) {
        this.name = name;
        this.data = data;
    }

    /** A shallow copy (data arrays and JSON trees are shared, they are never mutated). */
    public Message copy() {
        Message m = new Message();
        m.id = id;
        m.name = name;
        m.data = data;
        m.encoding = encoding;
        m.clientId = clientId;
        m.connectionId = connectionId;
        m.connectionKey = connectionKey;
        m.timestamp = timestamp;
        m.extras = extras;
        m.action = action;
        m.serial = serial;
        m.version = version;
        m.annotations = annotations;
        return m;
    }

    /**
     * Size counted against maxMessageSize: Ably counts name + clientId + extras (as JSON) + data (TO3l8); Herald
     * counts every other field a message carries as well (id, encoding, serial, version, annotations, ...), so no
     * field can carry more than the limit ({@link MessageSizes#wire(Message)}). Capped at {@code Integer.MAX_VALUE}.
     */
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, MessageSizes.wire(this));
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Message{id=" + id + ", name=" + name + ", clientId=" + clientId + ", encoding=" + encoding + "}";
    }
}
