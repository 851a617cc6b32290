package io.herald.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Ably's enveloped webhook format: a request body is {@code {"items":[...]}}, each item one published event with
 * {@code webhookId}, {@code source}, {@code serial}, {@code timestamp}, {@code name} and {@code data}
 * ({@code channelId}, {@code site} and {@code messages} or {@code presence}; a lifecycle event's data is the
 * channel's ChannelDetails).
 */
final class Envelope {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OPEN = "{\"items\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Envelope() {}

    /** The bytes a body adds around its items: the opening and closing of the items array and the commas. */
    static int overhead(int items) {
        return OPEN.length + CLOSE.length + Math.max(0, items - 1);
    }

    /** A request body of the given encoded items. */
    static byte[] body(List<byte[]> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(OPEN);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes(CLOSE);
        return out.toByteArray();
    }

    /** One item, encoded. */
    static byte[] item(String webhookId, Source source, PublishRequest request, PublishOutcome outcome, String site) {
        ProtocolMessage pm = request.message();
        ObjectNode item = JSON.createObjectNode();
        item.put("webhookId", webhookId);
        item.put("source", source.wireName());
        item.put("serial", String.valueOf(outcome.serial()));
        item.put("timestamp", pm.timestamp != null ? pm.timestamp : System.currentTimeMillis());
        ObjectNode data;
        if (source == Source.LIFECYCLE || source == Source.OCCUPANCY) {
            Message m = Objects.requireNonNull(pm.messages).get(0);
            item.put("name", m.name);
            JsonNode details = lifecycleDetails(m);
            data = details instanceof ObjectNode o ? o : JSON.createObjectNode();
        } else {
            data = JSON.createObjectNode();
            data.put("channelId", request.channel().name());
            data.put("site", site);
            if (source == Source.MESSAGE) {
                item.put("name", "channel.message");
                messages(data.putArray("messages"), Objects.requireNonNull(pm.messages), outcome.serials());
            } else {
                item.put("name", "presence.message");
                ArrayNode presence = data.putArray("presence");
                for (PresenceMessage p : Objects.requireNonNull(pm.presence)) {
                    ObjectNode n = presence.addObject();
                    putIf(n, "id", p.id);
                    putIf(n, "clientId", p.clientId);
                    putIf(n, "connectionId", p.connectionId);
                    if (p.timestamp != null) {
                        n.put("timestamp", p.timestamp);
                    }
                    n.put("action", p.action);
                    data(n, p.data, p.encoding);
                    if (p.extras != null) {
                        n.set("extras", p.extras);
                    }
                }
            }
        }
        item.set("data", data);
        try {
            return JSON.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook item not encodable", e);
        }
    }

    /** The ChannelDetails a lifecycle event carries as its JSON data. */
    static @Nullable JsonNode lifecycleDetails(Message m) {
        if (m.data instanceof String s) {
            try {
                return JSON.readTree(s);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }

    /** The messages, each with its serial; those dropped as duplicates (no serial) are left out. */
    private static void messages(ArrayNode out, List<Message> messages, List<String> serials) {
        boolean paired = serials.size() == messages.size();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String serial = paired ? serials.get(i) : m.serial;
            if (paired && serial == null) {
                continue;
            }
            ObjectNode n = out.addObject();
            putIf(n, "id", m.id);
            putIf(n, "clientId", m.clientId);
            putIf(n, "connectionId", m.connectionId);
            if (m.timestamp != null) {
                n.put("timestamp", m.timestamp);
            }
            putIf(n, "name", m.name);
            putIf(n, "serial", serial);
            if (m.action != null) {
                n.put("action", m.action);
            }
            data(n, m.data, m.encoding);
            if (m.extras != null) {
                n.set("extras", m.extras);
            }
        }
    }

    /** {@code data} and {@code encoding}: binary data as base64 with {@code base64} added to the encoding. */
    private static void data(ObjectNode n, @Nullable Object data, @Nullable String encoding) {
        String enc = encoding;
        if (data instanceof byte[] b) {
            n.put("data", Base64.getEncoder().encodeToString(b));
            enc = enc == null || enc.isEmpty() ? "base64" : enc + "/base64";
        } else if (data instanceof String s) {
            n.put("data", s);
        } else if (data instanceof JsonNode j) {
            n.set("data", j);
        } else if (data != null) {
            n.set("data", JSON.valueToTree(data));
        }
        putIf(n, "encoding", enc);
    }

    private static void putIf(ObjectNode n, String field, @Nullable String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
