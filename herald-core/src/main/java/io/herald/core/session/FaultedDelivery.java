package io.herald.core.session;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.fault.Fault;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorInfo;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One attachment's deliveries while a delivery fault applies to its channel (docs/faults.md):
 *
 * <ul>
 *   <li>{@code delivery.delay}: each event waits the fault's delay; events keep their order, so those that arrive
 *       after the fault ended wait behind the ones still queued;
 *   <li>{@code delivery.drop}: the event is not sent, and the client is told at once that continuity was lost, as
 *       Ably does (ATTACHED without RESUMED, which the SDK emits as an UPDATE with {@code resumed: false}, RTL12);
 *   <li>{@code delivery.duplicate}: the event is sent twice.
 * </ul>
 *
 * Confined to the session's loop.
 */
final class FaultedDelivery {
    private record Waiting(ChannelEvent event, int generation, long due) {}

    private final Attachment att;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private boolean scheduled;

    FaultedDelivery(Attachment att) {
        this.att = att;
    }

    /** An event for the attached channel, with the delivery fault that applies now ({@code null}: none). */
    void deliver(ChannelEvent event, @Nullable Fault f) {
        if (f == null) {
            if (queue.isEmpty()) {
                att.send(event);
            } else {
                enqueue(event, 0);
            }
            return;
        }
        switch (f.kind()) {
            case DELIVERY_DELAY -> enqueue(event, f.delayMs());
            case DELIVERY_DROP -> {
                ErrorInfo error = Objects.requireNonNull(f.error(), "a registered fault has an error");
                if (event.action() == Action.MESSAGE) {
                    att.messageWatermark = Math.max(att.messageWatermark, event.seq());
                } else {
                    att.presenceWatermark = Math.max(att.presenceWatermark, event.seq());
                }
                att.continuityLost(error, event.serial().toString());
            }
            case DELIVERY_DUPLICATE -> {
                long messages = att.messageWatermark;
                long presence = att.presenceWatermark;
                att.send(event);
                long sentMessages = att.messageWatermark;
                long sentPresence = att.presenceWatermark;
                att.messageWatermark = messages;
                att.presenceWatermark = presence;
                att.send(event);
                att.messageWatermark = Math.max(att.messageWatermark, sentMessages);
                att.presenceWatermark = Math.max(att.presenceWatermark, sentPresence);
            }
            default -> att.send(event);
        }
    }

    private void enqueue(ChannelEvent event, long delay) {
        long now = att.session.now();
        Waiting last = queue.peekLast();
        long due = Math.max(now + delay, last == null ? 0 : last.due());
        queue.addLast(new Waiting(event, att.generation, due));
        schedule(now);
    }

    private void schedule(long now) {
        Waiting head = queue.peekFirst();
        if (scheduled || head == null) {
            return;
        }
        scheduled = true;
        att.session.loop.schedule(this::drain, Math.max(0, head.due() - now), TimeUnit.MILLISECONDS);
    }

    private void drain() {
        scheduled = false;
        long now = att.session.now();
        while (!queue.isEmpty() && queue.peekFirst().due() <= now) {
            Waiting w = queue.pollFirst();
            // an event queued before a detach or suspension is not delivered after it: the re-attach covers it
            if (w.generation() == att.generation && att.state == Attachment.State.ATTACHED) {
                att.send(w.event());
            }
        }
        schedule(now);
    }
}
