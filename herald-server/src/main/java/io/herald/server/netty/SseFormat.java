package io.herald.server.netty;

import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The text of SSE events (docs/protocol.md §15): the message envelope, the bare payload, the data lines. */
final class SseFormat {
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);

    private SseFormat() {}

    /** The message's JSON with the channel name added, as Ably's envelope has it. */
    static String envelope(String channelName, Message m) {
        String json = new String(JSON.encodeMessage(m), StandardCharsets.UTF_8);
        String name = new String(JSON.encodeValue(channelName), StandardCharsets.UTF_8);
        String rest = json.substring(1);
        return "{\"channel\":" + name + (rest.equals("}") ? "" : ",") + rest;
    }

    /** The message's payload alone: text as it is (JSON text for {@code encoding: json}), binary as base64. */
    static String raw(Message m) {
        Object data = m.data;
        if (data instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return data == null ? "" : data.toString();
    }

    /** An Ably error object as JSON. */
    static String json(ErrorInfo error) {
        return new String(JSON.encodeValue(error), StandardCharsets.UTF_8);
    }

    /** {@code text} as {@code data:} lines (a line break in it starts another, as the SSE format requires), then the end of the event. */
    static void data(StringBuilder sb, String text) {
        for (String line : text.split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        sb.append('\n');
    }
}
