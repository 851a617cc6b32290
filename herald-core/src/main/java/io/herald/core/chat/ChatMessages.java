package io.herald.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.Versions;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a chat message lives on the room's channel and how the Chat API shows it. On the channel: name
 * {@code chat.message}, data {@code {"text","metadata"}} (JSON), {@code extras.headers}; the SDK reads it so on
 * subscribe. Over REST: {@code serial}, {@code version {serial,timestamp,clientId?,description?,metadata?}},
 * {@code text}, {@code clientId}, {@code action} ({@code message.create|update|delete}), {@code metadata},
 * {@code headers}, {@code timestamp} and {@code reactions {unique,distinct,multiple}} from the message's annotation
 * summary.
 */
final class ChatMessages {
    static final String NAME = "chat.message";
    static final String UNIQUE = "reaction:unique.v1";
    static final String DISTINCT = "reaction:distinct.v1";
    static final String MULTIPLE = "reaction:multiple.v1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ChatMessages() {}

    /** The annotation type of a Chat reaction type ({@code unique}, {@code distinct}, {@code multiple}); 40003 else. */
    static String annotationType(@Nullable String reactionType) {
        if (reactionType != null) {
            switch (reactionType) {
                case "unique" -> {
                    return UNIQUE;
                }
                case "distinct" -> {
                    return DISTINCT;
                }
                case "multiple" -> {
                    return MULTIPLE;
                }
                default -> {
                    // refused below
                }
            }
        }
        throw new AblyException(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid reaction type " + (reactionType == null ? "(none)" : "'" + reactionType + "'")
                        + ": must be unique, distinct or multiple");
    }

    /**
     * The channel message's data and extras for a chat message's {@code text}, {@code metadata} and
     * {@code headers}, checked: text a string, metadata an object, headers an object of strings, numbers or booleans.
     */
    static Message content(@Nullable JsonNode text, @Nullable JsonNode metadata, @Nullable JsonNode headers) {
        if (text == null || !text.isTextual()) {
            throw invalid("text must be a string");
        }
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw invalid("metadata must be an object");
        }
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject()) {
                throw invalid("headers must be an object");
            }
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                JsonNode v = h.getValue();
                if (!(v.isTextual() || v.isNumber() || v.isBoolean() || v.isNull())) {
                    throw invalid("header '" + h.getKey() + "' must be a string, number, boolean or null");
                }
            }
        }
        ObjectNode data = F.objectNode();
        data.set("text", text);
        data.set("metadata", metadata != null && metadata.isObject() ? metadata : F.objectNode());
        ObjectNode extras = F.objectNode();
        extras.set("headers", headers != null && headers.isObject() ? headers : F.objectNode());
        Message m = new Message(NAME, data.toString());
        m.encoding = "json";
        m.extras = extras;
        return m;
    }

    /** The Chat API's message for the channel message {@code m} (its latest version, with its summary). */
    static ObjectNode rest(Message m) {
        ObjectNode data = data(m);
        ObjectNode out = F.objectNode();
        String serial = m.serial == null ? "" : m.serial;
        long timestamp = m.timestamp == null ? 0 : m.timestamp;
        out.put("serial", serial);
        out.put("clientId", m.clientId == null ? "" : m.clientId);
        JsonNode text = data.get("text");
        out.put("text", text != null && text.isTextual() ? text.asText() : "");
        JsonNode metadata = data.get("metadata");
        out.set("metadata", metadata != null && metadata.isObject() ? metadata : F.objectNode());
        JsonNode headers = m.extras == null ? null : m.extras.get("headers");
        out.set("headers", headers != null && headers.isObject() ? headers : F.objectNode());
        JsonNode userClaim = m.extras == null ? null : m.extras.get("userClaim");
        if (userClaim != null && userClaim.isTextual()) {
            out.put("userClaim", userClaim.asText());
        }
        out.put("action", action(m.action));
        out.put("timestamp", timestamp);
        ObjectNode version = F.objectNode();
        JsonNode v = m.version;
        version.put("serial", text(v, "serial", serial));
        JsonNode vt = v == null ? null : v.get("timestamp");
        version.put("timestamp", vt != null && vt.canConvertToLong() ? vt.asLong() : timestamp);
        for (String f : new String[] {"clientId", "description", "metadata"}) {
            JsonNode x = v == null ? null : v.get(f);
            if (x != null && !x.isNull()) {
                version.set(f, x);
            }
        }
        out.set("version", version);
        JsonNode summary = m.annotations == null ? null : m.annotations.get("summary");
        out.set("reactions", reactions(summary));
        return out;
    }

    /** {@code {unique,distinct,multiple}} from an annotation summary (each empty when there are none). */
    static ObjectNode reactions(@Nullable JsonNode summary) {
        ObjectNode r = F.objectNode();
        r.set("unique", entry(summary, UNIQUE));
        r.set("distinct", entry(summary, DISTINCT));
        r.set("multiple", entry(summary, MULTIPLE));
        return r;
    }

    private static JsonNode entry(@Nullable JsonNode summary, String type) {
        JsonNode e = summary == null ? null : summary.get(type);
        return e != null && e.isObject() ? e : F.objectNode();
    }

    static String action(@Nullable Integer action) {
        if (action == null) {
            return "message.create";
        }
        return switch (action) {
            case Versions.DELETE -> "message.delete";
            case Versions.UPDATE, Versions.APPEND -> "message.update";
            default -> "message.create";
        };
    }

    /** Whether {@code m} is a chat message (not some other event published on the room's channel). */
    static boolean isChat(Message m) {
        return NAME.equals(m.name);
    }

    private static ObjectNode data(Message m) {
        Object d = m.data;
        if (d instanceof ObjectNode o) {
            return o;
        }
        if (d instanceof String s && m.encoding != null && m.encoding.equals("json")) {
            try {
                JsonNode n = JSON.readTree(s);
                if (n != null && n.isObject()) {
                    return (ObjectNode) n;
                }
            } catch (IOException e) {
                // not a chat message's data: shown empty
            }
        }
        return F.objectNode();
    }

    private static String text(@Nullable JsonNode node, String field, String dflt) {
        JsonNode x = node == null ? null : node.get(field);
        return x != null && x.isTextual() && !x.asText().isEmpty() ? x.asText() : dflt;
    }

    static AblyException invalid(String why) {
        return new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid chat request: " + why);
    }
}
