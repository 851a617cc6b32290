package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Encodes and decodes the Ably wire model in one format (docs/protocol.md §1.3, §1.4). Implementations are thread-safe
 * and stateless; get them with {@link #of(Format)}.
 *
 * <p>Data rules: a {@code byte[]} {@code data} is written as msgpack {@code bin}; in JSON it is written base64 with
 * {@code base64} appended to {@code encoding}. On decode, {@code bin} becomes {@code byte[]}, a string stays a
 * {@link String}, and a JSON object, array, number or boolean (raw REST bodies) becomes its JSON text with
 * {@code json} appended to {@code encoding}. Unknown fields are skipped, {@code null} values are treated as absent,
 * wrong types, malformed input and nesting deeper than 100 levels throw {@link ProtocolDecodeException} (40000).
 */
public interface ProtocolCodec {

    Format format();

    /** One ProtocolMessage from one WebSocket frame. */
    ProtocolMessage decode(byte[] frame);

    /** One ProtocolMessage to the bytes of one WebSocket frame. */
    byte[] encode(ProtocolMessage message);

    /** A REST publish body: one Message object or an array of them. */
    List<Message> decodeMessages(byte[] body);

    /** A REST body holding one PresenceMessage object or an array of them. */
    List<PresenceMessage> decodePresenceMessages(byte[] body);

    byte[] encodeMessages(List<Message> messages);

    /** One message as a REST body (a single object, e.g. the answer to a get of one message). */
    byte[] encodeMessage(Message message);

    byte[] encodePresenceMessages(List<PresenceMessage> messages);

    /** The REST error body {@code {"error":{"message","code","statusCode","href"}}}. */
    byte[] encodeError(ErrorInfo error);

    /**
     * Any REST response value: {@code Map<String,?>} (iteration order kept, {@code null} values omitted),
     * {@code List<?>}, {@link String}, {@link Number}, {@link Boolean}, {@code byte[]}, {@link JsonNode},
     * {@link ErrorInfo}, {@link Message}, {@link PresenceMessage} and {@code null}, nested freely.
     */
    byte[] encodeValue(Object value);

    /** Any REST request body as a tree (msgpack {@code bin} becomes a binary node). */
    JsonNode decodeTree(byte[] body);

    static ProtocolCodec of(Format format) {
        return Codecs.of(format);
    }
}
