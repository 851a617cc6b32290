package io.herald.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.SpacesIT;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.NodeScript;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code @ably/spaces} with its two members on two Redis-engine nodes: the scenario of SpacesIT, across the nodes. */
class SpacesClusterIT {
    private static Cluster cluster;
    private static HeraldProcess a;
    private static HeraldProcess b;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster("");
        a = cluster.start("spaces-a");
        b = cluster.start("spaces-b");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void membersOnTwoNodes_shareMembersLocationsLocksAndCursors(boolean binary) {
        JsonNode r = NodeScript.run(
                "spaces.js",
                Map.of(
                        "port", a.port,
                        "portB", b.port,
                        "binary", binary,
                        "key", Cluster.KEY,
                        "space", "deck-" + binary),
                Duration.ofSeconds(100));
        SpacesIT.assertSpacesWorked(r);
    }
}
