package io.herald.server.netty;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Transport settings.
 *
 * @param host                  interface to bind ({@code 0.0.0.0} for all)
 * @param port                  port (0 picks a free one)
 * @param maxFrameSize          largest WebSocket message or HTTP body, bytes
 * @param maxOutboundQueueBytes bytes queued to one socket before it is dropped as a slow consumer
 * @param deadPeerSeconds       close a WebSocket after this long without any frame from the peer
 * @param workerThreads         event loop threads (0 = number of cores)
 * @param httpHeaderTimeout     a request head must be complete within this (408 and close otherwise)
 * @param httpBodyTimeout       a request body must be complete within this of its head (408 and close otherwise)
 * @param httpIdleTimeout       a keep-alive HTTP connection without a request is closed after this
 * @param maxConnections        open connections on this server (0 = no cap), see {@link ConnectionLimiter}
 * @param maxConnectionsPerAddress open connections from one remote address (0 = no cap)
 * @param metricsToken          bearer token {@code GET /metrics} requires ({@code null}: none)
 * @param corsAllowedOrigins    browser origins allowed to call with credentials; {@code ["*"]} = any origin
 */
public record ServerSettings(
        String host,
        int port,
        int maxFrameSize,
        long maxOutboundQueueBytes,
        int deadPeerSeconds,
        int workerThreads,
        Duration httpHeaderTimeout,
        Duration httpBodyTimeout,
        Duration httpIdleTimeout,
        int maxConnections,
        int maxConnectionsPerAddress,
        @Nullable String metricsToken,
        List<String> corsAllowedOrigins) {
    public ServerSettings {
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of("*") : List.copyOf(corsAllowedOrigins);
    }
}
