package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.WireFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LiveObjects across two Herald nodes on one real Redis (docs/liveobjects.md, "On the Redis engine"), with the
 * official ably-js and its LiveObjects plugin: a client on each node edits one map and one counter at the same time,
 * both converge, and a late joiner on either node syncs the whole tree from its own node.
 */
class LiveObjectsClusterIT {
    private static RedisServerProcess redis;
    private static HeraldServer a;
    private static HeraldServer b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        Path file = Files.createTempFile("herald-lo-cluster-", ".yaml");
        try {
            Files.writeString(
                    file,
                    "drainSeconds: 0\napps:\n  - id: cluster\n    keys:\n      - key: \"" + Cluster.KEY + "\"\n",
                    StandardCharsets.UTF_8);
            a = HeraldServer.start(ConfigLoader.load(
                    file,
                    new ConfigLoader.Overrides(0, "127.0.0.1", "redis", redis.uri(), null, null, "lo-node-a"),
                    Map.of()));
            b = HeraldServer.start(ConfigLoader.load(
                    file,
                    new ConfigLoader.Overrides(0, "127.0.0.1", "redis", redis.uri(), null, null, "lo-node-b"),
                    Map.of()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_writersOnTwoNodesConverge_lateJoinersOnEitherNodeSync(WireFormat f) throws Exception {
        JsonNode r = NodeScript.run(
                "liveobjects-cluster.js",
                Map.of(
                        "ports",
                        List.of(a.port(), b.port()),
                        "binary",
                        f.binary(),
                        "key",
                        Cluster.KEY,
                        "channel",
                        "objects-" + f),
                Duration.ofSeconds(90));
        JsonNode alice = r.path("alice");
        assertThat(alice.path("score").asInt())
                .isEqualTo(r.path("expected").asInt())
                .isEqualTo(85);
        assertThat(alice.at("/profile/tags/a").toString()).isEqualTo("[1,2]");
        assertThat(alice.at("/profile/byAlice/bytes").toString()).isEqualTo("[1,2,3]");
        assertThat(alice.at("/profile/byBob").asBoolean()).isTrue();
        assertThat(alice.at("/profile/color").asText()).isIn("red", "blue");
        assertThat(alice.at("/profile").has("name")).as("removed by bob").isFalse();
        assertThat(r.path("bob")).isEqualTo(alice);
        assertThat(r.path("carol")).as("late joiner on node a").isEqualTo(alice);
        assertThat(r.path("dave")).as("late joiner on node b").isEqualTo(alice);
    }
}
