package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Occupancy across two nodes on Redis (docs/protocol.md §6.4): a watcher on node A sees a member that attached and
 * entered on node B, and both nodes answer the same status and enumeration; a lifecycle watcher on node A sees a
 * channel that only node B holds open and close (§6.5).
 */
class OccupancyClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static RedisServerProcess redis;
    private static HeraldProcess a;
    private static HeraldProcess b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        Path dir = Files.createDirectories(Path.of("target", "cluster-logs"));
        Path config = Files.createTempFile(dir, "herald-occupancy-", ".yaml");
        Files.writeString(config, """
                timings:
                  occupancyInterval: 300ms
                apps:
                  - id: cluster
                    keys:
                      - key: %s
                        capability: '{"[*]*":["*"]}'
                """.formatted(Cluster.KEY));
        a = HeraldProcess.redis("occ-a", RedisServerProcess.freePort(), redis.uri(), config);
        b = HeraldProcess.redis("occ-b", RedisServerProcess.freePort(), redis.uri(), config);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private static String auth() {
        return "Basic " + Base64.getEncoder().encodeToString(Cluster.KEY.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode occupancy(NodeScript watcher, java.util.function.Predicate<JsonNode> metrics) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode m = watcher.await("occupancy", WAIT).path("data").path("metrics");
            seen.add(m);
            if (metrics.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no matching occupancy event; saw " + seen);
    }

    @Test
    void channelActiveOnlyOnNodeB_opensAndClosesForALifecycleWatcherOnNodeA() throws Exception {
        JsonNode r = NodeScript.run(
                "lifecycle.js",
                Map.of(
                        "port", a.port,
                        "otherPort", b.port,
                        "binary", false,
                        "key", Cluster.KEY,
                        "channel", "life:cluster"),
                Duration.ofSeconds(60));
        List<String> names = new ArrayList<>();
        r.path("events")
                .forEach(e -> names.add(
                        e.path("name").asText() + "@" + e.path("region").asText("")));
        assertThat(names)
                .containsExactly(
                        "channel.opened@",
                        "channel.region.active@occ-b",
                        "channel.region.inactive@occ-b",
                        "channel.closed@");
    }

    @Test
    void memberOnNodeB_isCountedByWatcherOnNodeA_andBothNodesAgree() {
        String channel = "room:occupancy";
        try (NodeScript watcher = NodeScript.start(
                        "occupancy.js",
                        Map.of("port", a.port, "binary", false, "key", Cluster.KEY, "channel", channel));
                NodeScript member = NodeScript.start(
                        "presence.js",
                        Map.of(
                                "port",
                                b.port,
                                "binary",
                                true,
                                "key",
                                Cluster.KEY,
                                "clientId",
                                "bob",
                                "channel",
                                channel))) {
            watcher.await("ready", NodeScript.STARTUP);
            member.await("ready", NodeScript.STARTUP);
            occupancy(watcher, m -> m.path("connections").asInt() == 2);
            member.send(Map.of("cmd", "enter", "data", "hi"));
            member.await("ack", WAIT);
            occupancy(
                    watcher,
                    m -> m.path("connections").asInt() == 2
                            && m.path("presenceMembers").asInt() == 1);

            for (HeraldProcess node : List.of(a, b)) {
                Http.Response status = Http.get(node.uri("/channels/" + channel), "Authorization", auth());
                assertThat(status.status()).as(status.toString()).isEqualTo(200);
                JsonNode metrics =
                        status.json().path("status").path("occupancy").path("metrics");
                assertThat(metrics.path("connections").asInt()).as(node.id).isEqualTo(2);
                assertThat(metrics.path("subscribers").asInt()).as(node.id).isEqualTo(2);
                assertThat(metrics.path("presenceMembers").asInt()).as(node.id).isEqualTo(1);
                Http.Response list = Http.get(node.uri("/channels?prefix=room:"), "Authorization", auth());
                assertThat(list.status()).as(list.toString()).isEqualTo(200);
                assertThat(list.json().toString()).as(node.id).isEqualTo("[\"room:occupancy\"]");
            }

            member.send(Map.of("cmd", "end"));
            member.result(WAIT);
            occupancy(
                    watcher,
                    m -> m.path("connections").asInt() == 1
                            && m.path("presenceMembers").asInt() == 0);
            watcher.send(Map.of("cmd", "end"));
            watcher.result(WAIT);
        }
    }
}
