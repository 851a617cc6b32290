package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel message (SPEC TM2; docs/protocol.md §7.2). A mutable wire DTO: decoders fill it, the server completes the
 * missing fields once, and from then on it is treated as immutable (it may be shared by many deliveries).
 *
 * <p>{@code data} is a {@link String}, a {@code byte[]} (msgpack {@code bin}, or JSON base64 already decoded by the
 * codec only when asked) or {@code null}; {@code encoding} is kept verbatim.
 */
public final class Message {
    public String id;
    public String name;
    public Object data;
    public String encoding;
    public String clientId;
    public String connectionId;
    /** Only on REST publish: publish on behalf of a realtime connection (RSL1m). */
    public String connectionKey;
    public Long timestamp;
    public JsonNode extras;
    /** Message action (0 create, 1 update, 2 delete, 3 meta, 4 summary, 5 append). */
    public Integer action;
    public String serial;
    /** MessageVersion object, passed through. */
    public JsonNode version;
    /** Annotations summary object, passed through. */
    public JsonNode annotations;

    public Message() {
    }

    public Message(String name, Object data) {
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
     * Size counted against maxMessageSize, as Ably counts it (TO3l8): name + clientId + extras (as JSON) + data
     * (bytes of a string in UTF-8, or binary length).
     */
    public int size() {
        int size = 0;
        if (name != null) {
            size += utf8Length(name);
        }
        if (clientId != null) {
            size += utf8Length(clientId);
        }
        if (extras != null) {
            size += utf8Length(extras.toString());
        }
        if (data instanceof String s) {
            size += utf8Length(s);
        } else if (data instanceof byte[] b) {
            size += b.length;
        }
        return size;
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
