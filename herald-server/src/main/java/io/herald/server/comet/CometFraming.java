package io.herald.server.comet;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolDecodeException;
import io.herald.protocol.ProtocolMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of Comet requests and responses (docs/protocol.md, Comet): an array of ProtocolMessages in the
 * connection's format. A JSON batch ends with a newline, so a streamed response is one JSON array per line and a
 * polled one parses as a single value; msgpack arrays delimit themselves. The frames the session hands the transport
 * are single encoded ProtocolMessages, so a batch is only their concatenation under an array header.
 */
final class CometFraming {
    private static final byte[] EMPTY_JSON = "[]\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_MSGPACK = {(byte) 0x90};

    private CometFraming() {}

    static String contentType(Format format) {
        return format == Format.MSGPACK ? "application/x-msgpack" : "application/json";
    }

    /** The frames as one array ({@code []} for none). */
    static byte[] batch(Format format, List<byte[]> frames) {
        if (frames.isEmpty()) {
            return format == Format.MSGPACK ? EMPTY_MSGPACK.clone() : EMPTY_JSON.clone();
        }
        int size = 8;
        for (byte[] f : frames) {
            size += f.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        if (format == Format.MSGPACK) {
            arrayHeader(out, frames.size());
            for (byte[] f : frames) {
                out.writeBytes(f);
            }
        } else {
            out.write('[');
            for (int i = 0; i < frames.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(frames.get(i));
            }
            out.write(']');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void arrayHeader(ByteArrayOutputStream out, int n) {
        if (n < 16) {
            out.write(0x90 | n);
        } else if (n <= 0xFFFF) {
            out.write(0xdc);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0xdd);
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
    }

    /**
     * A send body: an array of ProtocolMessages (a single object is taken as an array of one). Anything else, or a
     * message that does not decode, is an {@link AblyException} with 40000 and status 400.
     */
    static List<ProtocolMessage> decode(Format format, byte[] body) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        try {
            JsonNode tree = codec.decodeTree(body);
            List<JsonNode> items = new ArrayList<>();
            if (tree.isArray()) {
                tree.forEach(items::add);
            } else if (tree.isObject()) {
                items.add(tree);
            } else {
                throw new AblyException(ErrorCode.BAD_REQUEST, "A Comet send body is an array of ProtocolMessages");
            }
            List<ProtocolMessage> messages = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                if (!item.isObject()) {
                    throw new AblyException(
                            ErrorCode.BAD_REQUEST, "Each item of a Comet send body is a ProtocolMessage");
                }
                messages.add(codec.decode(codec.encodeValue(item)));
            }
            return messages;
        } catch (ProtocolDecodeException e) {
            throw new AblyException(e.error());
        } catch (RuntimeException e) {
            if (AblyException.isExpected(e)) {
                throw e;
            }
            throw new AblyException(ErrorCode.BAD_REQUEST, "Malformed Comet send body");
        }
    }
}
