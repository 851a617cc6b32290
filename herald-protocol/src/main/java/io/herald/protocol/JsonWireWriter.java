package io.herald.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * {@link WireWriter} over Jackson's streaming {@link JsonGenerator}: compact UTF-8 JSON, no whitespace, integers as
 * JSON integers, binary as standard base64 (docs/protocol.md §1.3, §7.3). Buffers come from Jackson's recycler
 * pool, so a small frame costs little more than its final {@code byte[]}.
 */
final class JsonWireWriter extends WireWriter {
    private final BufferRecycler recycler;
    private final ByteArrayBuilder out;
    private final JsonGenerator gen;

    JsonWireWriter(JsonFactory factory) {
        recycler = factory._getBufferRecycler();
        out = new ByteArrayBuilder(recycler);
        try {
            gen = factory.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void startObject() {
        try {
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void endObject() {
        try {
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void startArray(int size) {
        try {
            gen.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void endArray() {
        try {
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void field(Key key) {
        try {
            gen.writeFieldName(key.json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void field(String name) {
        try {
            gen.writeFieldName(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void string(String value) {
        try {
            gen.writeString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void integer(long value) {
        try {
            gen.writeNumber(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void bigInteger(BigInteger value) {
        try {
            gen.writeNumber(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void floating(double value) {
        try {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull(); // JSON has no NaN or infinity
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void decimal(BigDecimal value) {
        try {
            gen.writeNumber(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void bool(boolean value) {
        try {
            gen.writeBoolean(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void nil() {
        try {
            gen.writeNull();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void binary(byte[] value) {
        try {
            gen.writeBinary(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    boolean binaryNative() {
        return false;
    }

    @Override
    byte[] finish() {
        try {
            gen.close();
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recycler.releaseToPool();
        }
    }
}
