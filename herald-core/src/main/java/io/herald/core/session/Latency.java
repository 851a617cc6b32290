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
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
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
        if (delay <= 0 && queue.isEmpty()) {
            return false;
        }
        long now = faults.now();
        Waiting last = queue.peekLast();
        long due = Math.max(now + Math.max(0, delay), last == null ? 0 : last.due());
        queue.addLast(new Waiting(t, frame, due));
        schedule(now);
        return true;
    }

    private void schedule(long now) {
        Waiting head = queue.peekFirst();
        if (scheduled || head == null) {
            return;
        }
        scheduled = true;
        loop.schedule(this::drain, Math.max(0, head.due() - now), TimeUnit.MILLISECONDS);
    }

    private void drain() {
        scheduled = false;
        long now = faults.now();
        while (!queue.isEmpty() && queue.peekFirst().due() <= now) {
            Waiting w = queue.pollFirst();
            w.transport().send(w.frame());
        }
        schedule(now);
    }
}
