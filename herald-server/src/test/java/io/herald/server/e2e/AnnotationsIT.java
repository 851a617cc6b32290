package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Message annotations with ably-js 2.26 (docs/protocol.md §7.10): reactions published over realtime and REST reach a
 * subscriber attached with ANNOTATION_SUBSCRIBE as annotations, every subscriber gets the summaries (action
 * message.summary, the original serial), annotations.get pages through them, getMessage and history show the current
 * summary; the refusals (no annotation-publish 40160, no annotation-subscribe: the mode is not granted, unknown serial
 * 40400, bad type 40003, flag without clientId 40161, namespace without mutableMessages 93002), over JSON and msgpack.
 * Each case runs on the in-memory engine and on the Redis engine (a redis-server of its own).
 */
class AnnotationsIT {
    @RegisterExtension
    static final TestServer memory =
            TestServer.perClass("    namespaces:\n      - id: notes\n        mutableMessages: true\n");

    @RegisterExtension
    static final TestServer redis =
            TestServer.perClassOnRedis("    namespaces:\n      - id: notes\n        mutableMessages: true\n");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static final String EXPECTED_SUMMARY = "{"
            + "\"reactions:distinct.v1\":{\"+1\":{\"total\":2,\"clientIds\":[\"alice\",\"bob\"],\"clipped\":false}},"
            + "\"votes:multiple.v1\":{\"yes\":{\"total\":3,\"clientIds\":{\"alice\":3},\"totalUnidentified\":0,"
            + "\"clipped\":false,\"totalClientIds\":1}},"
            + "\"read:flag.v1\":{\"total\":1,\"clientIds\":[\"alice\"],\"clipped\":false},"
            + "\"views:total.v1\":{\"total\":1},"
            + "\"status:unique.v1\":{\"ok\":{\"total\":1,\"clientIds\":[\"alice\"],\"clipped\":false}}}";

    private static List<String> texts(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJs_reactions_annotationsSummariesAndRefusals(TestServer server, WireFormat f) throws Exception {
        JsonNode r = NodeScript.run(
                "annotations.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", server.full.keyString(),
                        "channel", "notes:chat-" + f,
                        "plainChannel", "plain-" + f),
                Duration.ofSeconds(50));
        JsonNode expected = new ObjectMapper().readTree(EXPECTED_SUMMARY);
        String serial = r.path("serial").asText();
        assertThat(texts(r.path("grantedModes"), ""))
                .hasSize(r.path("grantedModes").size());
        assertThat(r.path("grantedModes").toString()).contains("annotation_subscribe");

        JsonNode annotations = r.path("annotations");
        assertThat(texts(annotations, "action"))
                .containsExactly(
                        "annotation.create",
                        "annotation.create",
                        "annotation.create",
                        "annotation.delete",
                        "annotation.create",
                        "annotation.create",
                        "annotation.create",
                        "annotation.create");
        assertThat(texts(annotations, "clientId"))
                .containsExactly("alice", "bob", "bob", "bob", "alice", "alice", "alice", "alice");
        assertThat(texts(annotations, "messageSerial")).containsOnly(serial);
        assertThat(texts(annotations, "serial")).doesNotHaveDuplicates().doesNotContain(serial, "");
        assertThat(annotations.get(4).path("count").asInt()).isEqualTo(3);
        assertThat(annotations.get(7).path("data").asText()).isEqualTo("payload");

        for (String who : List.of("watcherSummaries", "plainSummaries")) {
            JsonNode summaries = r.path(who);
            assertThat(summaries).as(who).hasSize(8);
            assertThat(texts(summaries, "serial")).as(who).containsOnly(serial);
            assertThat(summaries.get(7).path("summary")).as(who).isEqualTo(expected);
            assertThat(summaries
                            .get(2)
                            .path("summary")
                            .path("reactions:distinct.v1")
                            .has("heart"))
                    .isTrue();
            assertThat(summaries
                            .get(3)
                            .path("summary")
                            .path("reactions:distinct.v1")
                            .has("heart"))
                    .isFalse();
        }
        assertThat(r.path("plainAnnotations").asInt()).isZero();

        assertThat(r.path("page1Size").asInt()).isEqualTo(5);
        assertThat(r.path("hasNext").asBoolean()).isTrue();
        assertThat(texts(r.path("got"), "serial")).isEqualTo(texts(annotations, "serial"));
        assertThat(r.path("latest").path("serial").asText()).isEqualTo(serial);
        assertThat(r.path("latest").path("action").asText()).isEqualTo("message.create");
        assertThat(r.path("latest").path("summary")).isEqualTo(expected);
        assertThat(r.path("history")).hasSize(1);
        assertThat(r.path("history").get(0).path("summary")).isEqualTo(expected);

        assertThat(r.path("noPublish").path("code").asInt()).isEqualTo(40160);
        assertThat(r.path("noGet").path("code").asInt()).isEqualTo(40160);
        assertThat(r.path("noSubscribe").path("code").asInt()).isEqualTo(93001);
        assertThat(r.path("malloryModes").toString()).doesNotContain("annotation_subscribe");
        assertThat(r.path("noRealtimePublish").path("code").asInt()).isEqualTo(40160);
        assertThat(r.path("unknown").path("code").asInt()).isEqualTo(40400);
        assertThat(r.path("unknown").path("statusCode").asInt()).isEqualTo(404);
        assertThat(r.path("badType").path("code").asInt()).isEqualTo(40003);
        assertThat(r.path("anonymousFlag").path("code").asInt()).isEqualTo(40161);
        assertThat(r.path("notMutable").path("code").asInt()).isEqualTo(93002);
    }
}
