package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST objects API (docs/liveobjects.md) with ably-js 2.26's RestObject and its LiveObjects plugin, over JSON and
 * msgpack: a batch publish of creates at paths and a set, the compact and full reads (whole tree, by path, by object
 * id, leaves), a counter created with a client-generated id, a wildcard increment, an idempotent increment sent twice,
 * a realtime client seeing the REST changes with the REST message ids and the server's serials, the 404s of unknown
 * ids and paths, and the refusals without object-subscribe or object-publish (40160). Then hostile bodies over raw
 * HTTP: each is an Ably error, never a 500.
 */
class RestObjectsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static Stream<Arguments> formats() {
        return TestServer.withFormats(server);
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("formats")
    void ablyJs_restObject_publishesReadsAndIsSeenByRealtime(TestServer s, WireFormat f) throws Exception {
        JsonNode r = NodeScript.run(
                "rest-objects.js",
                Map.of("port", s.port(), "binary", f.binary(), "key", s.full.keyString(), "channel", "objects-" + f),
                Duration.ofSeconds(60));

        JsonNode batch = r.path("batch");
        assertThat(batch.path("channel").asText()).isEqualTo("objects-" + f);
        assertThat(batch.path("messageId").asText()).isNotEmpty();
        assertThat(batch.path("objectIds")).hasSize(3);
        assertThat(batch.path("objectIds").get(0).asText()).startsWith("counter:");
        assertThat(batch.path("objectIds").get(1).asText()).startsWith("map:");
        assertThat(batch.path("objectIds").get(2).asText()).isEqualTo("root");

        JsonNode title = r.path("titleEvent");
        assertThat(title.path("id").asText()).as("the REST id reaches realtime").isEqualTo("title-1");
        assertThat(title.path("serial").asText()).isNotEmpty();
        assertThat(title.path("siteCode").asText()).isNotEmpty();
        assertThat(title.path("action").asText()).isEqualTo("map.set");

        JsonNode compact = r.path("compact");
        assertThat(compact.path("score").asInt()).isEqualTo(10);
        assertThat(compact.path("title").asText()).isEqualTo("hello");
        assertThat(compact.path("profile").path("name").asText()).isEqualTo("ada");
        assertThat(compact.path("profile").path("tags").asText())
                .as("json stays its text in compact")
                .isEqualTo("{\"a\":[1,2]}");
        JsonNode bytes = compact.path("profile").path("bytes");
        assertThat(f.binary() ? bytes.path("base64").asText() : bytes.asText()).isEqualTo("AQID");

        JsonNode full = r.path("full");
        assertThat(full.path("objectId").asText()).isEqualTo("root");
        assertThat(full.at("/map/semantics").asText()).isEqualTo("lww");
        assertThat(full.at("/map/entries/score/data/counter/data/number").asInt())
                .isEqualTo(10);
        assertThat(full.at("/map/entries/profile/data/objectId").asText())
                .isEqualTo(batch.path("objectIds").get(1).asText());
        assertThat(full.at("/map/entries/profile/data/map/entries/tags/data/json"))
                .as("json parsed in full")
                .hasToString("{\"a\":[1,2]}");
        assertThat(r.path("name").asText()).isEqualTo("ada");
        assertThat(r.path("nameFull").path("string").asText()).isEqualTo("ada");
        assertThat(r.path("tagsFull").path("json")).hasToString("{\"a\":[1,2]}");
        assertThat(r.path("byId").asText()).isEqualTo("ada");

        assertThat(r.path("withId").path("objectIds").get(0).asText())
                .isEqualTo(r.path("gen").path("objectId").asText());
        assertThat(r.path("wild").path("objectIds")).hasSize(2);
        assertThat(r.path("once2").path("messageId").asText())
                .as("a repeated id answers as the first time")
                .isEqualTo(r.path("once1").path("messageId").asText());
        assertThat(r.path("after").path("score").asInt())
                .as("10 + 1 (wildcard) + 5 once")
                .isEqualTo(16);
        assertThat(r.path("after").path("made").asInt()).isEqualTo(101);
        assertThat(r.path("realtimeScore").asInt()).isEqualTo(16);
        assertThat(r.path("realtimeMade").asInt()).isEqualTo(101);

        assertThat(r.path("missingId").path("code").asInt()).isEqualTo(92004);
        assertThat(r.path("missingId").path("statusCode").asInt()).isEqualTo(404);
        assertThat(r.path("missingPath").path("code").asInt()).isEqualTo(92005);
        assertThat(r.path("wrongType").path("code").asInt()).isEqualTo(92007);
        assertThat(r.path("badId").path("code").asInt()).isEqualTo(92000);

        assertThat(r.path("readerGet").path("score").asInt()).isEqualTo(16);
        assertThat(r.path("readerPublish").path("code").asInt()).isEqualTo(40160);
        assertThat(r.path("nobodyGet").path("code").asInt()).isEqualTo(40160);
        assertThat(r.path("nobodyPublish").path("code").asInt()).isEqualTo(40160);
    }

    private static Http.Response post(String body) {
        return Http.postJson(server.uri("/channels/hostile/object"), body, "Authorization", Http.basic(server.full));
    }

    @Test
    void hostileBodies_getAblyErrors() {
        String one = "{\"objectId\":\"root\",\"mapRemove\":{\"key\":\"k\"}}";
        Http.assertAblyError(post("{not json"), 400, 40000);
        Http.assertAblyError(post("{\"objectId\":\"root\",\"mapFrob\":{}}"), 400, 40003);
        Http.assertAblyError(post("{\"objectId\":7,\"mapRemove\":{\"key\":\"k\"}}"), 400, 40003);
        Http.assertAblyError(
                post("{\"objectId\":\"root\",\"mapSet\":{\"key\":\"k\",\"value\":{\"number\":\"x\"}}}"), 400, 92000);
        Http.assertAblyError(post("[" + String.join(",", Collections.nCopies(101, one)) + "]"), 400, 40001);
        Http.assertAblyError(post("[]"), 400, 40003);
        Http.assertAblyError(post("[".repeat(5000) + "]".repeat(5000)), 400, 40000);
        Http.assertAblyError(
                post("{\"path\":\"" + "a.".repeat(100) + "a\",\"counterInc\":{\"number\":1}}"), 400, 40003);
        Http.assertAblyError(post("{\"path\":\"nowhere.deep\",\"counterInc\":{\"number\":1}}"), 404, 92005);
        Http.assertAblyError(post("{\"objectId\":\"root\",\"counterInc\":{\"number\":1}}"), 400, 92000);
        Http.assertAblyError(
                post("{\"objectId\":\"root\",\"mapSet\":{\"key\":\"k\",\"value\":{\"string\":\"" + "x".repeat(70_000)
                        + "\"}}}"),
                413,
                40009);
        Http.assertAblyError(
                Http.get(
                        server.uri("/channels/hostile/object?compact=maybe"), "Authorization", Http.basic(server.full)),
                400,
                40003);
        Http.assertAblyError(
                Http.get(server.uri("/channels/hostile/object/map:none@1"), "Authorization", Http.basic(server.full)),
                404,
                92004);
        Http.assertAblyError(
                Http.postJson(server.uri("/channels/hostile/object"), one, "Authorization", Http.basic(server.limited)),
                401,
                40160);
        // after all that, the channel still works
        Http.Response ok = post(one);
        assertThat(ok.status()).as("%s", ok).isEqualTo(201);
    }
}
