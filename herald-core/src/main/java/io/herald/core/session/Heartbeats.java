package io.herald.core.session;

import io.herald.core.transport.Loop;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a connected client's idle timer from firing (docs/protocol.md §3.2): the client is told
 * {@code maxIdleInterval} in CONNECTED and gives up on a connection that stays silent longer, so every third of it the
 * session sends a HEARTBEAT unless a frame went out in the last half, and probes the transport (a WebSocket ping) so a
 * dead peer is noticed too. A client's HEARTBEAT is answered with its id. Confined to the session's loop.
 */
final class Heartbeats {
    private final Loop loop;
    private final Clock clock;
    private final Outbound out;
    private final long idleMillis;
    private Loop.Cancellable timer = Loop.Cancellable.NONE;
    private boolean running;

    Heartbeats(Loop loop, Clock clock, Outbound out, long maxIdleIntervalMillis) {
        this.loop = loop;
        this.clock = clock;
        this.out = out;
        this.idleMillis = maxIdleIntervalMillis;
    }

    /** Starts (or restarts) the beat: the first check a third of maxIdleInterval from now. */
    void start() {
        stop();
        running = true;
        scheduleNext();
    }

    void stop() {
        running = false;
        timer.cancel();
        timer = Loop.Cancellable.NONE;
    }

    private void scheduleNext() {
        timer = loop.schedule(this::beat, idleMillis / 3, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        if (!running) {
            return;
        }
        if (clock.millis() - out.lastSentAt() >= idleMillis / 2) {
            out.send(new ProtocolMessage(Action.HEARTBEAT));
        }
        out.ping();
        scheduleNext();
    }

    /** The answer to a client's HEARTBEAT: one with the same id. */
    void answer(ProtocolMessage heartbeat) {
        ProtocolMessage hb = new ProtocolMessage(Action.HEARTBEAT);
        hb.id = heartbeat.id;
        out.send(hb);
    }
}
