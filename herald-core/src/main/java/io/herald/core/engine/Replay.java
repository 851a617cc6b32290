package io.herald.core.engine;

import java.util.List;

/**
 * The events after a position, for resuming a channel (RTN15, RTL4c1).
 *
 * @param continuous whether the position was found in the retained log, so {@code events} are exactly what was
 *                   missed; when false the caller reports lost continuity and {@code events} is empty
 * @param events     the missed events in order
 * @param position   the log's position when read (the last event's serial, or the position asked for)
 */
public record Replay(boolean continuous, List<ChannelEvent> events, ChannelSerial position) {
    public Replay {
        events = List.copyOf(events);
    }
}
