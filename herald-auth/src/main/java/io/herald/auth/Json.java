package io.herald.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * JSON plumbing: a strict reader (duplicate keys and trailing content are errors) and JavaScript
 * {@code JSON.stringify}-compatible string quoting for canonical capabilities.
 */
final class Json {

    /**
     * The mapper, made on first use: building it loads a few hundred Jackson classes, and a server's start needs
     * only {@link #quoteJs} (for {@link Capability#ALL}), not JSON parsing, on the way to ready.
     */
    static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper(JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Parses JSON text; throws {@link JsonProcessingException} on any syntax problem. */
    static JsonNode read(String json) throws JsonProcessingException {
        return mapper().readTree(json);
    }

    /** A short description of a parse failure without echoing the input. */
    static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "malformed JSON";
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.length() > 120 ? m.substring(0, 120) + "..." : m;
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes compact JSON with Jackson. */
    static String write(Body body) {
        StringWriter w = new StringWriter(128);
        try (JsonGenerator g = mapper().getFactory().createGenerator(w)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * A compact JSON object written straight into a {@link StringBuilder}: the fields in the order given, strings
     * quoted as {@link #quoteJs} does, {@code null} strings left out. For the few fixed shapes this library writes on
     * a server's hot path (a token's claims, TokenDetails), where a Jackson generator per call cost more than the
     * text itself.
     */
    static final class ObjectText {
        private final StringBuilder sb;
        private boolean empty = true;

        ObjectText(int capacity) {
            sb = new StringBuilder(capacity).append('{');
        }

        private StringBuilder name(String name) {
            if (!empty) {
                sb.append(',');
            }
            empty = false;
            return sb.append('"').append(name).append("\":");
        }

        /** A string field; left out when {@code value} is null. {@code name} is a constant that needs no escaping. */
        ObjectText field(String name, @Nullable String value) {
            if (value != null) {
                quoteJs(value, name(name));
            }
            return this;
        }

        ObjectText field(String name, long value) {
            name(name).append(value);
            return this;
        }

        String close() {
            return sb.append('}').toString();
        }
    }

    /**
     * Appends {@code s} as a JSON string literal exactly as JavaScript {@code JSON.stringify} does
     * (ECMA-262 QuoteJSONString): {@code "} and {@code \} escaped, {@code \b \f \n \r \t} short forms, other
     * controls below U+0020 and lone surrogates as {@code \}{@code uXXXX} with lowercase hex; everything else
     * (including {@code < > & = '}, DEL, U+2028 and non-ASCII) is written as is.
     */
    static void quoteJs(String s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        int plain = 0;
        while (plain < n && isPlain(s.charAt(plain))) {
            plain++;
        }
        if (plain == n) {
            // the usual case (token ids, key names, tokens): nothing to escape, one copy
            out.append(s).append('"');
            return;
        }
        out.append(s, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(c, out);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A char {@link #quoteJs} writes as it is whatever follows it: not a quote, backslash, control or surrogate. */
    private static boolean isPlain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }

    /** The JSON type name of a node, for error messages. */
    static String typeOf(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
