package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.core.HeraldNode;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import io.herald.core.testing.RecordingTransport;
import io.herald.core.testing.TestLimits;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's inbound limits, driven on a manual loop and an explicit clock (no timing): messages are counted
 * per message by a token bucket (rate + burst once, then the rate, also across second boundaries), frames carry a
 * bounded number of messages, control frames are rate-limited, and presence UPDATE counts against the member cap.
 */
class InboundLimitsTest {
    private static final long T0 = 1_800_000_000_500L;
    private final MutableClock clock = new MutableClock(T0);
    private final ManualLoop loop = new ManualLoop(clock);
    private final ApiKey key = ApiKey.generate("app");
    private HeraldNode node;
    private RecordingTransport transport;
    private ConnectionHandler handler;
    private long msgSerial;

    private void start(Limits limits) {
        AppConfig app = new AppConfig("app", List.of(KeyConfig.fullAccess(key)), List.of(), List.of());
        CoreConfig cfg = new CoreConfig("test-node", limits, Timings.DEFAULTS, false, List.of(app));
        node = new HeraldNode(cfg, new MemoryEngine(new EngineContext(cfg, clock, "n1", Map.of())), clock, null);
        node.start();
        transport = new RecordingTransport(Format.MSGPACK);
        handler = node.connect(transport, loop, Map.of("key", key.keyString(), "format", "msgpack"));
        loop.runPending();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static Limits limits(int presenceMembers, int controlRate, int controlBurst) {
        return TestLimits.session(
                Limits.DEFAULTS.maxChannelsPerConnection(),
                presenceMembers,
                Limits.DEFAULTS.maxMessagesPerProtocolMessage(),
                controlRate,
                controlBurst);
    }

    private void send(ProtocolMessage pm) {
        handler.onMessage(pm);
        loop.runPending();
    }

    private long publish(int messages) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "rate");
        pm.msgSerial = msgSerial++;
        pm.messages = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            pm.messages.add(new Message("n", "d"));
        }
        send(pm);
        return pm.msgSerial;
    }

    private List<ProtocolMessage> of(int action) {
        return transport.sent().stream().filter(p -> p.action == action).toList();
    }

    private int acksSince(int before) {
        return of(Action.ACK).size() - before;
    }

    @Test
    void messages_atASecondBoundary_bucketRefillsTheRateNotRatePlusBurst() {
        start(Limits.DEFAULTS);
        send(ProtocolMessage.of(Action.ATTACH, "rate"));
        for (int i = 0; i < 510; i++) {
            publish(1);
        }
        assertThat(of(Action.ACK)).hasSize(500);
        assertThat(of(Action.NACK))
                .hasSize(10)
                .allSatisfy(n -> assertThat(n.error.code()).isEqualTo(42911));
        clock.set(T0 + 1_000);
        int acks = of(Action.ACK).size();
        for (int i = 0; i < 500; i++) {
            publish(1);
        }
        assertThat(acksSince(acks)).as("one second refills 250 tokens").isEqualTo(250);
    }

    @Test
    void messages_areCountedPerMessage_notPerFrame() {
        start(Limits.DEFAULTS);
        publish(300);
        publish(300);
        assertThat(of(Action.ACK)).hasSize(1);
        assertThat(of(Action.NACK))
                .singleElement()
                .satisfies(n -> assertThat(n.error.code()).isEqualTo(42911));
    }

    @Test
    void frameWithTooManyMessages_nackedWith40009_connectionStays() {
        start(Limits.DEFAULTS);
        publish(1_001);
        assertThat(of(Action.NACK)).singleElement().satisfies(n -> {
            assertThat(n.error.code()).isEqualTo(40009);
            assertThat(n.error.message()).contains("Too many messages").contains("1000");
        });
        publish(1);
        assertThat(of(Action.ACK)).hasSize(1);
        assertThat(of(Action.DISCONNECTED)).isEmpty();
    }

    @Test
    void controlFrames_floodIsLimited_thenDisconnected() {
        start(limits(200, 5, 5));
        for (int i = 0; i < 20; i++) {
            ProtocolMessage hb = new ProtocolMessage(Action.HEARTBEAT);
            send(hb);
        }
        assertThat(of(Action.HEARTBEAT)).as("rate + burst heartbeats answered").hasSize(10);
        send(ProtocolMessage.of(Action.ATTACH, "flooded"));
        assertThat(of(Action.ERROR)).singleElement().satisfies(e -> {
            assertThat(e.channel).isEqualTo("flooded");
            assertThat(e.error.code()).isEqualTo(42910);
            assertThat(e.error.message()).contains("Rate limit exceeded").contains("ATTACH");
        });
        assertThat(of(Action.ATTACHED)).isEmpty();
        for (int i = 0; i < 60; i++) {
            send(ProtocolMessage.of(Action.ATTACH, "flooded"));
        }
        assertThat(of(Action.DISCONNECTED))
                .singleElement()
                .satisfies(d -> assertThat(d.error.code()).isEqualTo(42920));
    }

    @Test
    void controlFrames_refillOverTime() {
        start(limits(200, 5, 0));
        for (int i = 0; i < 5; i++) {
            send(new ProtocolMessage(Action.HEARTBEAT));
        }
        send(ProtocolMessage.of(Action.ATTACH, "later"));
        assertThat(of(Action.ATTACHED)).isEmpty();
        clock.set(T0 + 200);
        send(ProtocolMessage.of(Action.ATTACH, "later"));
        assertThat(of(Action.ATTACHED)).hasSize(1);
    }

    @Test
    void presenceUpdate_ofANewMember_countsAgainstTheMemberCap() {
        start(limits(3, 50, 1_000));
        send(ProtocolMessage.of(Action.ATTACH, "room"));
        for (int i = 0; i < 5; i++) {
            ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, "room");
            pm.msgSerial = msgSerial++;
            PresenceMessage p = new PresenceMessage();
            p.action = PresenceMessage.UPDATE;
            p.clientId = "member-" + i;
            pm.presence = new ArrayList<>(List.of(p));
            send(pm);
        }
        assertThat(of(Action.ACK)).hasSize(3);
        assertThat(of(Action.NACK))
                .hasSize(2)
                .allSatisfy(n -> assertThat(n.error.code()).isEqualTo(91003));
    }
}
