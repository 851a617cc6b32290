package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.testing.TestLimits;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's frames through a real session's handler (no socket): where each goes, which refusals stay on a channel
 * and which end the connection, and the inbound limits.
 */
class InboundTest {
    private final ApiKey key = ApiKey.generate("app");
    private SessionRig rig = rig(Limits.DEFAULTS);

    private SessionRig rig(Limits limits) {
        return new SessionRig(List.of(new AppConfig("app", List.of(KeyConfig.fullAccess(key)))), limits);
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private SessionRig.Client client() {
        SessionRig.Client c = rig.connect(Map.of("key", key.keyString()));
        c.transport.drain();
        return c;
    }

    private static Limits limits(int maxMessagesPerFrame, int controlRate, int controlBurst) {
        return TestLimits.session(
                Limits.DEFAULTS.maxChannelsPerConnection(),
                Limits.DEFAULTS.maxPresenceMembers(),
                maxMessagesPerFrame,
                controlRate,
                controlBurst);
    }

    @Test
    void heartbeat_isAnsweredWithItsId() {
        SessionRig.Client c = client();
        ProtocolMessage hb = new ProtocolMessage(Action.HEARTBEAT);
        hb.id = "x1";
        c.send(hb);
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.HEARTBEAT);
            assertThat(pm.id).isEqualTo("x1");
        });
    }

    @Test
    void unexpectedAction_failsTheConnectionWith40000() {
        SessionRig.Client c = client();
        c.send(new ProtocolMessage(Action.CONNECTED));
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.ERROR);
            assertThat(pm.error.code()).isEqualTo(40000);
            assertThat(pm.error.message()).contains("CONNECTED");
        });
        assertThat(c.transport.isOpen()).isFalse();
        assertThat(c.session.isClosed()).isTrue();
    }

    @Test
    void refusalOnAChannel_isAChannelError_andTheConnectionStays() {
        SessionRig.Client c = client();
        ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, "room");
        attach.params = Map.of("rewind", "lots");
        c.send(attach);
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.ERROR);
            assertThat(pm.channel).isEqualTo("room");
            assertThat(pm.error.code()).isEqualTo(40030);
        });
        assertThat(c.transport.isOpen()).isTrue();
        assertThat(c.session.isConnected()).isTrue();
    }

    @Test
    void refusalWithoutAChannel_failsTheConnection() {
        SessionRig.Client c = client();
        c.send(new ProtocolMessage(Action.AUTH));
        assertThat(c.of(Action.ERROR)).singleElement().satisfies(pm -> {
            assertThat(pm.channel).isNull();
            assertThat(pm.error.code()).isEqualTo(40000);
        });
        assertThat(c.session.isClosed()).isTrue();
    }

    @Test
    void unsupportedFramesWithASerial_areNacked_withoutOneIgnored() {
        SessionRig.Client c = client();
        // a client has no business sending ACK; numbered, it still gets exactly one answer
        ProtocolMessage ack = ProtocolMessage.of(Action.ACK, "room");
        c.send(ack);
        ack.msgSerial = 0L;
        c.send(ack);
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.NACK);
            assertThat(pm.msgSerial).isZero();
            assertThat(pm.error.code()).isEqualTo(40000);
        });
        assertThat(c.session.isConnected()).isTrue();
    }

    @Test
    void disconnect_closesTheTransport_butKeepsTheConnectionResumable() {
        SessionRig.Client c = client();
        c.send(new ProtocolMessage(Action.DISCONNECT));
        assertThat(c.transport.isOpen()).isFalse();
        assertThat(c.session.isClosed()).isFalse();
        assertThat(c.session.isConnected()).isFalse();
        assertThat(rig.manager.size()).isEqualTo(1);
    }

    @Test
    void frameWithTooManyMessages_isNacked40009_andNotPublished() {
        rig.close();
        rig = rig(limits(2, 50, 1_000));
        SessionRig.Client watcher = client();
        watcher.attach("room");
        SessionRig.Client c = client();
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "room");
        pm.msgSerial = 0L;
        pm.messages = new ArrayList<>(
                IntStream.range(0, 3).mapToObj(i -> new Message("n", "d" + i)).toList());
        c.send(pm);
        assertThat(c.transport.sent()).singleElement().satisfies(nack -> {
            assertThat(nack.action).isEqualTo(Action.NACK);
            assertThat(nack.error.code()).isEqualTo(40009);
        });
        assertThat(watcher.of(Action.MESSAGE)).isEmpty();
    }

    @Test
    void controlFlood_refusesOnTheChannel42910_thenDisconnects42920() {
        rig.close();
        rig = rig(limits(1_000, 1, 0));
        SessionRig.Client c = client();
        c.attach("a");
        c.attach("b");
        assertThat(c.of(Action.ATTACHED)).extracting(pm -> pm.channel).containsExactly("a");
        assertThat(c.of(Action.ERROR)).singleElement().satisfies(pm -> {
            assertThat(pm.channel).isEqualTo("b");
            assertThat(pm.error.code()).isEqualTo(42910);
        });
        for (int i = 0; i < 10; i++) {
            c.send(new ProtocolMessage(Action.HEARTBEAT));
        }
        assertThat(c.of(Action.HEARTBEAT))
                .as("refused without a channel: no answer")
                .isEmpty();
        assertThat(c.of(Action.DISCONNECTED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(42920));
        assertThat(c.transport.isOpen()).isFalse();
    }
}
