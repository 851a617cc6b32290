package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LiveObjects over realtime (docs/liveobjects.md) with the official ably-js 2.26 and its LiveObjects plugin, on the
 * memory engine, over JSON and msgpack: two clients editing one map and one counter at once converge, a late joiner
 * syncs the whole tree, a client whose capability lacks object-publish is not granted the mode; and hostile OBJECT
 * frames from a raw socket get Ably-style NACKs, never a failed connection or a hang.
 */
class LiveObjectsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer memory = TestServer.perClass();

    static Stream<Arguments> formats() {
        return TestServer.withFormats(memory);
    }

    @ParameterizedTest(autoCloseArguments = false) // the server is per class, closed after all cases
    @MethodSource("formats")
    void ablyJs_concurrentWritersConverge_lateJoinerSyncs_readerRefused(TestServer server, WireFormat f)
            throws Exception {
        JsonNode r = NodeScript.run(
                "liveobjects.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", server.full.keyString(),
                        "channel", "objects-" + f),
                Duration.ofSeconds(60));
        JsonNode alice = r.path("alice");
        assertThat(alice.path("score").asInt())
                .isEqualTo(r.path("expected").asInt())
                .isEqualTo(70);
        assertThat(alice.at("/profile/tags/a").toString()).isEqualTo("[1,2]");
        assertThat(alice.at("/profile/byAlice/bytes").toString()).isEqualTo("[1,2,3]");
        assertThat(alice.at("/profile/byBob").asBoolean()).isTrue();
        assertThat(alice.at("/profile/color").asText()).isIn("red", "blue");
        assertThat(alice.at("/profile").has("name")).as("removed by bob").isFalse();
        assertThat(r.path("bob")).isEqualTo(alice);
        assertThat(r.path("carol")).as("late joiner").isEqualTo(alice);
        assertThat(r.path("reader")).as("a reader still syncs").isEqualTo(alice);
        assertThat(r.path("readerModes").toString()).isEqualTo("[\"object_subscribe\"]");
        assertThat(r.at("/readerError/code").asInt()).isEqualTo(40024);
    }

    private static RawWs connect(TestServer server, String key, WireFormat f) {
        RawWs ws = RawWs.open(server, "key=" + RawWs.enc(key) + "&format=" + f.param());
        ws.await(fr -> fr.action() == 4, "CONNECTED", WAIT);
        return ws;
    }

    private static Map<String, Object> object(String channel, long msgSerial, List<?> state) {
        return Map.of("action", 19, "channel", channel, "msgSerial", msgSerial, "state", state);
    }

    private static Map<String, Object> op(Map<String, Object> operation) {
        return Map.of("operation", operation);
    }

    private static JsonNode answer(RawWs ws, long msgSerial) {
        return ws.await(
                        fr -> (fr.action() == 1 || fr.action() == 2)
                                && fr.message().path("msgSerial").asLong() == msgSerial,
                        "ACK/NACK " + msgSerial,
                        WAIT)
                .message();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void hostileObjectFrames_getAblyErrors_andTheConnectionStays(WireFormat f) {
        try (RawWs ws = connect(memory, memory.full.keyString(), f)) {
            String ch = "hostile-" + f;
            ws.sendMessage(Map.of("action", 10, "channel", ch, "flags", (1 << 24) | (1 << 25)), f.binary());
            ws.await(fr -> fr.action() == 11, "ATTACHED", WAIT);
            ws.await(fr -> fr.action() == 20, "OBJECT_SYNC", WAIT);
            boolean msgpack = f.binary();
            // unknown action
            ws.sendMessage(object(ch, 0, List.of(op(Map.of("action", 42, "objectId", "root")))), msgpack);
            // no state at all
            ws.sendMessage(Map.of("action", 19, "channel", ch, "msgSerial", 1), msgpack);
            // a malformed object id
            ws.sendMessage(
                    object(
                            ch,
                            2,
                            List.of(op(Map.of(
                                    "action", 4, "objectId", "counter:nohash", "counterInc", Map.of("number", 1))))),
                    msgpack);
            // an operation of the wrong type for its object, and deleting the root
            ws.sendMessage(
                    object(
                            ch,
                            3,
                            List.of(op(Map.of("action", 4, "objectId", "root", "counterInc", Map.of("number", 1))))),
                    msgpack);
            ws.sendMessage(object(ch, 4, List.of(op(Map.of("action", 5, "objectId", "root")))), msgpack);
            // a value bigger than the maximum message size (64 KiB) in a frame the server accepts
            ws.sendMessage(
                    object(
                            ch,
                            5,
                            List.of(op(Map.of(
                                    "action",
                                    1,
                                    "objectId",
                                    "root",
                                    "mapSet",
                                    Map.of("key", "big", "value", Map.of("string", "x".repeat(100_000))))))),
                    msgpack);
            // a create whose id does not match its initial value
            ws.sendMessage(
                    object(
                            ch,
                            6,
                            List.of(op(Map.of(
                                    "action",
                                    3,
                                    "objectId",
                                    "counter:forged@1",
                                    "counterCreateWithObjectId",
                                    Map.of("initialValue", "{\"count\":1}", "nonce", "0123456789abcdef"))))),
                    msgpack);
            // a well-formed id the channel does not know yet: applied to a zero-value counter
            ws.sendMessage(
                    object(
                            ch,
                            7,
                            List.of(op(Map.of(
                                    "action", 4, "objectId", "counter:unknown@1", "counterInc", Map.of("number", 5))))),
                    msgpack);

            int[] expected = {92000, 92000, 92000, 92000, 92000, 40009, 92000};
            for (int i = 0; i < expected.length; i++) {
                JsonNode a = answer(ws, i);
                assertThat(a.path("action").asInt()).as("answer to %d", i).isEqualTo(2);
                assertThat(a.at("/error/code").asInt()).as("code of %d", i).isEqualTo(expected[i]);
                assertThat(a.at("/error/statusCode").asInt())
                        .as("status of %d", i)
                        .isIn(400, 413);
            }
            JsonNode ack = answer(ws, 7);
            assertThat(ack.path("action").asInt()).isEqualTo(1);
            assertThat(ack.at("/res/0/serials/0").asText()).isNotEmpty();
            // the publisher is sent its echo before its ACK
            List<RawWs.Frame> seen = ws.seen();
            JsonNode event = seen.stream()
                    .filter(fr -> fr.action() == 19)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no OBJECT before the ACK: " + seen))
                    .message();
            assertThat(event.at("/state/0/operation/objectId").asText()).isEqualTo("counter:unknown@1");
            assertThat(event.at("/state/0/serial").asText())
                    .isEqualTo(ack.at("/res/0/serials/0").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void withoutObjectPublishCapability_nacked40160(WireFormat f) {
        // the limited key may only subscribe and enter presence on chat:*
        try (RawWs ws = connect(memory, memory.limited.keyString(), f)) {
            ws.sendMessage(
                    object(
                            "chat:objects",
                            0,
                            List.of(op(Map.of(
                                    "action",
                                    1,
                                    "objectId",
                                    "root",
                                    "mapSet",
                                    Map.of("key", "k", "value", Map.of("string", "v")))))),
                    f.binary());
            JsonNode nack = answer(ws, 0);
            assertThat(nack.path("action").asInt()).isEqualTo(2);
            assertThat(nack.at("/error/code").asInt()).isEqualTo(40160);
            assertThat(nack.at("/error/statusCode").asInt()).isEqualTo(401);
            assertThat(nack.at("/error/message").asText()).contains("object-publish");
        }
    }
}
