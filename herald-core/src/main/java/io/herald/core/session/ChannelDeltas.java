package io.herald.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import io.herald.protocol.VcdiffEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Delta compression for subscribers attached with the {@code delta: 'vcdiff'} channel param (docs/protocol.md §7.9,
 * SPEC RTL18-RTL21, PC3). A message's {@code data} goes as a VCDIFF delta against the payload of the previous message
 * the subscriber received on the channel, with {@code extras.delta = {from: <that message's id>, format: 'vcdiff'}}
 * and {@code vcdiff} added to its encoding, when the delta is smaller than the payload.
 *
 * <p>The payload a client keeps as the base is the message's data as it arrived, with a trailing {@code base64} step
 * undone: a string as its UTF-8 bytes, binary (ciphertext included) as its bytes. So a string becomes
 * {@code utf-8/vcdiff}, JSON text {@code json/utf-8/vcdiff}, binary {@code vcdiff}, an encrypted payload
 * {@code utf-8/cipher+aes-128-cbc/vcdiff}; JSON frames then add {@code base64}.
 *
 * <p>Each attachment remembers the last message it sent (a reference to the channel's own message, not a copy). The
 * delta of an event against a given base is computed once per node and shared: the latest one per channel is kept,
 * with its encoded frames, so every delta subscriber that received the same previous message gets the same bytes.
 * Thread-safe; one per node.
 */
final class ChannelDeltas {
    static final String PARAM = "delta";
    static final String VCDIFF = "vcdiff";
    /** The shared results kept: one per channel, at most this many channels (a cache: dropped when full). */
    private static final int MAX_CHANNELS = 10_000;

    private final ConcurrentHashMap<ChannelId, Shared> latest = new ConcurrentHashMap<>();

    /** An event as the subscribers whose previous message was {@code base} receive it. */
    static final class Shared {
        final ChannelEvent event;
        final @Nullable Message base;
        /** The event with deltas in place of data, or {@code null} when every message goes as it is. */
        final @Nullable ProtocolMessage message;

        private volatile byte @Nullable [] json;
        private volatile byte @Nullable [] msgpack;

        Shared(ChannelEvent event, @Nullable Message base, @Nullable ProtocolMessage message) {
            this.event = event;
            this.base = base;
            this.message = message;
        }

        /** The frame of {@link #message} in {@code format}, encoded on first use. */
        byte[] encoded(Format format, ProtocolMessage pm) {
            if (format == Format.JSON) {
                byte[] b = json;
                if (b == null) {
                    b = ProtocolCodec.of(format).encode(pm);
                    json = b;
                }
                return b;
            }
            byte[] b = msgpack;
            if (b == null) {
                b = ProtocolCodec.of(format).encode(pm);
                msgpack = b;
            }
            return b;
        }
    }

    /** Checks the {@code delta} channel param: only {@code vcdiff} is a delta format (40030 otherwise). */
    static boolean wanted(Map<String, String> params) {
        String v = params.get(PARAM);
        if (v == null) {
            return false;
        }
        if (!VCDIFF.equals(v)) {
            throw new AblyException(
                    ErrorCode.INVALID_CHANNEL_PARAMETER,
                    "Invalid delta param '" + v + "': the only supported delta format is 'vcdiff'");
        }
        return true;
    }

    /**
     * Sends a MESSAGE event to a delta subscriber: {@code only} its messages that passed the attachment's filter, or
     * all of them when {@code null}. The attachment's last message moves to the last one sent.
     */
    void send(Attachment att, ChannelEvent event, @Nullable List<Message> only) {
        List<Message> all = event.message().messages;
        if (all == null || all.isEmpty()) {
            att.session.out.sendEvent(att, event, null);
            return;
        }
        Message base = att.lastSent;
        if (only != null) {
            // a filtered view is this subscriber's own: computed for it alone
            att.lastSent = only.get(only.size() - 1);
            ProtocolMessage pm = att.rewrite(event, null);
            pm.messages = apply(base, only);
            att.session.out.sendRewritten(pm);
            return;
        }
        att.lastSent = all.get(all.size() - 1);
        Shared s = of(event, base);
        ProtocolMessage pm = s.message;
        if (pm == null) {
            att.session.out.sendEvent(att, event, null);
        } else if (att.name.full().equals(att.name.base())) {
            att.session.out.sendShared(f -> s.encoded(f, pm));
        } else {
            ProtocolMessage own = att.rewrite(event, null);
            own.messages = pm.messages;
            att.session.out.sendRewritten(own);
        }
    }

    /** The whole event for subscribers whose last message on the channel was {@code base}; shared when it can be. */
    Shared of(ChannelEvent event, @Nullable Message base) {
        Shared s = latest.get(event.channel());
        if (s != null && s.event == event && s.base == base) {
            return s;
        }
        List<Message> messages = event.message().messages;
        List<Message> out = messages == null ? List.of() : apply(base, messages);
        ProtocolMessage pm = null;
        if (out != messages) {
            pm = copyOf(event.message());
            pm.messages = out;
        }
        Shared fresh = new Shared(event, base, pm);
        if (latest.size() >= MAX_CHANNELS) {
            latest.clear();
        }
        latest.put(event.channel(), fresh);
        return fresh;
    }

    private static ProtocolMessage copyOf(ProtocolMessage src) {
        ProtocolMessage pm = new ProtocolMessage(src.action);
        pm.channel = src.channel;
        pm.channelSerial = src.channelSerial;
        pm.id = src.id;
        pm.connectionId = src.connectionId;
        pm.timestamp = src.timestamp;
        return pm;
    }

    /**
     * {@code messages} in order as a subscriber whose previous message was {@code base} receives them: each one a
     * delta against the one before where that pays, else as it is. The list is {@code messages} itself when no
     * message changed.
     */
    static List<Message> apply(@Nullable Message base, List<Message> messages) {
        List<Message> out = null;
        Payload previous = base == null ? null : Payload.of(base);
        String previousId = base == null ? null : base.id;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            Payload current = Payload.of(m);
            Message delta = null;
            if (previous != null && previousId != null && current != null && isCreate(m)) {
                byte[] d = VcdiffEncoder.encode(previous.bytes(), current.bytes());
                if (d.length < current.bytes().length) {
                    delta = m.copy();
                    delta.data = d;
                    delta.encoding = current.deltaEncoding();
                    delta.extras = withDelta(m.extras, previousId);
                }
            }
            if (delta != null && out == null) {
                out = new ArrayList<>(messages.subList(0, i));
            }
            if (out != null) {
                out.add(delta != null ? delta : m);
            }
            previous = current;
            previousId = m.id;
        }
        return out != null ? out : messages;
    }

    private static boolean isCreate(Message m) {
        return m.action == null || m.action == 0;
    }

    private static JsonNode withDelta(@Nullable JsonNode extras, String from) {
        ObjectNode out = extras instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode delta = out.putObject(PARAM);
        delta.put("from", from);
        delta.put("format", VCDIFF);
        return out;
    }

    /** What a client keeps as a message's base payload, and the encoding of a delta that decodes to it. */
    static final class Payload {
        private final byte[] bytes;
        private final String deltaEncoding;

        private Payload(byte[] bytes, String deltaEncoding) {
            this.bytes = bytes;
            this.deltaEncoding = deltaEncoding;
        }

        byte[] bytes() {
            return bytes;
        }

        String deltaEncoding() {
            return deltaEncoding;
        }

        /** {@code null} when the client's base cannot be known (no data, data that is not a string or bytes). */
        static @Nullable Payload of(Message m) {
            Object data = m.data;
            String enc = m.encoding;
            if (data instanceof String s) {
                if (enc != null && (enc.equals("base64") || enc.endsWith("/base64"))) {
                    try {
                        byte[] raw = Base64.getDecoder().decode(s);
                        String inner =
                                enc.equals("base64") ? null : enc.substring(0, enc.length() - "/base64".length());
                        return new Payload(raw, inner == null ? VCDIFF : inner + "/" + VCDIFF);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }
                String text = enc == null ? "utf-8" : enc.endsWith("utf-8") ? enc : enc + "/utf-8";
                return new Payload(s.getBytes(StandardCharsets.UTF_8), text + "/" + VCDIFF);
            }
            if (data instanceof byte[] b) {
                if (enc != null && enc.endsWith("base64")) {
                    return null;
                }
                return new Payload(b, enc == null ? VCDIFF : enc + "/" + VCDIFF);
            }
            return null;
        }
    }
}
