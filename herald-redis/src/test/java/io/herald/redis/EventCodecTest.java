package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    @Test
    void frame_headerAndPayload_decodeToTheEventWithSerialsAndWithoutDroppedItems() {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "chat");
        pm.id = "c1:0";
        pm.connectionId = "c1";
        pm.timestamp = 1_700_000_000_000L;
        pm.messages = new ArrayList<>();
        for (String d : List.of("a", "b", "c")) {
            Message m = new Message("n", d);
            m.id = "id-" + d;
            pm.messages.add(m);
        }
        byte[] payload = EventCodec.payload(pm);
        byte[] other = EventCodec.payload(ProtocolMessage.of(Action.MESSAGE, "chat"));
        byte[] header = ("Ep0ch 2\n41  " + other.length + "\n42 1 " + payload.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[header.length + other.length + payload.length];
        System.arraycopy(header, 0, raw, 0, header.length);
        System.arraycopy(other, 0, raw, header.length, other.length);
        System.arraycopy(payload, 0, raw, header.length + other.length, payload.length);
        List<EventCodec.Frame> frames = EventCodec.Frame.parse(raw);
        assertThat(frames).extracting(EventCodec.Frame::seq).containsExactly(41L, 42L);
        assertThat(frames.get(0).dropped()).isEmpty();
        EventCodec.Frame f = frames.get(1);
        assertThat(f.epoch()).isEqualTo("Ep0ch");
        assertThat(f.seq()).isEqualTo(42);
        ChannelEvent e = EventCodec.event(new ChannelId("app", "chat"), f.epoch(), f.seq(), f.dropped(), f.payload());
        assertThat(e.message().channelSerial).isEqualTo("Ep0ch-000000000042");
        assertThat(e.message().messages).extracting(m -> m.data).containsExactly("a", "c");
        assertThat(e.message().messages)
                .extracting(m -> m.serial)
                .containsExactly("Ep0ch-000000000042:000", "Ep0ch-000000000042:001");
        assertThat(e.originConnectionId()).isEqualTo("c1");
    }

    @Test
    void frame_malformed_isNull() {
        assertThat(EventCodec.Frame.parse("no header".getBytes(StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(EventCodec.Frame.parse("E x\n".getBytes(StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(EventCodec.Frame.parse("E 1\n5  100\nshort".getBytes(StandardCharsets.US_ASCII)))
                .isNull();
    }

    @Test
    void member_storedAndRead_isPresentWithEveryField() {
        PresenceMessage p = new PresenceMessage();
        p.action = PresenceMessage.ENTER;
        p.id = "c1:3:0";
        p.clientId = "alice";
        p.connectionId = "c1";
        p.data = new byte[] {1, 2, 3};
        p.timestamp = 1_700_000_000_123L;
        PresenceMessage back = EventCodec.member(EventCodec.member(p));
        assertThat(back.action).isEqualTo(PresenceMessage.PRESENT);
        assertThat(back.id).isEqualTo("c1:3:0");
        assertThat(back.clientId).isEqualTo("alice");
        assertThat(back.connectionId).isEqualTo("c1");
        assertThat((byte[]) back.data).containsExactly(1, 2, 3);
        assertThat(back.timestamp).isEqualTo(1_700_000_000_123L);
        assertThat(p.action).isEqualTo(PresenceMessage.ENTER);
    }
}
