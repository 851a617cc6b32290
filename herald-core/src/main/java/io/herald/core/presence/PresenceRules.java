package io.herald.core.presence;

import io.herald.core.channel.MessageRules;
import io.herald.core.engine.PresenceLeaves;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and completes presence events and builds SYNC pages and synthesized leaves.
 */
public final class PresenceRules {
    /** Members per SYNC frame. */
    public static final int SYNC_PAGE_SIZE = 100;

    private PresenceRules() {}

    /**
     * Completes client presence events (SPEC RTP8, RTP15): action ENTER, UPDATE or LEAVE (PRESENT is taken as UPDATE),
     * clientId filled in from the connection or checked (40012; 91000 when there is none), id
     * {@code connectionId:msgSerial:index}, connectionId and timestamp.
     */
    public static void complete(
            List<PresenceMessage> events, MessageRules.Publisher publisher, String idPrefix, long timestamp) {
        if (events == null || events.isEmpty()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "PRESENCE message without presence events");
        }
        for (int i = 0; i < events.size(); i++) {
            PresenceMessage p = events.get(i);
            switch (p.action) {
                case PresenceMessage.ENTER, PresenceMessage.UPDATE, PresenceMessage.LEAVE -> {}
                case PresenceMessage.PRESENT -> p.action = PresenceMessage.UPDATE;
                default ->
                    throw new AblyException(
                            ErrorCode.BAD_REQUEST,
                            "Invalid presence action " + p.action + " (expected enter, update or leave)");
            }
            String clientId = MessageRules.effectiveClientId(p.clientId, publisher);
            if (clientId == null) {
                throw new AblyException(
                        ErrorCode.PRESENCE_NO_CLIENT_ID, "Unable to enter presence channel without a clientId");
            }
            p.clientId = clientId;
            p.connectionId = publisher.connectionId();
            p.id = idPrefix + ":" + i;
            p.timestamp = timestamp;
            p.extras = MessageRules.stampUserClaim(p.extras, publisher.userClaim());
        }
    }

    /** SYNC frames for the members (SPEC RTP18): {@code channelSerial} {@code syncId:cursor}, empty cursor on the last. */
    public static List<ProtocolMessage> syncPages(String channel, List<PresenceMessage> members) {
        List<ProtocolMessage> pages = new ArrayList<>();
        String syncId = Ids.alphanumeric(10);
        for (int from = 0; from < members.size(); from += SYNC_PAGE_SIZE) {
            int to = Math.min(members.size(), from + SYNC_PAGE_SIZE);
            ProtocolMessage pm = ProtocolMessage.of(Action.SYNC, channel);
            pm.channelSerial = syncId + ":" + (to < members.size() ? String.valueOf(to) : "");
            pm.presence = new ArrayList<>(members.subList(from, to));
            pages.add(pm);
        }
        return pages;
    }

    /**
     * LEAVE events for members of a connection that closed or did not come back (SPEC RTP2b1): their ids do not start
     * with the connectionId, so clients order them by timestamp.
     */
    public static List<PresenceMessage> synthesizedLeaves(List<PresenceMessage> members, long timestamp) {
        return PresenceLeaves.of(members, timestamp);
    }
}
