package io.herald.server.fuzz;

import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolDecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The WebSocket frame decoders and the REST body decoders, JSON and msgpack, on mutated valid frames and bodies and
 * on random bytes: each input decodes or fails with {@link ProtocolDecodeException}, nothing else. Inputs per property:
 * {@code -Dherald.fuzz.tries=N} (default in herald-server's pom).
 */
class DecoderFuzzTest {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);

    @Property
    void jsonFrame_decodesOrProtocolError(@ForAll("jsonFrames") byte[] frame) {
        decodeOnly(() -> JSON.decode(frame));
    }

    @Property
    void msgpackFrame_decodesOrProtocolError(@ForAll("msgpackFrames") byte[] frame) {
        decodeOnly(() -> MSGPACK.decode(frame));
    }

    @Property
    void jsonRestBody_decodesOrProtocolError(@ForAll("jsonBodies") byte[] body) {
        decodeOnly(() -> JSON.decodeMessages(body));
        decodeOnly(() -> JSON.decodePresenceMessages(body));
    }

    @Property
    void msgpackRestBody_decodesOrProtocolError(@ForAll("msgpackBodies") byte[] body) {
        decodeOnly(() -> MSGPACK.decodeMessages(body));
        decodeOnly(() -> MSGPACK.decodePresenceMessages(body));
    }

    @Provide
    Arbitrary<byte[]> jsonFrames() {
        return Mutator.bytes(Seeds.utf8(Seeds.JSON_FRAMES));
    }

    @Provide
    Arbitrary<byte[]> msgpackFrames() {
        return Mutator.bytes(Seeds.msgpackFrames());
    }

    @Provide
    Arbitrary<byte[]> jsonBodies() {
        List<String> all = new ArrayList<>(Seeds.MESSAGE_BODIES);
        all.addAll(Seeds.PRESENCE_BODIES);
        return Mutator.bytes(Seeds.utf8(all));
    }

    @Provide
    Arbitrary<byte[]> msgpackBodies() {
        List<String> all = new ArrayList<>(Seeds.MESSAGE_BODIES);
        all.addAll(Seeds.PRESENCE_BODIES);
        return Mutator.bytes(Seeds.msgpackBodies(all));
    }

    @AfterContainer
    static void report() {
        System.out.println("DecoderFuzzTest: " + INPUTS.get() + " decodes tried");
    }

    private static void decodeOnly(Runnable decode) {
        INPUTS.incrementAndGet();
        try {
            decode.run();
        } catch (ProtocolDecodeException expected) {
            // the documented failure: answered with an Ably error
        }
    }
}
