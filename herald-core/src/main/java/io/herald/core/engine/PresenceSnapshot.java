package io.herald.core.engine;

import io.herald.protocol.PresenceMessage;
import java.util.List;

/**
 * A channel's presence set at one position of its log.
 *
 * @param members  the members, each with action PRESENT; do not mutate
 * @param position the log position the set reflects
 */
public record PresenceSnapshot(List<PresenceMessage> members, ChannelSerial position) {
    public PresenceSnapshot {
        members = List.copyOf(members);
    }
}
