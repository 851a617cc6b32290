package io.herald.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/** The JSON codec (WebSocket text frames and {@code application/json} bodies; ably-protocol.md §5.2). */
final class JsonCodec extends WireCodec {
    static final JsonCodec INSTANCE = new JsonCodec();

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(WireReader.MAX_DEPTH).build())
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES) // client-chosen names must not fill the JVM string table
            .build();

    private JsonCodec() {
    }

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
