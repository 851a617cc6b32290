package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.observe.Observer;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import io.herald.core.testing.RecordingTransport;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Heartbeats with maxIdleInterval 15 s on a manual loop: a check every 5 s, a HEARTBEAT after 7.5 s of silence. */
class HeartbeatsTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final ManualLoop loop = new ManualLoop(clock);
    private final Outbound out = new Outbound(clock, Observer.NONE);
    private final Heartbeats heartbeats = new Heartbeats(loop, clock, out, 15_000);
    private final RecordingTransport transport = new RecordingTransport(Format.JSON);

    @BeforeEach
    void connect() {
        out.bind(transport);
        out.send(new ProtocolMessage(Action.CONNECTED));
        transport.drain();
        heartbeats.start();
    }

    private long beats() {
        return transport.sent().stream()
                .filter(p -> p.action == Action.HEARTBEAT)
                .count();
    }

    @Test
    void silentConnection_getsAHeartbeatOnTheFirstCheckPastHalfTheIdleInterval() {
        loop.advance(Duration.ofMillis(9_999));
        assertThat(beats()).as("checked at 5 s: only 5 s silent").isZero();
        assertThat(transport.pings()).isEqualTo(1);
        loop.advance(Duration.ofMillis(1));
        assertThat(beats()).isEqualTo(1);
        assertThat(transport.pings()).isEqualTo(2);
        loop.advance(Duration.ofSeconds(5));
        assertThat(beats()).as("at 15 s the last frame is 5 s old").isEqualTo(1);
        loop.advance(Duration.ofSeconds(5));
        assertThat(beats()).isEqualTo(2);
        assertThat(transport.pings()).isEqualTo(4);
    }

    @Test
    void busyConnection_getsNoHeartbeats_butIsStillProbed() {
        for (int i = 0; i < 15; i++) {
            loop.advance(Duration.ofSeconds(4));
            out.send(ProtocolMessage.of(Action.MESSAGE, "room"));
        }
        assertThat(beats()).isZero();
        assertThat(transport.pings()).isEqualTo(12);
    }

    @Test
    void stop_endsBeatsAndProbes_andStartBeginsAgainFromNow() {
        loop.advance(Duration.ofSeconds(5));
        heartbeats.stop();
        loop.advance(Duration.ofMinutes(1));
        assertThat(beats()).isZero();
        assertThat(transport.pings()).isEqualTo(1);
        heartbeats.start();
        heartbeats.start();
        loop.advance(Duration.ofMillis(4_999));
        assertThat(transport.pings()).isEqualTo(1);
        loop.advance(Duration.ofMillis(1));
        assertThat(beats()).as("one restarted beat, not two").isEqualTo(1);
        assertThat(transport.pings()).isEqualTo(2);
    }

    @Test
    void clientsHeartbeat_isAnsweredWithItsId() {
        ProtocolMessage ping = new ProtocolMessage(Action.HEARTBEAT);
        ping.id = "probe-7";
        heartbeats.answer(ping);
        assertThat(transport.sent()).singleElement().satisfies(p -> {
            assertThat(p.action).isEqualTo(Action.HEARTBEAT);
            assertThat(p.id).isEqualTo("probe-7");
        });
    }
}
