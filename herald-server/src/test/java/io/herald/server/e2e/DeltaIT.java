package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Delta compression with ably-js 2.26 and its vcdiff plugin, @ably/vcdiff-decoder (docs/protocol.md §7.9): a
 * subscriber attached with {@code delta: 'vcdiff'} gets the published strings, JSON objects and binary payloads back
 * intact while the frames it receives carry VCDIFF deltas; a subscriber of the same channel without the param gets
 * plain messages; a client that lost a frame recovers by re-attaching (SPEC RTL18) and gets a full message; an
 * unknown delta format is refused with 40030. Over JSON and msgpack.
 * Each case runs on the in-memory engine and on the Redis engine (a redis-server of its own).
 */
class DeltaIT {
    @RegisterExtension
    static final TestServer memory = TestServer.perClass();

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.toString()));
        return out;
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJs_deltaSubscriber_decodesDeltasAndPlainSubscriberGetsFullMessages(TestServer server, WireFormat f)
            throws Exception {
        JsonNode r = NodeScript.run(
                "delta.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", server.full.keyString(),
                        "channel", "delta-" + f),
                Duration.ofSeconds(60));
        List<String> sent = texts(r.path("sent"));
        assertThat(texts(r.path("got").path("delta"))).isEqualTo(sent);
        assertThat(texts(r.path("got").path("plain"))).isEqualTo(sent);
        assertThat(r.path("deltaState").asText()).isEqualTo("attached");
        assertThat(r.path("attachedParams").path("delta").asText()).isEqualTo("vcdiff");

        JsonNode frames = r.path("frames");
        assertThat(frames).hasSize(sent.size());
        String b64 = f.binary() ? "" : "/base64";
        List<String> encodings = new ArrayList<>();
        int deltas = 0;
        for (int i = 0; i < frames.size(); i++) {
            JsonNode frame = frames.get(i);
            encodings.add(frame.path("encoding").asText(null));
            if (!frame.path("delta").isNull()) {
                deltas++;
                assertThat(frame.path("delta").path("format").asText()).isEqualTo("vcdiff");
                assertThat(frame.path("delta").path("from").asText())
                        .isEqualTo(frames.get(i - 1).path("id").asText());
            }
        }
        // the first message of the run goes in full; every similar one after it as a delta: strings, JSON text
        // (json/utf-8), binary; the short different one in full, and the one after it (not similar to it) too
        assertThat(frames.get(0).path("delta").isNull()).isTrue();
        assertThat(encodings.subList(1, 4)).containsOnly("utf-8/vcdiff" + b64);
        assertThat(encodings.subList(5, 8)).containsOnly("json/utf-8/vcdiff" + b64);
        assertThat(encodings.subList(9, 12)).containsOnly("vcdiff" + b64);
        assertThat(frames.get(12).path("delta").isNull()).isTrue();
        assertThat(frames.get(13).path("delta").isNull()).isTrue();
        assertThat(deltas).isGreaterThanOrEqualTo(9);

        assertThat(r.path("plainFrames")).hasSize(sent.size());
        r.path("plainFrames")
                .forEach(fr -> assertThat(fr.path("delta").isNull()).isTrue());

        // a lost frame (the second): the SDK cannot apply the third's delta, re-attaches from the first message, and
        // gets the second and third again, the second in full
        assertThat(texts(r.path("recovered"))).isEqualTo(sent.subList(0, 4));
        JsonNode lossy = r.path("lossyFrames");
        List<String> ids = new ArrayList<>();
        lossy.forEach(fr -> ids.add(fr.path("id").asText()));
        int resent = ids.lastIndexOf(ids.get(1));
        assertThat(resent).isGreaterThan(2);
        assertThat(lossy.get(resent).path("delta").isNull()).isTrue();

        assertThat(r.path("refused").path("code").asInt()).isEqualTo(40030);
        assertThat(r.path("refused").path("state").asText()).isEqualTo("failed");
    }
}
