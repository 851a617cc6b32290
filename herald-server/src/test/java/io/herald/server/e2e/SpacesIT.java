package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code @ably/spaces} 0.5.2 over Herald's presence and channels (docs/protocol.md §8.4): members enter and see each
 * other, a profile update, locations, one lock requested by both members at once (both agree on one holder, a later
 * request is refused with Spaces' 101003, release and re-acquire), cursors and a leave, over JSON and msgpack on the
 * in-memory and the Redis engine. SpacesClusterIT runs the same scenario with the two members on two nodes.
 */
public class SpacesIT {
    @RegisterExtension
    static final TestServer memory = TestServer.perClass();

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablySpaces_membersLocationsLocksCursors(TestServer server, WireFormat f) {
        JsonNode r = NodeScript.run(
                "spaces.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", server.full.keyString(),
                        "space", "deck-" + f),
                Duration.ofSeconds(100));
        assertSpacesWorked(r);
    }

    /** What spaces.js must have seen, on one node or two. */
    public static void assertSpacesWorked(JsonNode r) {
        assertThat(r.path("enteredProfile").toString()).isEqualTo("{\"name\":\"Alice\"}");
        assertThat(r.path("membersA").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(r.path("membersB").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(r.path("selfB").toString()).isEqualTo("{\"name\":\"Bob\"}");
        assertThat(r.path("updatedProfile").toString()).isEqualTo("{\"name\":\"Alice A.\",\"colour\":\"teal\"}");
        assertThat(r.path("location").toString()).isEqualTo("{\"current\":{\"slide\":2},\"previous\":{\"slide\":1}}");
        assertThat(r.path("locationsB").path("alice").toString()).isEqualTo("{\"slide\":2}");

        assertThat(r.path("acquireResults").toString()).isEqualTo("[\"pending\",\"pending\"]");
        String holder = r.path("holder").asText();
        assertThat(holder).isIn("alice", "bob");
        assertThat(r.path("holderSelfLocks").toString()).isEqualTo("[\"slide-2\"]");
        assertThat(r.path("otherSelfLocks").toString()).isEqualTo("[]");
        JsonNode contended = r.path("contended");
        assertThat(contended.path("requested").asText()).isEqualTo("pending");
        assertThat(contended.path("status").asText()).isEqualTo("unlocked");
        assertThat(contended.path("reason").path("code").asInt())
                .as(contended.toString())
                .isEqualTo(101003);
        assertThat(contended.path("stillHeldBy").asText()).isEqualTo(holder);
        String other = holder.equals("alice") ? "bob" : "alice";
        assertThat(r.path("reacquired").path("by").asText()).isEqualTo(other);
        assertThat(r.path("reacquired").path("status").asText()).isEqualTo("locked");

        JsonNode cursor = r.path("cursor");
        assertThat(cursor.path("clientId").asText()).isEqualTo("alice");
        assertThat(cursor.path("position").toString()).isEqualTo("{\"x\":30,\"y\":60}");
        assertThat(cursor.path("data").toString()).isEqualTo("{\"colour\":\"teal\"}");
        assertThat(cursor.path("connectionMatches").asBoolean()).isTrue();
        assertThat(r.path("cursorAll").toString()).contains("\"alice\"");

        assertThat(r.path("left").path("clientId").asText()).isEqualTo("alice");
        assertThat(r.path("left").path("isConnected").asBoolean()).isFalse();
    }
}
