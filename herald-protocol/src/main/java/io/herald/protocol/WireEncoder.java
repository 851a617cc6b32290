package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the Ably types to a {@link WireWriter}, the same for JSON and msgpack. Fields that are {@code null} (and
 * {@code flags} 0) are left out (docs/protocol.md §1.3); names and field sets follow SPEC TR4, TM2, TP3, TI1, CD2,
 * AD1 and TR4s.
 */
final class WireEncoder {
    private WireEncoder() {}

    static void protocolMessage(WireWriter w, ProtocolMessage pm) {
        w.startObject();
        w.field(Key.ACTION);
        w.integer(pm.action);
        w.field(Key.ID, pm.id);
        w.field(Key.CHANNEL, pm.channel);
        if (pm.flags != 0) {
            w.field(Key.FLAGS);
            w.integer(pm.flags);
        }
        w.field(Key.CHANNEL_SERIAL, pm.channelSerial);
        w.field(Key.CONNECTION_ID, pm.connectionId);
        w.field(Key.CONNECTION_KEY, pm.connectionKey);
        if (pm.connectionDetails != null) {
            w.field(Key.CONNECTION_DETAILS);
            connectionDetails(w, pm.connectionDetails);
        }
        w.field(Key.MSG_SERIAL, pm.msgSerial);
        w.field(Key.COUNT, pm.count);
        w.field(Key.TIMESTAMP, pm.timestamp);
        if (pm.error != null) {
            w.field(Key.ERROR);
            error(w, pm.error);
        }
        if (pm.auth != null) {
            w.field(Key.AUTH);
            w.startObject();
            w.field(Key.ACCESS_TOKEN, pm.auth.accessToken);
            w.endObject();
        }
        if (pm.params != null) {
            w.field(Key.PARAMS);
            w.startObject();
            for (Map.Entry<String, String> e : pm.params.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    w.field(e.getKey());
                    w.string(e.getValue());
                }
            }
            w.endObject();
        }
        if (pm.res != null) {
            w.field(Key.RES);
            res(w, pm.res);
        }
        if (pm.messages != null) {
            w.field(Key.MESSAGES);
            messages(w, pm.messages);
        }
        if (pm.presence != null) {
            w.field(Key.PRESENCE);
            presenceMessages(w, pm.presence);
        }
        w.field(Key.ANNOTATIONS, pm.annotations);
        w.field(Key.STATE, pm.state);
        w.endObject();
    }

    static void messages(WireWriter w, List<Message> messages) {
        w.startArray(messages.size());
        for (Message m : messages) {
            message(w, m);
        }
        w.endArray();
    }

    static void presenceMessages(WireWriter w, List<PresenceMessage> messages) {
        w.startArray(messages.size());
        for (PresenceMessage p : messages) {
            presenceMessage(w, p);
        }
        w.endArray();
    }

    static void message(WireWriter w, Message m) {
        w.startObject();
        w.field(Key.ID, m.id);
        w.field(Key.NAME, m.name);
        data(w, m.data, m.encoding);
        w.field(Key.CLIENT_ID, m.clientId);
        w.field(Key.CONNECTION_ID, m.connectionId);
        w.field(Key.CONNECTION_KEY, m.connectionKey);
        w.field(Key.TIMESTAMP, m.timestamp);
        w.field(Key.ACTION, m.action);
        w.field(Key.SERIAL, m.serial);
        w.field(Key.VERSION, m.version);
        w.field(Key.ANNOTATIONS, m.annotations);
        w.field(Key.EXTRAS, m.extras);
        w.endObject();
    }

    /** SPEC TP3; {@code action} is always written, as an int (TP2). */
    static void presenceMessage(WireWriter w, PresenceMessage p) {
        w.startObject();
        w.field(Key.ID, p.id);
        w.field(Key.ACTION);
        w.integer(p.action);
        w.field(Key.CLIENT_ID, p.clientId);
        w.field(Key.CONNECTION_ID, p.connectionId);
        data(w, p.data, p.encoding);
        w.field(Key.TIMESTAMP, p.timestamp);
        w.field(Key.EXTRAS, p.extras);
        w.endObject();
    }

    /**
     * {@code data} and {@code encoding} (docs/protocol.md §7.3, SPEC RSL4): a String as text; a byte[] as msgpack
     * {@code bin}, or in JSON as base64 with {@code base64} appended to the encoding; a JsonNode (not produced by the
     * decoders, a convenience for server code) as JSON text with {@code json} appended; anything else as its text.
     */
    private static void data(WireWriter w, @Nullable Object data, @Nullable String encoding) {
        if (data instanceof String s) {
            w.field(Key.DATA);
            w.string(s);
        } else if (data instanceof byte[] bytes) {
            w.field(Key.DATA);
            w.binary(bytes);
            if (!w.binaryNative()) {
                encoding = WireDecoder.appendEncoding(encoding, "base64");
            }
        } else if (data instanceof JsonNode node) {
            w.field(Key.DATA);
            w.string(node.toString());
            encoding = WireDecoder.appendEncoding(encoding, "json");
        } else if (data != null) {
            w.field(Key.DATA);
            w.string(data.toString());
        }
        w.field(Key.ENCODING, encoding);
    }

    /** SPEC TI1: all four of message, code, statusCode and href (the default help link when none is set). */
    static void error(WireWriter w, ErrorInfo e) {
        w.startObject();
        w.field(Key.MESSAGE);
        w.string(e.message());
        w.field(Key.CODE);
        w.integer(e.code());
        w.field(Key.STATUS_CODE);
        w.integer(e.statusCode());
        w.field(Key.HREF);
        w.string(e.hrefOrDefault());
        w.endObject();
    }

    /** SPEC CD2: numbers as integers. */
    private static void connectionDetails(WireWriter w, ConnectionDetails cd) {
        w.startObject();
        w.field(Key.CLIENT_ID, cd.clientId);
        w.field(Key.CONNECTION_KEY, cd.connectionKey);
        w.field(Key.MAX_MESSAGE_SIZE, cd.maxMessageSize);
        w.field(Key.MAX_FRAME_SIZE, cd.maxFrameSize);
        w.field(Key.MAX_INBOUND_RATE, cd.maxInboundRate);
        w.field(Key.MAX_OUTBOUND_RATE, cd.maxOutboundRate);
        w.field(Key.CONNECTION_STATE_TTL, cd.connectionStateTtl);
        w.field(Key.MAX_IDLE_INTERVAL, cd.maxIdleInterval);
        w.field(Key.SERVER_ID, cd.serverId);
        w.field(Key.SITE_CODE, cd.siteCode);
        w.field(Key.OBJECTS_GC_GRACE_PERIOD, cd.objectsGCGracePeriod);
        w.endObject();
    }

    /** SPEC TR4s: one {@code {"serials":[...]}} per acknowledged ProtocolMessage; null serials and entries kept. */
    private static void res(WireWriter w, List<PublishResult> res) {
        w.startArray(res.size());
        for (PublishResult r : res) {
            if (r == null) {
                w.nil();
                continue;
            }
            w.startObject();
            if (r.serials() != null) {
                w.field(Key.SERIALS);
                w.startArray(r.serials().size());
                for (String serial : r.serials()) {
                    if (serial == null) {
                        w.nil();
                    } else {
                        w.string(serial);
                    }
                }
                w.endArray();
            }
            w.endObject();
        }
        w.endArray();
    }

    /** Any REST response value (see {@link ProtocolCodec#encodeValue}). */
    static void value(WireWriter w, Object v) {
        if (v == null) {
            w.nil();
        } else if (v instanceof String s) {
            w.string(s);
        } else if (v instanceof Map<?, ?> map) {
            w.startObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    w.field(String.valueOf(e.getKey()));
                    value(w, e.getValue());
                }
            }
            w.endObject();
        } else if (v instanceof Collection<?> list) {
            w.startArray(list.size());
            for (Object element : list) {
                value(w, element);
            }
            w.endArray();
        } else if (v instanceof Number n) {
            number(w, n);
        } else if (v instanceof Boolean b) {
            w.bool(b);
        } else if (v instanceof byte[] bytes) {
            w.binary(bytes);
        } else if (v instanceof JsonNode node) {
            w.tree(node);
        } else if (v instanceof ErrorInfo e) {
            error(w, e);
        } else if (v instanceof Message m) {
            message(w, m);
        } else if (v instanceof PresenceMessage p) {
            presenceMessage(w, p);
        } else if (v instanceof ProtocolMessage pm) {
            protocolMessage(w, pm);
        } else if (v instanceof Object[] array) {
            value(w, java.util.Arrays.asList(array));
        } else {
            throw new IllegalArgumentException("Cannot encode a " + v.getClass().getName() + " as a REST value");
        }
    }

    private static void number(WireWriter w, Number n) {
        if (n instanceof Integer
                || n instanceof Long
                || n instanceof Short
                || n instanceof Byte
                || n instanceof java.util.concurrent.atomic.AtomicInteger
                || n instanceof java.util.concurrent.atomic.AtomicLong) {
            w.integer(n.longValue());
        } else if (n instanceof BigInteger big) {
            w.bigInteger(big);
        } else if (n instanceof BigDecimal dec) {
            w.decimal(dec);
        } else {
            w.floating(n.doubleValue());
        }
    }
}
