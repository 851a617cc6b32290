package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ProtocolMessage's flag test and its one-line description (logs and test failures show it). */
class ProtocolMessageTest {

    @Test
    void hasFlag_onlyWhenEveryBitOfItIsSet() {
        ProtocolMessage pm = new ProtocolMessage(Action.ATTACHED);
        assertThat(pm.hasFlag(1)).isFalse();
        pm.flags = 1 | 4;
        assertThat(pm.hasFlag(1)).isTrue();
        assertThat(pm.hasFlag(4)).isTrue();
        assertThat(pm.hasFlag(1 | 2)).isFalse();
    }

    @Test
    void toString_namesTheActionAndOnlyTheFieldsThatAreSet() {
        assertThat(new ProtocolMessage(Action.HEARTBEAT).toString()).isEqualTo("ProtocolMessage{HEARTBEAT}");

        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "room");
        pm.msgSerial = 7L;
        pm.flags = 16;
        pm.messages = List.of(new Message("a", "1"), new Message("b", "2"));
        pm.presence = List.of(new PresenceMessage());
        assertThat(pm.toString())
                .isEqualTo("ProtocolMessage{MESSAGE channel=room msgSerial=7 flags=16 messages=2 presence=1}");

        ProtocolMessage err = ProtocolMessage.error(Action.ERROR, ErrorInfo.of(40000, 400, "bad"));
        assertThat(err.toString()).startsWith("ProtocolMessage{ERROR error=").contains("40000");
    }
}
