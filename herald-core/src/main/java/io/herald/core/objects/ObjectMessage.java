package io.herald.core.objects;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * One element of the {@code state} array of an OBJECT or OBJECT_SYNC ProtocolMessage (Ably's ObjectMessage): an
 * {@code operation} (OBJECT) or an {@code object} state (OBJECT_SYNC), with the fields the server stamps: id,
 * clientId, connectionId, timestamp, {@code serial} (the channel-wide order of operations, compared as strings) and
 * {@code siteCode} (whose serials the object's {@code siteTimeserials} track).
 */
public record ObjectMessage(
        @Nullable String id,
        @Nullable String clientId,
        @Nullable String connectionId,
        @Nullable Long timestamp,
        @Nullable String serial,
        @Nullable Long serialTimestamp,
        @Nullable String siteCode,
        @Nullable JsonNode extras,
        @Nullable ObjectOperation operation,
        @Nullable ObjectState object) {

    /** An operation as a client sends it: no server fields yet. */
    public static ObjectMessage ofOperation(ObjectOperation operation) {
        return new ObjectMessage(null, null, null, null, null, null, null, null, operation, null);
    }

    /** A state for OBJECT_SYNC. */
    public static ObjectMessage ofState(ObjectState state) {
        return new ObjectMessage(null, null, null, null, null, null, null, null, null, state);
    }

    /**
     * The message's size by Ably's rules (OM3), as checked against the maximum message size: the clientId's length,
     * the operation's keys and values (8 per number), and the extras as JSON text.
     */
    public long size() {
        long n = clientId == null ? 0 : clientId.length();
        if (operation != null) {
            n += operation.size();
        }
        if (extras != null) {
            n += extras.toString().length();
        }
        return n;
    }

    /** This message with the fields the server assigns when it accepts it. */
    public ObjectMessage stamped(
            String id,
            @Nullable String clientId,
            @Nullable String connectionId,
            long timestamp,
            String serial,
            String siteCode) {
        return new ObjectMessage(
                id, clientId, connectionId, timestamp, serial, timestamp, siteCode, extras, operation, object);
    }
}
