package io.herald.core.session;

import io.herald.core.fault.Faults;
import io.herald.core.transport.Loop;
import io.herald.core.transport.Transport;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Injected latency on one connection's outbound frames (docs/faults.md): while a {@code connection.latency} fault
 * targets the connection, each frame waits its delay; frames keep their order, so a frame sent after the fault ended
 * still waits behind those queued before it. A frame goes to the transport it was meant for, so none reaches a
 * transport that replaced it. Confined to the session's loop.
 */
final class Latency {
    // never compared or hashed: the frame array's identity-based equals does not matter
    @SuppressWarnings("ArrayRecordComponent")
    private record Waiting(Transport transport, byte[] frame, long due) {}

    private final Faults faults;
    private final Loop loop;
    private final String appId;
    private final String connectionId;
    private final @Nullable String clientId;
    /** Frames waiting, created by the first delayed one (a connection no fault targets never needs it). */
    private @Nullable ArrayDeque<Waiting> queue;

    private boolean scheduled;

    Latency(Faults faults, Loop loop, String appId, String connectionId, @Nullable String clientId) {
        this.faults = faults;
        this.loop = loop;
        this.appId = appId;
        this.connectionId = connectionId;
        this.clientId = clientId;
    }

    /** Whether the frame was queued (else the caller sends it now). */
    boolean delays(Transport t, byte[] frame) {
        long delay = faults.latencyMillis(appId, connectionId, clientId);
        ArrayDeque<Waiting> q = queue;
        if (delay <= 0 && (q == null || q.isEmpty())) {
            return false;
        }
        if (q == null) {
            q = queue = new ArrayDeque<>();
        }
        long now = faults.now();
        Waiting last = q.peekLast();
        long due = Math.max(now + Math.max(0, delay), last == null ? 0 : last.due());
        q.addLast(new Waiting(t, frame, due));
        schedule(now);
        return true;
    }

    private void schedule(long now) {
        ArrayDeque<Waiting> q = queue;
        Waiting head = q == null ? null : q.peekFirst();
        if (scheduled || head == null) {
            return;
        }
        scheduled = true;
        loop.schedule(this::drain, Math.max(0, head.due() - now), TimeUnit.MILLISECONDS);
    }

    private void drain() {
        scheduled = false;
        long now = faults.now();
        ArrayDeque<Waiting> q = queue;
        while (q != null && !q.isEmpty() && q.peekFirst().due() <= now) {
            Waiting w = q.pollFirst();
            w.transport().send(w.frame());
        }
        if (q != null && q.isEmpty()) {
            queue = null; // the fault is over or paused: the connection goes back to holding no queue
        }
        schedule(now);
    }
}
