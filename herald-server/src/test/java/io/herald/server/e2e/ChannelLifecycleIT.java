package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Channel lifecycle events with ably-js 2.26 (docs/protocol.md §6.5): a watcher on {@code [meta]channel.lifecycle}
 * sees a channel open, become active on the node, change occupancy when a third client comes and goes, become
 * inactive and close as another client attaches and detaches;
 * clients cannot publish or enter presence on the metachannel (40160). Each case runs on the in-memory engine and on
 * the Redis engine (a redis-server of its own), in JSON and msgpack.
 */
class ChannelLifecycleIT {
    @RegisterExtension
    static final TestServer memory = TestServer.perClass("");

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void attachAndDetach_openActivateDeactivateClose_andTheMetachannelIsReadOnly(TestServer server, WireFormat f)
            throws Exception {
        String channel = "life-" + server.engine() + "-" + f;
        JsonNode r = NodeScript.run(
                "lifecycle.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "key",
                        server.everything.keyString(),
                        "channel",
                        channel,
                        "second",
                        true),
                Duration.ofSeconds(60));
        JsonNode events = r.path("events");
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.path("name").asText()));
        assertThat(names)
                .containsExactly(
                        "channel.opened",
                        "channel.region.active",
                        "channel.occupancy",
                        "channel.region.inactive",
                        "channel.closed");
        assertThat(events.get(0).path("isActive").asBoolean()).isTrue();
        assertThat(events.get(0).path("connections").asInt()).isEqualTo(1);
        assertThat(events.get(1).path("region").asText()).isEqualTo("it-node");
        assertThat(events.get(2).path("connections").asInt())
                .as("a second attach")
                .isEqualTo(2);
        assertThat(events.get(2).path("region").asText("")).isEmpty();
        assertThat(events.get(3).path("isActive").asBoolean()).isFalse();
        assertThat(events.get(4).path("connections").asInt()).isZero();
        assertThat(r.path("publishRefused").asInt()).isEqualTo(40160);
        assertThat(r.path("enterRefused").asInt()).isEqualTo(40160);
    }
}
