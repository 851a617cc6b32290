package io.herald.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * {@link WireReader} over Jackson's streaming {@link JsonParser} (strict JSON: no comments, no trailing commas, one
 * root value). The factory's StreamReadConstraints also cap nesting at {@link #MAX_DEPTH}, which covers values that
 * are skipped.
 */
final class JsonWireReader extends WireReader {
    private final JsonParser parser;

    JsonWireReader(JsonFactory factory, byte[] input) {
        try {
            parser = factory.createParser(input);
        } catch (IOException e) {
            throw malformed(e);
        }
        try {
            if (parser.nextToken() == null) {
                throw bad("Empty JSON input");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? malformed(io) : (RuntimeException) e;
        }
    }

    @Override
    Kind kind() {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw bad("Truncated JSON input");
        }
        return switch (token) {
            case START_OBJECT -> Kind.OBJECT;
            case START_ARRAY -> Kind.ARRAY;
            case VALUE_STRING -> Kind.STRING;
            case VALUE_NUMBER_INT -> isBig() ? Kind.BIG_INTEGER : Kind.INTEGER;
            case VALUE_NUMBER_FLOAT -> Kind.FLOAT;
            case VALUE_TRUE, VALUE_FALSE -> Kind.BOOLEAN;
            case VALUE_NULL -> Kind.NULL;
            default -> throw bad("Unexpected JSON token " + token);
        };
    }

    private boolean isBig() {
        try {
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    String string() {
        try {
            return parser.getText();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    long integer() {
        try {
            return parser.getLongValue();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    BigInteger bigInteger() {
        try {
            return parser.getBigIntegerValue();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    double floating() {
        try {
            return parser.getDoubleValue();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    boolean bool() {
        return parser.currentToken() == JsonToken.VALUE_TRUE;
    }

    @Override
    byte[] binary() {
        throw bad("JSON has no binary values");
    }

    @Override
    void nil() {
        // the cursor moves on with the next nextField()/nextElement()
    }

    @Override
    void beginObject() {
        enter();
    }

    @Override
    @Nullable
    String nextField() {
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_OBJECT) {
                leave();
                return null;
            }
            if (token != JsonToken.FIELD_NAME) {
                throw bad("Truncated JSON input");
            }
            String name = parser.currentName();
            if (parser.nextToken() == null) {
                throw bad("Truncated JSON input");
            }
            return name;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    void beginArray() {
        enter();
    }

    @Override
    boolean nextElement() {
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                leave();
                return false;
            }
            if (token == null) {
                throw bad("Truncated JSON input");
            }
            return true;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    void skip() {
        try {
            parser.skipChildren();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    void finish() {
        try {
            if (parser.nextToken() != null) {
                throw bad("Trailing data after the JSON value");
            }
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // a parser over a byte[] has nothing that can fail to close
        }
    }

    private static ProtocolDecodeException malformed(IOException e) {
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        int cut = detail == null ? -1 : detail.indexOf(" (start marker");
        if (detail != null && cut > 0) {
            detail = detail.substring(0, cut);
        }
        if (detail != null && detail.length() > 200) {
            detail = detail.substring(0, 200) + "...";
        }
        return new ProtocolDecodeException(ErrorCode.BAD_REQUEST.info("Malformed JSON: " + detail), e);
    }
}
