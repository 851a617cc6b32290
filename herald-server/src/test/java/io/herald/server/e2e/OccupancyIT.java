package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Occupancy and channel metadata with ably-js (docs/protocol.md §6.4, §10.5): {@code [meta]occupancy} events as a
 * second client attaches, enters presence and leaves; {@code channel.status()} and {@code GET /channels} enumeration
 * with paging; and what a client without the capability, or with bad parameters, gets.
 */
class OccupancyIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass("timings: { occupancyInterval: 300ms }\n");

    private static Map<String, Object> input(WireFormat f, String key, String channel, String occupancy) {
        return Map.of(
                "port", server.port(), "binary", f.binary(), "key", key, "channel", channel, "occupancy", occupancy);
    }

    /** Waits for an occupancy event whose metrics match. */
    private static JsonNode occupancy(NodeScript watcher, Predicate<JsonNode> metrics) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode e = watcher.await("occupancy", WAIT);
            assertThat(e.path("name").asText()).isEqualTo("[meta]occupancy");
            JsonNode m = e.path("data").path("metrics");
            seen.add(m);
            if (metrics.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no matching occupancy event; saw " + seen);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void occupancyEvents_followASecondClientAttachEnterAndLeave(WireFormat f) {
        String channel = "chat:occupancy-" + f;
        try (NodeScript watcher =
                NodeScript.start("occupancy.js", input(f, server.full.keyString(), channel, "metrics"))) {
            watcher.await("ready", NodeScript.STARTUP);
            JsonNode first = occupancy(watcher, m -> m.path("connections").asInt() == 1);
            assertThat(first.path("subscribers").asInt()).isEqualTo(1);
            assertThat(first.path("publishers").asInt()).isEqualTo(1);
            assertThat(first.path("presenceMembers").asInt()).isZero();
            assertThat(first.has("objectPublishers")).isTrue();
            try (NodeScript member = NodeScript.start(
                    "presence.js",
                    Map.of(
                            "port", server.port(),
                            "binary", f.binary(),
                            "key", server.full.keyString(),
                            "clientId", "occ-bob",
                            "channel", channel))) {
                member.await("ready", NodeScript.STARTUP);
                JsonNode two = occupancy(watcher, m -> m.path("connections").asInt() == 2);
                assertThat(two.path("presenceConnections").asInt()).isEqualTo(2);
                member.send(Map.of("cmd", "enter", "data", "hi"));
                member.await("ack", WAIT);
                occupancy(watcher, m -> m.path("presenceMembers").asInt() == 1);

                watcher.send(Map.of("cmd", "status"));
                JsonNode details = watcher.await("status", WAIT).path("details");
                assertThat(details.path("channelId").asText()).isEqualTo(channel);
                assertThat(details.path("status").path("isActive").asBoolean()).isTrue();
                JsonNode metrics = details.path("status").path("occupancy").path("metrics");
                assertThat(metrics.path("connections").asInt()).isEqualTo(2);
                assertThat(metrics.path("presenceMembers").asInt()).isEqualTo(1);

                member.send(Map.of("cmd", "end"));
                member.result(WAIT);
            }
            occupancy(
                    watcher,
                    m -> m.path("connections").asInt() == 1
                            && m.path("presenceMembers").asInt() == 0);
            watcher.send(Map.of("cmd", "end"));
            watcher.result(WAIT);
        }
    }

    @Test
    void occupancyParamForOneCategory_sendsOnlyThatCategory() {
        String channel = "chat:occupancy-one";
        try (NodeScript watcher = NodeScript.start(
                "occupancy.js", input(WireFormat.JSON, server.full.keyString(), channel, "metrics.subscribers"))) {
            watcher.await("ready", NodeScript.STARTUP);
            JsonNode m = occupancy(watcher, x -> x.path("subscribers").asInt() == 1);
            assertThat(m.size()).isEqualTo(1);
            watcher.send(Map.of("cmd", "end"));
            watcher.result(WAIT);
        }
    }

    @Test
    void enumeration_listsActiveChannelsByPrefixWithPagingAndByValue() {
        List<NodeScript> holders = new ArrayList<>();
        try {
            for (String n : List.of("enum:a", "enum:b", "enum:c", "other:x")) {
                NodeScript h =
                        NodeScript.start("occupancy.js", input(WireFormat.JSON, server.full.keyString(), n, "metrics"));
                holders.add(h);
                h.await("ready", NodeScript.STARTUP);
            }
            NodeScript w = holders.get(0);
            w.send(Map.of("cmd", "list", "params", Map.of("prefix", "enum:", "limit", "2")));
            JsonNode list = w.await("list", WAIT);
            List<String> names = new ArrayList<>();
            list.path("items").forEach(n -> names.add(n.asText()));
            list.path("pages").forEach(p -> p.forEach(n -> names.add(n.asText())));
            assertThat(names).containsExactly("enum:a", "enum:b", "enum:c");
            assertThat(list.path("items").size()).isEqualTo(2);

            w.send(Map.of("cmd", "list", "params", Map.of("prefix", "enum:b", "by", "value")));
            JsonNode byValue = w.await("list", WAIT).path("items");
            assertThat(byValue.size()).isEqualTo(1);
            assertThat(byValue.get(0).path("channelId").asText()).isEqualTo("enum:b");
            assertThat(byValue.get(0)
                            .path("status")
                            .path("occupancy")
                            .path("metrics")
                            .path("connections")
                            .asInt())
                    .isEqualTo(1);
            for (NodeScript h : holders) {
                h.send(Map.of("cmd", "end"));
                h.result(WAIT);
            }
        } finally {
            holders.forEach(NodeScript::close);
        }
        Http.Response after = Http.get(server.uri("/channels?prefix=enum:"), "Authorization", Http.basic(server.full));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().size()).as(after.text()).isZero();
    }

    @Test
    void withoutChannelMetadata_orWithBadParams_clientsGetAblyErrors() {
        try (NodeScript denied = NodeScript.start(
                "occupancy.js", input(WireFormat.JSON, server.limited.keyString(), "chat:occ-denied", "metrics"))) {
            JsonNode failed = denied.await("attachFailed", NodeScript.STARTUP);
            assertThat(failed.path("error").path("code").asInt()).isEqualTo(40160);
        }
        try (NodeScript bad = NodeScript.start(
                "occupancy.js", input(WireFormat.JSON, server.full.keyString(), "chat:occ-bad", "metrics.bogus"))) {
            JsonNode failed = bad.await("attachFailed", NodeScript.STARTUP);
            assertThat(failed.path("error").path("code").asInt()).isEqualTo(40030);
        }
        String limited = Http.basic(server.limited);
        String full = Http.basic(server.full);
        assertError(Http.get(server.uri("/channels"), "Authorization", limited), 401, 40160);
        assertError(Http.get(server.uri("/channels/chat:x"), "Authorization", limited), 401, 40160);
        for (String q : List.of("limit=0", "limit=1001", "limit=abc", "limit=-1", "by=name", "by=")) {
            assertError(Http.get(server.uri("/channels?" + q), "Authorization", full), 400, 40003);
        }
        assertError(Http.get(server.uri("/channels?prefix=" + "x".repeat(3000)), "Authorization", full), 400, 40003);
        assertError(Http.get(server.uri("/channels")), 401, 40101, 40100);
    }

    private static void assertError(Http.Response r, int status, int... codes) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().path("error").path("code").asInt()).as(r.toString()).isIn(toList(codes));
    }

    private static List<Integer> toList(int[] codes) {
        List<Integer> out = new ArrayList<>();
        for (int c : codes) {
            out.add(c);
        }
        return out;
    }
}
