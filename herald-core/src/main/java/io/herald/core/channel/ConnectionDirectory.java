package io.herald.core.channel;

import org.jspecify.annotations.Nullable;

/**
 * Finds a live realtime connection by its connectionKey, for REST publishes made on behalf of a connection
 * (SPEC TM2h, RSL1m).
 */
public interface ConnectionDirectory {

    /** A connection's identity. */
    record ConnectionRef(
            String appId, String connectionId, @Nullable String clientId) {}

    /** The connection with that key, or {@code null}. */
    @Nullable
    ConnectionRef byKey(String connectionKey);
}
