package io.herald.core.engine;

import io.herald.core.internal.Ids;
import io.herald.protocol.Action;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The LEAVE events for members whose connection is gone: closed, not resumed in time, or on a node that died (SPEC
 * RTP2b1). Their ids do not start with the connectionId, so clients order them by timestamp after the member's last
 * event. The session layer and the engines that remove a dead node's members build them here, the same way.
 */
public final class PresenceLeaves {
    private PresenceLeaves() {}

    /** One synthesized LEAVE per member, in order, each with the member's clientId, connectionId and data. */
    public static List<PresenceMessage> of(List<PresenceMessage> members, long timestamp) {
        List<PresenceMessage> leaves = new ArrayList<>(members.size());
        String prefix = "leave-" + Ids.alphanumeric(10);
        for (int i = 0; i < members.size(); i++) {
            PresenceMessage m = members.get(i);
            PresenceMessage l = new PresenceMessage();
            l.action = PresenceMessage.LEAVE;
            l.clientId = m.clientId;
            l.connectionId = m.connectionId;
            l.data = m.data;
            l.encoding = m.encoding;
            l.extras = m.extras;
            l.id = prefix + ":0:" + i;
            l.timestamp = timestamp;
            leaves.add(l);
        }
        return leaves;
    }

    /**
     * A PRESENCE message on {@code channel} carrying the members' leaves, its id that of the first leave.
     *
     * @param members at least one
     */
    public static ProtocolMessage event(String channel, List<PresenceMessage> members, long timestamp) {
        List<PresenceMessage> leaves = of(members, timestamp);
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
        pm.presence = leaves;
        pm.id = leaves.get(0).id;
        pm.timestamp = timestamp;
        return pm;
    }
}
