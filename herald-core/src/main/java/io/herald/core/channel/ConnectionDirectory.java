package io.herald.core.channel;

/**
 * Finds a live realtime connection by its connectionKey, for REST publishes made on behalf of a connection
 * (SPEC TM2h, RSL1m).
 */
public interface ConnectionDirectory {

    /** A connection's identity. */
    record ConnectionRef(String appId, String connectionId, String clientId) {}

    /** The connection with that key, or {@code null}. */
    ConnectionRef byKey(String connectionKey);
}
