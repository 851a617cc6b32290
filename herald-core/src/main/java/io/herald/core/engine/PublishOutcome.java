package io.herald.core.engine;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of a publish.
 *
 * @param serial  the event's position, or {@code null} when every message was a duplicate and nothing was appended
 * @param serials one entry per message of the request: its serial, or {@code null} if it was dropped as a duplicate
 */
public record PublishOutcome(@Nullable ChannelSerial serial, List<String> serials) {
    public PublishOutcome {
        serials = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(serials));
    }
}
