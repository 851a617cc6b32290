package io.herald.server.netty;

/**
 * Transport settings.
 *
 * @param host                  interface to bind ({@code 0.0.0.0} for all)
 * @param port                  port (0 picks a free one)
 * @param maxFrameSize          largest WebSocket message or HTTP body, bytes
 * @param maxOutboundQueueBytes bytes queued to one socket before it is dropped as a slow consumer
 * @param deadPeerSeconds       close a WebSocket after this long without any frame from the peer
 * @param workerThreads         event loop threads (0 = number of cores)
 */
public record ServerSettings(String host, int port, int maxFrameSize, long maxOutboundQueueBytes,
                             int deadPeerSeconds, int workerThreads) {
}
