package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code @ably/chat} 1.4.0, unchanged, against Herald (docs/protocol.md §16): two ChatClients in one room see each
 * other's presence, occupancy, typing and a room reaction; Alice sends, updates and deletes messages and both react
 * with each reaction type (unique, distinct, multiple) and see the summaries and the raw reactions; history reads
 * back in both orders two a page without the ephemeral typing and reactions, one message and its versions are
 * fetched, a late joiner reads what came before it subscribed. A text over maxMessageSize is refused with 40009;
 * tokens without publish, annotation-publish, message-update-any/-delete-any or channel-metadata with 40160; unknown
 * serials with 40400; bad bodies with 40003. On the in-memory engine and on Redis in both wire formats, and with the
 * two clients on two Redis nodes.
 */
class ChatIT {
    private static final String TIMINGS = "timings: { occupancyInterval: 300ms }\n";

    @RegisterExtension
    static final TestServer memory = TestServer.perClass(TIMINGS);

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis(TIMINGS);

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyChat_twoClientsInOneRoom(TestServer server, WireFormat f) throws Exception {
        JsonNode r = NodeScript.run(
                "chat.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", server.full.keyString(),
                        "room", "room-" + server.engine() + "-" + f),
                Duration.ofSeconds(100));
        check(r);
    }

    @Test
    void ablyChat_clientsOnTwoRedisNodes() throws Exception {
        String key = "cluster.k1:c2VjcmV0LXNlY3JldC1zZWNyZXQ";
        Path dir = Files.createDirectories(Path.of("target", "cluster-logs"));
        Path config = Files.createTempFile(dir, "herald-chat-", ".yaml");
        Files.writeString(config, TIMINGS + """
                apps:
                  - id: cluster
                    keys:
                      - key: %s
                """.formatted(key));
        try (RedisServerProcess redisServer = RedisServerProcess.start();
                HeraldProcess a =
                        HeraldProcess.redis("chat-a", RedisServerProcess.freePort(), redisServer.uri(), config);
                HeraldProcess b =
                        HeraldProcess.redis("chat-b", RedisServerProcess.freePort(), redisServer.uri(), config)) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("port", a.port);
            input.put("otherPort", b.port);
            input.put("binary", false);
            input.put("key", key);
            input.put("room", "room-cluster");
            check(NodeScript.run("chat.js", input, Duration.ofSeconds(100)));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    private static List<String> texts(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(field.isEmpty() ? n.asText() : n.path(field).asText()));
        return out;
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static void check(JsonNode r) throws Exception {
        assertThat(r.path("statuses").toString())
                .isEqualTo("{\"alice\":\"attached\",\"bob\":\"attached\",\"connection\":\"connected\"}");

        // presence, occupancy, typing, a room reaction
        assertThat(r.path("members")).isEqualTo(json("[{\"clientId\":\"alice\",\"data\":{\"mood\":\"happy\"}}]"));
        assertThat(r.path("occupancyGet")).isEqualTo(json("{\"connections\":2,\"presenceMembers\":1}"));
        JsonNode seen = r.path("seen");
        assertThat(texts(seen.path("presence"), "type")).containsExactly("enter", "leave");
        assertThat(seen.path("occupancy").toString()).contains("{\"connections\":2,\"presenceMembers\":1}");
        assertThat(seen.path("typing").toString()).isEqualTo("[[\"alice\"],[]]");
        assertThat(seen.path("roomReactions"))
                .isEqualTo(json("[{\"name\":\"wave\",\"clientId\":\"alice\",\"metadata\":{\"big\":true}}]"));

        // messages: sent, seen live, updated, deleted
        JsonNode sent = r.path("sent");
        assertThat(texts(sent, "text")).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(texts(sent, "action")).containsOnly("message.create");
        assertThat(texts(sent, "clientId")).containsOnly("alice");
        assertThat(texts(sent, "serial")).doesNotHaveDuplicates().doesNotContain("");
        assertThat(texts(sent, "versionSerial")).isEqualTo(texts(sent, "serial"));
        assertThat(sent.get(0).path("metadata")).isEqualTo(json("{\"n\":0,\"nested\":{\"ok\":true}}"));
        assertThat(sent.get(0).path("headers")).isEqualTo(json("{\"lang\":\"en\",\"n\":1}"));
        List<JsonNode> created = new ArrayList<>();
        List<String> types = new ArrayList<>();
        seen.path("messages").forEach(e -> {
            types.add(e.path("type").asText());
            if (e.path("type").asText().equals("message.created")) {
                created.add(e.path("message"));
            }
        });
        assertThat(types.subList(0, 7))
                .containsExactly(
                        "message.created",
                        "message.created",
                        "message.created",
                        "message.created",
                        "message.created",
                        "message.updated",
                        "message.deleted");
        for (int i = 0; i < 5; i++) {
            JsonNode live = created.get(i);
            assertThat(live.path("serial").asText())
                    .isEqualTo(sent.get(i).path("serial").asText());
            assertThat(live.path("text").asText())
                    .isEqualTo(sent.get(i).path("text").asText());
            assertThat(live.path("metadata")).isEqualTo(sent.get(i).path("metadata"));
            assertThat(live.path("headers")).isEqualTo(sent.get(i).path("headers"));
        }
        JsonNode updated = r.path("updated");
        assertThat(updated.path("serial").asText())
                .isEqualTo(sent.get(1).path("serial").asText());
        assertThat(updated.path("text").asText()).isEqualTo("m1 edited");
        assertThat(updated.path("metadata")).isEqualTo(json("{\"edited\":true}"));
        assertThat(updated.path("action").asText()).isEqualTo("message.update");
        assertThat(updated.path("versionDescription").asText()).isEqualTo("typo");
        assertThat(updated.path("versionSerial").asText())
                .isNotEqualTo(updated.path("serial").asText());
        JsonNode liveUpdate = seen.path("messages").get(5).path("message");
        assertThat(liveUpdate.path("text").asText()).isEqualTo("m1 edited");
        assertThat(liveUpdate.path("versionSerial").asText())
                .isEqualTo(updated.path("versionSerial").asText());
        JsonNode deleted = r.path("deleted");
        assertThat(deleted.path("action").asText()).isEqualTo("message.delete");
        assertThat(deleted.path("text").asText()).isEqualTo("m2");
        assertThat(deleted.path("versionDescription").asText()).isEqualTo("oops");
        assertThat(seen.path("messages")
                        .get(6)
                        .path("message")
                        .path("versionSerial")
                        .asText())
                .isEqualTo(deleted.path("versionSerial").asText());

        // reactions of each type, their summaries, one client's own
        assertThat(r.path("fullSummary"))
                .isEqualTo(
                        json("{\"unique\":{\"love\":{\"total\":2,\"clientIds\":[\"bob\",\"alice\"],\"clipped\":false}},"
                                + "\"distinct\":{\"star\":{\"total\":2,\"clientIds\":[\"alice\",\"bob\"],\"clipped\":false},"
                                + "\"fire\":{\"total\":1,\"clientIds\":[\"bob\"],\"clipped\":false}},"
                                + "\"multiple\":{\"clap\":{\"total\":4,\"clientIds\":{\"alice\":3,\"bob\":1},"
                                + "\"totalUnidentified\":0,\"clipped\":false,\"totalClientIds\":2}}}"));
        JsonNode afterDeletes = json("{\"unique\":{\"love\":{\"total\":1,\"clientIds\":[\"bob\"],\"clipped\":false}},"
                + "\"distinct\":{\"star\":{\"total\":2,\"clientIds\":[\"alice\",\"bob\"],\"clipped\":false}},"
                + "\"multiple\":{\"clap\":{\"total\":4,\"clientIds\":{\"alice\":3,\"bob\":1},"
                + "\"totalUnidentified\":0,\"clipped\":false,\"totalClientIds\":2}}}");
        assertThat(r.path("afterDeletes")).isEqualTo(afterDeletes);
        assertThat(r.path("clientReactions"))
                .isEqualTo(json("{\"unique\":{\"love\":{\"total\":1,\"clientIds\":[\"alice\"],\"clipped\":false}},"
                        + "\"distinct\":{\"star\":{\"total\":1,\"clientIds\":[\"alice\"],\"clipped\":false}},"
                        + "\"multiple\":{\"clap\":{\"total\":3,\"clientIds\":{\"alice\":3},"
                        + "\"totalUnidentified\":0,\"clipped\":false,\"totalClientIds\":1}}}"));

        assertThat(seen.path("raw").get(0).toString())
                .isEqualTo("{\"type\":\"reaction.create\",\"name\":\"like\",\"reactionType\":\"unique\","
                        + "\"clientId\":\"alice\"}");
        assertThat(seen.path("raw").get(6).toString())
                .isEqualTo("{\"type\":\"reaction.create\",\"name\":\"clap\",\"reactionType\":\"multiple\","
                        + "\"clientId\":\"alice\",\"count\":3}");
        assertThat(texts(seen.path("raw"), "type").subList(8, 10)).containsOnly("reaction.delete");

        // history: both orders, two a page, no ephemeral messages; one message; versions; before subscribing
        assertThat(r.path("oldestFirst").toString()).isEqualTo("[[\"m0\",\"m1 edited\"],[\"m2\",\"m3\"],[\"m4\"]]");
        assertThat(r.path("newestFirst").toString()).isEqualTo("[[\"m4\",\"m3\"],[\"m2\",\"m1 edited\"],[\"m0\"]]");
        JsonNode history = r.path("history");
        assertThat(texts(history, "action"))
                .containsExactly(
                        "message.create", "message.update", "message.delete", "message.create", "message.create");
        assertThat(history.get(0).path("reactions")).isEqualTo(afterDeletes);
        assertThat(history.get(0).path("headers")).isEqualTo(json("{\"lang\":\"en\",\"n\":1}"));
        assertThat(r.path("one").path("reactions")).isEqualTo(afterDeletes);
        assertThat(r.path("one").path("metadata")).isEqualTo(json("{\"n\":0,\"nested\":{\"ok\":true}}"));
        assertThat(texts(r.path("versions"), "text")).containsExactly("m1", "m1 edited");
        // Message.with compares version serials as strings: an edit twelve log positions after its message must win,
        // and the older version applied to the edit must change nothing; history's serials sort as strings
        assertThat(r.path("withNewer").asText()).isEqualTo("o0 edited");
        assertThat(r.path("withOlder").asText()).isEqualTo("o0 edited");
        assertThat(texts(r.path("orderSerials"), "")).hasSize(12).isSorted();
        assertThat(texts(r.path("before"), "")).containsExactly("m4", "m3", "m2", "m1 edited", "m0");

        // refusals, and what a client may do to its own messages
        JsonNode refusals = r.path("refusals");
        for (String op : List.of(
                "sendWithoutPublish",
                "reactWithoutAnnotationPublish",
                "updateOthers",
                "deleteOthers",
                "occupancyWithoutMetadata")) {
            assertThat(refusals.path(op).toString()).as(op).isEqualTo("{\"code\":40160,\"statusCode\":401}");
        }
        assertThat(refusals.path("tooBig").toString()).isEqualTo("{\"code\":40009,\"statusCode\":413}");
        assertThat(refusals.path("unknownSerial").toString()).isEqualTo("{\"code\":40400,\"statusCode\":404}");
        assertThat(refusals.path("updateUnknown").toString()).isEqualTo("{\"code\":40400,\"statusCode\":404}");
        assertThat(refusals.path("badText").toString()).isEqualTo("{\"code\":40003,\"statusCode\":400}");
        assertThat(refusals.path("badReactionType").toString()).isEqualTo("{\"code\":40003,\"statusCode\":400}");
        assertThat(r.path("malloryEdit").path("text").asText()).isEqualTo("mine edited");
        assertThat(r.path("malloryEdit").path("clientId").asText()).isEqualTo("mallory");
    }
}
