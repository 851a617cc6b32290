package io.herald.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

/** The JSON codec (WebSocket text frames and {@code application/json} bodies; docs/protocol.md §1.3). */
final class JsonCodec extends WireCodec {
    static final JsonCodec INSTANCE = new JsonCodec();

    private final JsonFactory factory = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(WireReader.MAX_DEPTH)
                    .build())
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES) // client-chosen names must not fill the JVM string table
            .enable(
                    JsonWriteFeature
                            .COMBINE_UNICODE_SURROGATES_IN_UTF8) // emoji as 4 UTF-8 bytes, not escaped surrogates
            .build();

    private JsonCodec() {}

    @Override
    public Format format() {
        return Format.JSON;
    }

    @Override
    WireReader reader(byte[] input) {
        return new JsonWireReader(factory, input);
    }

    @Override
    WireWriter writer() {
        return new JsonWireWriter(factory);
    }
}
