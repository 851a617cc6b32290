package io.herald.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.OccupancyCounts;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lifecycle events on {@code [meta]channel.lifecycle} (docs/protocol.md §6.5), over the in-memory engine. */
class ChannelLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OccupancyCounts ONE = new OccupancyCounts(1, 1, 1, 0, 1, 0, 0);
    private static final OccupancyCounts TWO = new OccupancyCounts(2, 2, 2, 0, 2, 0, 0);

    private final MemoryEngine engine = new MemoryEngine(new EngineContext(
            new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of()),
            Clock.systemUTC(),
            "n1",
            Map.of()));
    private final BlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
    private final ChannelLifecycle lifecycle = new ChannelLifecycle(
            engine.broker(), engine.occupancy(), engine.presence(), Clock.systemUTC(), "node-a", Duration.ofMinutes(2));
    private final ChannelId meta = new ChannelId("app", ChannelLifecycle.CHANNEL);
    private final ChannelId room = new ChannelId("app", "room");

    ChannelLifecycleTest() throws Exception {
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                events.add(event);
            }

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        await(engine.broker().subscribe(meta));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void transition(OccupancyCounts reported, OccupancyCounts local, boolean active) throws Exception {
        await(lifecycle.transition(room, local, active, engine.occupancy().report(room, reported)));
    }

    /** The next event's message name and its ChannelDetails. */
    private Map.Entry<String, JsonNode> next() throws Exception {
        ChannelEvent e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        assertThat(e.channel()).isEqualTo(meta);
        Message m = e.message().messages.get(0);
        if (!"json".equals(m.encoding)) {
            return Map.entry(m.name, JSON.nullNode());
        }
        return Map.entry(m.name, JSON.readTree((String) m.data));
    }

    private List<String> names(int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next().getKey());
        }
        return out;
    }

    @Test
    void firstAttachment_opensTheChannel_thenTheRegion_andTheLastClosesBoth() throws Exception {
        transition(ONE, ONE, true);
        Map.Entry<String, JsonNode> opened = next();
        assertThat(opened.getKey()).isEqualTo("channel.opened");
        assertThat(opened.getValue().get("channelId").asText()).isEqualTo("room");
        assertThat(opened.getValue().has("region")).isFalse();
        assertThat(opened.getValue().at("/status/isActive").asBoolean()).isTrue();
        assertThat(opened.getValue().at("/status/occupancy/metrics/connections").asInt())
                .isEqualTo(1);
        Map.Entry<String, JsonNode> region = next();
        assertThat(region.getKey()).isEqualTo("channel.region.active");
        assertThat(region.getValue().get("region").asText()).isEqualTo("node-a");

        transition(OccupancyCounts.ZERO, OccupancyCounts.ZERO, false);
        Map.Entry<String, JsonNode> inactive = next();
        assertThat(inactive.getKey()).isEqualTo("channel.region.inactive");
        assertThat(inactive.getValue().at("/status/isActive").asBoolean()).isFalse();
        Map.Entry<String, JsonNode> closed = next();
        assertThat(closed.getKey()).isEqualTo("channel.closed");
        assertThat(closed.getValue().at("/status/occupancy/metrics/connections").asInt())
                .isZero();
    }

    @Test
    void whileAnotherNodeHoldsTheChannel_onlyRegionEventsAreSent() throws Exception {
        // the engine counts two connections, one of them this node's: another node has the channel active
        transition(TWO, ONE, true);
        transition(ONE, OccupancyCounts.ZERO, false);
        assertThat(names(2)).containsExactly("channel.region.active", "channel.region.inactive");
        assertNothingMore();
    }

    @Test
    void occupancyChange_publishesChannelOccupancyWithTheClusterWideCounts() throws Exception {
        await(lifecycle.occupancy(room, engine.occupancy().report(room, TWO)));
        Map.Entry<String, JsonNode> e = next();
        assertThat(e.getKey()).isEqualTo("channel.occupancy");
        assertThat(e.getValue().has("region")).isFalse();
        assertThat(e.getValue().at("/status/isActive").asBoolean()).isTrue();
        assertThat(e.getValue().at("/status/occupancy/metrics/connections").asInt())
                .isEqualTo(2);
        ChannelId other = new ChannelId("app", "[meta]x");
        await(lifecycle.occupancy(other, engine.occupancy().report(other, ONE)));
        assertNothingMore();
    }

    @Test
    void metachannels_haveNoLifecycleEvents() throws Exception {
        ChannelId other = new ChannelId("app", "[meta]log");
        await(lifecycle.transition(other, ONE, true, engine.occupancy().report(other, ONE)));
        assertNothingMore();
        assertThat(ChannelLifecycle.isMeta("[meta]x")).isTrue();
        assertThat(ChannelLifecycle.isMeta("meta")).isFalse();
    }

    /** Publishes a marker on the metachannel: it must be the next event, so nothing else was published before it. */
    private void assertNothingMore() throws Exception {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, meta.name());
        pm.messages = new ArrayList<>(List.of(new Message("marker", "x")));
        await(engine.broker().publish(new PublishRequest(meta, pm, Duration.ofMinutes(1), false)));
        assertThat(next().getKey()).isEqualTo("marker");
    }
}
