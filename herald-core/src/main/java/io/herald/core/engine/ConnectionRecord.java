package io.herald.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * What any node needs to resume a connection (docs/protocol.md §3.4) after the node that held it went away.
 *
 * @param connectionId  the connection's id
 * @param connectionKey its key (the secret a client presents to resume)
 * @param appId         the app it belongs to
 * @param clientId      its identity, or {@code null}
 * @param nodeId        the node holding it now
 * @param expiresAt     after this (ms) it can no longer be resumed
 */
public record ConnectionRecord(
        String connectionId,
        String connectionKey,
        String appId,
        @Nullable String clientId,
        String nodeId,
        long expiresAt) {}
