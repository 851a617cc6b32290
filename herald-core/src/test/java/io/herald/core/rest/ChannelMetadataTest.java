package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.testing.Eventually;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Occupancy on one node (docs/protocol.md §6.4, §10.5): {@code [meta]occupancy} events to attachments that asked for
 * them, channel status and enumeration over REST, and the capability and parameter checks.
 */
class ChannelMetadataTest {
    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey subscriber = ApiKey.generate("app");
    private final TestNode t = new TestNode(new CoreConfig(
            TestNode.SERVER_ID,
            Limits.DEFAULTS,
            Timings.DEFAULTS.withOccupancyInterval(INTERVAL),
            false,
            List.of(new AppConfig(
                    "app",
                    List.of(
                            KeyConfig.fullAccess(key),
                            new KeyConfig(subscriber, Capability.parse("{\"chat:*\":[\"subscribe\"]}"), false))))));

    @AfterEach
    void close() {
        t.close();
    }

    private Response get(String path) {
        return t.get(path).basic(key).send();
    }

    private JsonNode metricsOf(String channel) {
        Response r = get("/channels/" + channel);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("status").path("occupancy").path("metrics");
    }

    private void awaitConnections(String channel, int n) {
        Eventually.await(
                () -> channel + " has " + n + " connections, has " + metricsOf(channel),
                Duration.ofSeconds(10),
                () -> metricsOf(channel).path("connections").asInt() == n);
    }

    private static void attach(TestNode.Client c, String channel, String occupancy) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, channel);
        pm.params = Map.of("occupancy", occupancy);
        c.send(pm);
    }

    /** Waits (running the loop, moving the clock by an interval each time) for an occupancy event that matches. */
    private JsonNode occupancy(TestNode.Client c, Predicate<JsonNode> wanted) {
        List<JsonNode> seen = new ArrayList<>();
        JsonNode[] found = new JsonNode[1];
        Eventually.await(() -> "an occupancy event that matches; saw " + seen, Duration.ofSeconds(10), () -> {
            t.clock.advance(INTERVAL);
            t.loop.runPending();
            for (ProtocolMessage pm : c.transport.drain()) {
                if (pm.action != Action.MESSAGE || pm.messages == null) {
                    continue;
                }
                for (Message m : pm.messages) {
                    if (!"[meta]occupancy".equals(m.name)) {
                        continue;
                    }
                    assertThat(m.encoding).isEqualTo("json");
                    JsonNode metrics = parse((String) m.data).path("metrics");
                    seen.add(metrics);
                    if (found[0] == null && wanted.test(metrics)) {
                        found[0] = metrics;
                    }
                }
            }
            return found[0] != null;
        });
        return found[0];
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void occupancyEvents_firstAtAttach_thenAsOthersAttachEnterAndLeave() {
        TestNode.Client watcher = t.connect(Map.of("key", key.keyString()));
        attach(watcher, "room", "metrics");
        JsonNode first = occupancy(watcher, m -> m.path("connections").asInt() == 1);
        assertThat(first.size()).isEqualTo(8);
        assertThat(first.path("publishers").asInt()).isEqualTo(1);

        TestNode.Client other = t.connect(Map.of("key", key.keyString(), "clientId", "bob"));
        other.attach("room");
        occupancy(watcher, m -> m.path("connections").asInt() == 2);
        other.enter("room", "hi");
        occupancy(watcher, m -> m.path("presenceMembers").asInt() == 1);
        other.send(ProtocolMessage.of(Action.DETACH, "room"));
        occupancy(
                watcher,
                m -> m.path("connections").asInt() == 1
                        && m.path("presenceMembers").asInt() == 0);

        TestNode.Client one = t.connect(Map.of("key", key.keyString()));
        attach(one, "room", "metrics.presenceMembers");
        JsonNode only = occupancy(one, m -> true);
        assertThat(only.size()).isEqualTo(1);
        assertThat(only.path("presenceMembers").asInt()).isZero();
    }

    @Test
    void occupancyParam_withoutChannelMetadata_or_invalid_isAChannelError() {
        TestNode.Client c = t.connect(Map.of("key", subscriber.keyString()));
        attach(c, "chat:a", "metrics");
        assertThat(c.of(Action.ERROR).get(0).error.code()).isEqualTo(40160);
        TestNode.Client d = t.connect(Map.of("key", key.keyString()));
        attach(d, "chat:b", "everything");
        assertThat(d.of(Action.ERROR).get(0).error.code()).isEqualTo(40030);
        assertThat(d.of(Action.ATTACHED)).isEmpty();
    }

    @Test
    void status_andEnumeration_countAttachmentsAndPageByName() {
        List<TestNode.Client> clients = new ArrayList<>();
        for (String n : List.of("room:c", "room:a", "room:b", "zzz")) {
            TestNode.Client c = t.connect(Map.of("key", key.keyString()));
            c.attach(n);
            clients.add(c);
        }
        for (String n : List.of("room:a", "room:b", "room:c", "zzz")) {
            awaitConnections(n, 1);
        }
        JsonNode status = get("/channels/room:a").json();
        assertThat(status.path("channelId").asText()).isEqualTo("room:a");
        assertThat(status.path("status").path("isActive").asBoolean()).isTrue();
        JsonNode idle = get("/channels/nobody").json().path("status");
        assertThat(idle.path("isActive").asBoolean()).isFalse();
        assertThat(idle.path("occupancy").path("metrics").path("connections").asInt())
                .isZero();

        Response all = get("/channels");
        assertThat(all.json().toString()).isEqualTo("[\"room:a\",\"room:b\",\"room:c\",\"zzz\"]");
        assertThat(all.link("next")).isNull();

        List<String> names = new ArrayList<>();
        Response page = t.get("/channels")
                .query("prefix", "room:")
                .query("limit", "2")
                .basic(key)
                .send();
        page.json().forEach(n -> names.add(n.asText()));
        String next = page.link("next");
        assertThat(next).contains("prefix=room%3A", "limit=2", "by=id", "cursor=room%3Ab");
        Response rest = t.get("/channels").queryString(next).basic(key).send();
        rest.json().forEach(n -> names.add(n.asText()));
        assertThat(names).containsExactly("room:a", "room:b", "room:c");

        JsonNode byValue = t.get("/channels")
                .query("prefix", "zz")
                .query("by", "value")
                .basic(key)
                .send()
                .json();
        assertThat(byValue.size()).isEqualTo(1);
        assertThat(byValue.get(0)
                        .path("status")
                        .path("occupancy")
                        .path("metrics")
                        .path("subscribers")
                        .asInt())
                .isEqualTo(1);
        JsonNode v2 = t.get("/channels")
                .query("prefix", "zz")
                .header("X-Ably-Version", "2")
                .basic(key)
                .send()
                .json();
        assertThat(v2.get(0).path("channelId").asText()).isEqualTo("zzz");

        clients.get(3).send(ProtocolMessage.of(Action.DETACH, "zzz"));
        awaitConnections("zzz", 0);
        assertThat(t.get("/channels")
                        .query("prefix", "zz")
                        .basic(key)
                        .send()
                        .json()
                        .size())
                .isZero();
    }

    @Test
    void badInput_andMissingCapability_getAblyErrors() {
        for (String[] q : List.of(
                new String[] {"limit", "0"},
                new String[] {"limit", "1001"},
                new String[] {"limit", "x"},
                new String[] {"by", "name"},
                new String[] {"prefix", "p".repeat(3000)},
                new String[] {"cursor", "c".repeat(3000)})) {
            Response r = t.get("/channels").query(q[0], q[1]).basic(key).send();
            assertThat(r.status()).as(q[0]).isEqualTo(400);
            assertThat(r.errorCode()).as(q[0]).isEqualTo(40003);
        }
        Response denied = t.get("/channels").basic(subscriber).send();
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.errorCode()).isEqualTo(40160);
        assertThat(denied.errorMessage()).contains("channel-metadata");
        assertThat(t.get("/channels/chat:a").basic(subscriber).send().errorCode())
                .isEqualTo(40160);
        assertThat(t.get("/channels/").basic(key).send().errorCode()).isEqualTo(40010);
        assertThat(t.get("/channels").send().status()).isEqualTo(401);
    }
}
