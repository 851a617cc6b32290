package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.observe.Observer;
import io.herald.core.testing.MutableClock;
import io.herald.core.testing.RecordingTransport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The send path on its own: which transport frames go to, in which format, and when the last one went out. */
class OutboundTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private int delivered;
    private final Outbound out = new Outbound(clock, new Observer() {
        @Override
        public void delivered(int frames) {
            delivered += frames;
        }
    });

    @Test
    void unbound_dropsFrames_andNothingCountsAsSent() {
        out.send(new ProtocolMessage(Action.HEARTBEAT));
        assertThat(out.lastSentAt()).isZero();
        assertThat(out.transport()).isNull();
        assertThat(out.format()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void bound_sendsInTheTransportsFormat_andRecordsWhen(Format f) {
        RecordingTransport t = new RecordingTransport(f);
        out.bind(t);
        clock.advance(Duration.ofSeconds(3));
        ProtocolMessage pm = ProtocolMessage.of(Action.DETACHED, "room");
        out.send(pm);
        assertThat(t.sent()).singleElement().satisfies(p -> {
            assertThat(p.action).isEqualTo(Action.DETACHED);
            assertThat(p.channel).isEqualTo("room");
        });
        assertThat(out.lastSentAt()).isEqualTo(clock.millis());
        assertThat(out.format()).isEqualTo(f);
    }

    @Test
    void bindingAnotherTransport_closesTheOld_rebindingTheSameKeepsIt() {
        RecordingTransport first = new RecordingTransport(Format.JSON);
        RecordingTransport second = new RecordingTransport(Format.MSGPACK);
        out.bind(first);
        out.bind(first);
        assertThat(first.isOpen()).isTrue();
        out.bind(second);
        assertThat(first.isOpen()).isFalse();
        assertThat(out.isBoundTo(second)).isTrue();
        assertThat(out.isBoundTo(first)).isFalse();
        out.send(new ProtocolMessage(Action.HEARTBEAT));
        assertThat(second.sent()).hasSize(1);
        assertThat(out.format()).isEqualTo(Format.MSGPACK);
    }

    @Test
    void unbind_returnsTheTransportOpen_andLaterFramesAreDropped_keepingTheFormat() {
        RecordingTransport t = new RecordingTransport(Format.JSON);
        out.bind(t);
        assertThat(out.unbind()).isSameAs(t);
        assertThat(t.isOpen()).isTrue();
        out.send(new ProtocolMessage(Action.HEARTBEAT));
        out.ping();
        assertThat(t.sent()).isEmpty();
        assertThat(t.pings()).isZero();
        assertThat(out.unbind()).isNull();
        assertThat(out.format()).isEqualTo(Format.JSON);
    }

    @Test
    void channelError_and_rewrittenEvents() {
        RecordingTransport t = new RecordingTransport(Format.JSON);
        out.bind(t);
        out.sendChannelError("room", ErrorCode.OPERATION_NOT_PERMITTED.info("no"));
        out.sendRewritten(ProtocolMessage.of(Action.MESSAGE, "[?filter=x]room"));
        out.ping();
        assertThat(t.sent()).extracting(p -> p.action).containsExactly(Action.ERROR, Action.MESSAGE);
        assertThat(t.sent().get(0).channel).isEqualTo("room");
        assertThat(t.sent().get(0).error.code()).isEqualTo(40160);
        assertThat(delivered).as("only the channel event counts as delivered").isEqualTo(1);
        assertThat(t.pings()).isEqualTo(1);
    }
}
