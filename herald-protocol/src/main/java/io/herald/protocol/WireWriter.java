package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The value model both formats share (docs/protocol.md §1.3, §1.4): objects, arrays, strings, integers, floats,
 * booleans, null and binary. {@link WireEncoder} writes the Ably types against it once; {@link JsonWireWriter} and
 * {@link MsgpackWriter} turn it into bytes. Objects need no field count up front: each writer counts or streams.
 * One writer produces one value and is then discarded (not thread-safe).
 */
abstract class WireWriter {

    abstract void startObject();

    abstract void endObject();

    abstract void startArray(int size);

    abstract void endArray();

    abstract void field(Key key);

    abstract void field(String name);

    abstract void string(String value);

    abstract void integer(long value);

    abstract void bigInteger(BigInteger value);

    abstract void floating(double value);

    abstract void decimal(BigDecimal value);

    abstract void bool(boolean value);

    abstract void nil();

    /** msgpack {@code bin}; JSON has no binary and writes standard base64 text. */
    abstract void binary(byte[] value);

    /** Whether {@link #binary} keeps bytes as bytes (msgpack), so {@code encoding} needs no {@code base64} step. */
    abstract boolean binaryNative();

    /** Ends the value and returns its bytes. */
    abstract byte[] finish();

    final void field(Key key, @Nullable String value) {
        if (value != null) {
            field(key);
            string(value);
        }
    }

    final void field(Key key, @Nullable Long value) {
        if (value != null) {
            field(key);
            integer(value);
        }
    }

    final void field(Key key, @Nullable Integer value) {
        if (value != null) {
            field(key);
            integer(value);
        }
    }

    final void field(Key key, @Nullable JsonNode tree) {
        if (tree != null && !tree.isNull() && !tree.isMissingNode()) {
            field(key);
            tree(tree);
        }
    }

    /** A JSON tree as it is (null members included); a binary node is {@code bin} in msgpack, base64 in JSON. */
    final void tree(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                startObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    field(e.getKey());
                    tree(e.getValue());
                }
                endObject();
            }
            case ARRAY -> {
                startArray(node.size());
                for (JsonNode element : node) {
                    tree(element);
                }
                endArray();
            }
            case STRING -> string(node.textValue());
            case NUMBER -> number(node);
            case BOOLEAN -> bool(node.booleanValue());
            case BINARY -> binary(binaryValue(node));
            case POJO -> string(node.toString());
            default -> nil();
        }
    }

    private void number(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                integer(node.longValue());
            } else {
                bigInteger(node.bigIntegerValue());
            }
        } else if (node.isBigDecimal()) {
            decimal(node.decimalValue());
        } else {
            floating(node.doubleValue());
        }
    }

    private static byte[] binaryValue(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
