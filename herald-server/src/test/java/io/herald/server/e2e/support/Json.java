package io.herald.server.e2e.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** JSON and msgpack via third-party Jackson mappers (independent of Herald's own codecs). */
public final class Json {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private Json() {}

    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " in: " + abbreviate(text), e);
        }
    }

    public static JsonNode parseMsgpack(byte[] bytes) {
        try {
            return MSGPACK.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("not msgpack", e);
        }
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static byte[] writeMsgpack(Object value) {
        try {
            return MSGPACK.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String abbreviate(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
