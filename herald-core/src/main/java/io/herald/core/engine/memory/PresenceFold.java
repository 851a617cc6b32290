package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.protocol.Action;
import io.herald.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A channel's presence set as the fold of its log's PRESENCE events (ENTER, UPDATE, PRESENT put a member, LEAVE and
 * ABSENT remove it; the member key is connectionId + clientId). Not thread-safe: the owner's lock guards it.
 */
public final class PresenceFold {
    private final LinkedHashMap<String, PresenceMessage> members = new LinkedHashMap<>();

    /** Applies the event if it is a PRESENCE event; anything else is ignored. */
    public void apply(ChannelEvent event) {
        List<PresenceMessage> presence = event.message().presence;
        if (event.action() != Action.PRESENCE || presence == null) {
            return;
        }
        for (PresenceMessage p : presence) {
            if (p.action == PresenceMessage.LEAVE || p.action == PresenceMessage.ABSENT) {
                members.remove(p.memberKey());
            } else {
                PresenceMessage member = p.copy();
                member.action = PresenceMessage.PRESENT;
                members.put(p.memberKey(), member);
            }
        }
    }

    public PresenceSnapshot snapshot(ChannelSerial position) {
        return new PresenceSnapshot(new ArrayList<>(members.values()), position);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public int size() {
        return members.size();
    }
}
