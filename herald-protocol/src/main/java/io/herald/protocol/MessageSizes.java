package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The sizes of messages, one place for both uses: {@link #wire} is what a message carries (every field: strings as
 * UTF-8 bytes, binary data as its length, JSON trees such as extras, version and annotations as their JSON text),
 * counted against maxMessageSize; {@link #heap} estimates the heap a decoded message keeps alive while it is
 * retained (history, queues), objects and headers included, so a budget in bytes bounds the real heap.
 *
 * <p>The heap estimate assumes a 64-bit JVM with compressed references and errs on the high side (a String is
 * counted with its own array, even when interned or shared). JSON trees are walked without recursion, however
 * deep they are nested.
 */
public final class MessageSizes {
    /** Object header plus alignment of a small object. */
    private static final int OBJECT = 16;
    /** A String: its object plus its array's header. */
    private static final int STRING = 24 + 16;
    /** A Message or PresenceMessage object with its reference and boxed fields. */
    private static final int MESSAGE = 96;

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

    /** Estimated heap a retained message keeps alive: its object, every field and the JSON trees it holds. */
    public static long heap(Message m) {
        return MESSAGE
                + str(m.id)
                + str(m.name)
                + str(m.clientId)
                + str(m.connectionId)
                + str(m.connectionKey)
                + str(m.encoding)
                + str(m.serial)
                + tree(m.extras)
                + tree(m.version)
                + tree(m.annotations)
                + dataHeap(m.data);
    }

    /** Estimated heap a retained presence message keeps alive. */
    public static long heap(PresenceMessage p) {
        return MESSAGE
                + str(p.id)
                + str(p.clientId)
                + str(p.connectionId)
                + str(p.encoding)
                + tree(p.extras)
                + dataHeap(p.data);
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

    private static long dataHeap(@Nullable Object d) {
        if (d instanceof byte[] b) {
            return OBJECT + align(b.length);
        }
        if (d instanceof String s) {
            return str(s);
        }
        return d == null ? 0 : str(d.toString());
    }

    /** A String's heap: object, array header and one byte per char (Latin-1) or two (UTF-16). */
    static long str(@Nullable String s) {
        if (s == null) {
            return 0;
        }
        int n = s.length();
        boolean latin1 = true;
        for (int i = 0; i < n && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        return STRING + align(latin1 ? n : 2L * n);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** Estimated heap of a Jackson tree, walked iteratively. */
    static long tree(@Nullable JsonNode root) {
        if (root == null) {
            return 0;
        }
        long total = 0;
        ArrayDeque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode n = pending.pop();
            if (n.isObject()) {
                // ObjectNode + LinkedHashMap + its table; per field an entry, a table slot and the key
                total += OBJECT + 64 + 16 + 8L * n.size();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    total += 40 + 8 + str(e.getKey());
                    pending.push(e.getValue());
                }
            } else if (n.isArray()) {
                // ArrayNode + ArrayList + its array (with growth slack)
                total += OBJECT + 24 + 16 + 8L * n.size();
                for (JsonNode c : n) {
                    pending.push(c);
                }
            } else if (n.isTextual()) {
                total += OBJECT + str(n.textValue());
            } else if (n.isBinary()) {
                total += OBJECT + OBJECT + align(n.asText().length() * 3L / 4);
            } else if (n.isBigInteger() || n.isBigDecimal()) {
                total += OBJECT + 56 + align(n.asText().length());
            } else if (n.isNumber()) {
                total += 24;
            } else {
                total += 8; // booleans and null are shared singletons: only the reference
            }
        }
        return total;
    }
}
