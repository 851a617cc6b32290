package io.herald.core.testing;

import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Protocol messages as a connection would publish them, for engine tests on every backend. */
public final class TestEvents {
    private TestEvents() {}

    /** A MESSAGE from connection {@code conn1} with one message named {@code n} per data item, ids set. */
    public static ProtocolMessage messages(String channel, String... data) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
        pm.connectionId = "conn1";
        pm.id = "conn1:" + UUID.randomUUID();
        pm.timestamp = System.currentTimeMillis();
        pm.messages = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            Message m = new Message("n", data[i]);
            m.id = pm.id + ":" + i;
            m.connectionId = "conn1";
            m.timestamp = pm.timestamp;
            pm.messages.add(m);
        }
        return pm;
    }

    /** A PRESENCE with one member update, its data {@code d-<clientId>}. */
    public static ProtocolMessage presence(String channel, int action, String clientId, String connectionId) {
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
        pm.connectionId = connectionId;
        pm.id = connectionId + ":" + UUID.randomUUID();
        pm.timestamp = System.currentTimeMillis();
        PresenceMessage p = new PresenceMessage();
        p.action = action;
        p.clientId = clientId;
        p.connectionId = connectionId;
        p.data = "d-" + clientId;
        p.id = pm.id + ":0";
        p.timestamp = pm.timestamp;
        pm.presence = new ArrayList<>(List.of(p));
        return pm;
    }
}
