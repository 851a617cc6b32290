package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A pull cursor over one encoded value, shared by the JSON and msgpack decoders so that {@link WireDecoder} knows the
 * Ably types once. The cursor always stands on a value: {@link #kind()} tells what it is, a scalar read consumes it,
 * {@link #beginObject()} + {@link #nextField()} (or {@link #beginArray()} + {@link #nextElement()}) walk a container
 * and leave the cursor on each member. Every failure is a {@link ProtocolDecodeException} (40000); containers nested
 * deeper than {@link #MAX_DEPTH} are refused. One reader reads one input and is then discarded (not thread-safe).
 */
abstract class WireReader {
    /** Deepest container nesting accepted (the root object is depth 1). */
    static final int MAX_DEPTH = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    enum Kind {
        OBJECT,
        ARRAY,
        STRING,
        INTEGER,
        BIG_INTEGER,
        FLOAT,
        BOOLEAN,
        NULL,
        BINARY,
        EXT
    }

    int depth;

    abstract Kind kind();

    abstract String string();

    /** An {@link Kind#INTEGER} value. */
    abstract long integer();

    /** An {@link Kind#INTEGER} or {@link Kind#BIG_INTEGER} value. */
    abstract BigInteger bigInteger();

    /** A {@link Kind#FLOAT} value. */
    abstract double floating();

    abstract boolean bool();

    abstract byte[] binary();

    abstract void nil();

    abstract void beginObject();

    /** The next field name of the current object, cursor on its value; {@code null} at the end of the object. */
    abstract @Nullable String nextField();

    abstract void beginArray();

    /** Whether the current array has another element (then the cursor is on it). */
    abstract boolean nextElement();

    /** Skips the value at the cursor, nested containers included. */
    abstract void skip();

    /** Checks that nothing but whitespace follows the root value. */
    abstract void finish();

    /** Releases pooled buffers, if any; called after success and failure alike. */
    void close() {}

    final void enter() {
        if (++depth > MAX_DEPTH) {
            throw bad("Nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    final void leave() {
        depth--;
    }

    // ---- typed reads used by WireDecoder: each names the field in its error ----

    final String readString(String field) {
        Kind k = kind();
        if (k == Kind.STRING) {
            return string();
        }
        if (k == Kind.BINARY) { // msgpack raw written as bin by an old packer; ably-java reads it as text too
            return new String(binary(), StandardCharsets.UTF_8);
        }
        throw wrongType(field, "a string", k);
    }

    final long readLong(String field) {
        Kind k = kind();
        if (k == Kind.INTEGER) {
            return integer();
        }
        if (k == Kind.FLOAT) {
            double d = floating();
            if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                return (long) d;
            }
            throw bad("Invalid field '" + field + "': expected an integer, got " + d);
        }
        if (k == Kind.BIG_INTEGER) {
            throw bad("Invalid field '" + field + "': integer out of range");
        }
        throw wrongType(field, "an integer", k);
    }

    final int readInt(String field) {
        long v = readLong(field);
        if (v != (int) v) {
            throw bad("Invalid field '" + field + "': integer out of range");
        }
        return (int) v;
    }

    final void expect(Kind expected, String field) {
        Kind k = kind();
        if (k != expected) {
            throw wrongType(field, expected == Kind.OBJECT ? "an object" : "an array", k);
        }
    }

    /** An object member that must be a JSON object (extras, version, ...), as a tree. */
    final ObjectNode readObjectTree(String field) {
        expect(Kind.OBJECT, field);
        return (ObjectNode) readTree();
    }

    /** The value at the cursor as a JSON tree: msgpack {@code bin} becomes a binary node, null a null node. */
    final JsonNode readTree() {
        switch (kind()) {
            case OBJECT -> {
                ObjectNode node = NODES.objectNode();
                beginObject();
                for (String name = nextField(); name != null; name = nextField()) {
                    node.set(name, readTree());
                }
                return node;
            }
            case ARRAY -> {
                ArrayNode node = NODES.arrayNode();
                beginArray();
                while (nextElement()) {
                    node.add(readTree());
                }
                return node;
            }
            case STRING -> {
                return TextNode.valueOf(string());
            }
            case INTEGER -> {
                long v = integer();
                return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
            }
            case BIG_INTEGER -> {
                return BigIntegerNode.valueOf(bigInteger());
            }
            case FLOAT -> {
                return DoubleNode.valueOf(floating());
            }
            case BOOLEAN -> {
                return BooleanNode.valueOf(bool());
            }
            case BINARY -> {
                return BinaryNode.valueOf(binary());
            }
            case NULL -> {
                nil();
                return NullNode.getInstance();
            }
            default -> throw bad("msgpack extension types are not supported");
        }
    }

    static ProtocolDecodeException bad(String message) {
        return new ProtocolDecodeException(ErrorCode.BAD_REQUEST.info(message));
    }

    static ProtocolDecodeException wrongType(String field, String expected, Kind got) {
        String what = Character.isUpperCase(field.charAt(0)) ? field : "field '" + field + "'";
        return bad("Invalid " + what + ": expected " + expected + ", got " + describe(got));
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case INTEGER, BIG_INTEGER, FLOAT -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary";
            case EXT -> "a msgpack extension";
        };
    }
}
