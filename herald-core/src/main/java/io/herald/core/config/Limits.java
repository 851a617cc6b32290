package io.herald.core.config;

/**
 * Size and rate limits. Defaults follow Ably's (docs/protocol.md §3.1, §12): 64 KiB messages, 512 KiB frames.
 *
 * @param maxMessageSize          largest message, bytes, counting every field it carries (Ably's name + clientId + extras
 *                                + data, and also id, encoding, version, annotations, ...); 40009 beyond it
 * @param maxFrameSize            largest inbound WebSocket frame / REST body, bytes
 * @param maxInboundRate          inbound messages per second per connection (advertised and enforced), counted per
 *                                message, not per frame, by a token bucket
 * @param inboundBurst            extra messages allowed in a burst above the rate (the bucket holds rate + burst)
 * @param maxOutboundQueueBytes   bytes queued to one connection before it is dropped as a slow consumer
 * @param maxChannelsPerConnection channels one connection may have attached
 * @param maxPresenceMembers      presence members per channel
 * @param maxHistoryPerChannel    events kept per channel by the in-memory engine
 * @param maxHistoryBytes         node-wide bound on the in-memory engine's history, in bytes held (frames + index); beyond it
 *                                the oldest events of the channels being published to go first, so a node under
 *                                more traffic than its heap can hold keeps a shorter history instead of running out
 *                                of memory. 0 (the default): a quarter of the JVM's maximum heap. Node {@code limits}
 *                                only
 * @param maxConnectionsPerKey    live connections per API key (0 = unlimited)
 * @param maxRestRequestsPerSecond REST requests per key per second (0 = unlimited)
 * @param maxTokenRequestsPerSecond requestToken calls per key per second (0 = unlimited)
 * @param httpHeaderTimeout       node only: a connection must deliver a complete request head within this of its first
 *                                byte (or of being opened); else 408 and close
 * @param httpBodyTimeout         node only: a request body must arrive completely within this of its head; else 408
 *                                and close
 * @param httpIdleTimeout         node only: a keep-alive HTTP connection with no request in progress is closed after
 *                                this (WebSockets are not affected: they have their own heartbeats)
 * @param maxConnections          node only: open TCP connections (HTTP and WebSocket) on the node (0 = unlimited);
 *                                at the cap the oldest connection that is waiting for a request head is closed to make
 *                                room, and only when there is none is the new connection refused
 * @param maxConnectionsPerAddress node only: open TCP connections from one remote address (0 = unlimited, the
 *                                default, since behind a proxy or NAT every client has the same address); same
 *                                eviction rule as {@code maxConnections}
 * @param maxMessagesPerProtocolMessage messages (or presence events) one MESSAGE/PRESENCE frame may carry; 40009
 *                                beyond it
 * @param maxControlRate          ATTACH, DETACH, SYNC, AUTH and HEARTBEAT frames per second per connection (42910
 *                                beyond it, 42920 and a disconnect when the flood goes on)
 * @param controlBurst            extra control frames allowed in a burst (a resuming client re-attaches every channel
 *                                at once, so keep it at least maxChannelsPerConnection)
 * @param maxRestPublishesPerSecond messages published over REST per key per second (0 = unlimited); 429 / 42910
 * @param maxTotalOutboundBytes   node-wide bound on bytes queued to all connections; beyond it the connections with
 *                                the most queued are dropped as slow consumers. 0 (the default): a quarter of the
 *                                JVM's maximum heap. Node {@code limits} only
 */
public record Limits(
        int maxMessageSize,
        int maxFrameSize,
        int maxInboundRate,
        int inboundBurst,
        long maxOutboundQueueBytes,
        int maxChannelsPerConnection,
        int maxPresenceMembers,
        int maxHistoryPerChannel,
        long maxHistoryBytes,
        int maxConnectionsPerKey,
        int maxRestRequestsPerSecond,
        int maxTokenRequestsPerSecond,
        java.time.Duration httpHeaderTimeout,
        java.time.Duration httpBodyTimeout,
        java.time.Duration httpIdleTimeout,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxMessagesPerProtocolMessage,
        int maxControlRate,
        int controlBurst,
        int maxRestPublishesPerSecond,
        long maxTotalOutboundBytes) {

    public static final Limits DEFAULTS = new Limits(
            65_536,
            524_288,
            250,
            250,
            16L * 1024 * 1024,
            1_000,
            200,
            10_000,
            0,
            0,
            0,
            0,
            java.time.Duration.ofSeconds(10),
            java.time.Duration.ofSeconds(30),
            java.time.Duration.ofSeconds(60),
            100_000,
            0,
            1_000,
            50,
            1_000,
            1_000,
            0);

    public Limits {
        positive("maxMessageSize", maxMessageSize);
        positive("maxFrameSize", maxFrameSize);
        positive("maxInboundRate", maxInboundRate);
        nonNegative("inboundBurst", inboundBurst);
        if (maxOutboundQueueBytes < 1024) {
            throw new IllegalArgumentException(
                    "limits.maxOutboundQueueBytes must be at least 1024, got " + maxOutboundQueueBytes);
        }
        positive("maxChannelsPerConnection", maxChannelsPerConnection);
        positive("maxPresenceMembers", maxPresenceMembers);
        positive("maxHistoryPerChannel", maxHistoryPerChannel);
        nonNegative("maxHistoryBytes", maxHistoryBytes);
        nonNegative("maxConnectionsPerKey", maxConnectionsPerKey);
        nonNegative("maxRestRequestsPerSecond", maxRestRequestsPerSecond);
        nonNegative("maxTokenRequestsPerSecond", maxTokenRequestsPerSecond);
        positiveDuration("httpHeaderTimeout", httpHeaderTimeout);
        positiveDuration("httpBodyTimeout", httpBodyTimeout);
        positiveDuration("httpIdleTimeout", httpIdleTimeout);
        nonNegative("maxConnections", maxConnections);
        nonNegative("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("maxMessagesPerProtocolMessage", maxMessagesPerProtocolMessage);
        positive("maxControlRate", maxControlRate);
        nonNegative("controlBurst", controlBurst);
        nonNegative("maxRestPublishesPerSecond", maxRestPublishesPerSecond);
        nonNegative("maxTotalOutboundBytes", maxTotalOutboundBytes);
        if (maxFrameSize < maxMessageSize) {
            throw new IllegalArgumentException("limits.maxFrameSize (" + maxFrameSize
                    + ") must not be smaller than limits.maxMessageSize (" + maxMessageSize + ")");
        }
    }

    /** {@link #maxHistoryBytes}, with 0 resolved to a quarter of the JVM's maximum heap. */
    public long historyBudgetBytes() {
        return maxHistoryBytes > 0 ? maxHistoryBytes : Runtime.getRuntime().maxMemory() / 4;
    }

    /** {@link #maxTotalOutboundBytes}, with 0 resolved to a quarter of the JVM's maximum heap. */
    public long totalOutboundBudgetBytes() {
        return maxTotalOutboundBytes > 0
                ? maxTotalOutboundBytes
                : Runtime.getRuntime().maxMemory() / 4;
    }

    /** These limits with the history budget set (tests, embedding). */
    public Limits withMaxHistoryBytes(long bytes) {
        return perKeyAndHistory(
                bytes,
                maxConnectionsPerKey,
                maxRestRequestsPerSecond,
                maxRestPublishesPerSecond,
                maxTokenRequestsPerSecond);
    }

    /** These limits with the per-key REST request, REST publish and token request rates set (tests, embedding). */
    public Limits withRates(int restRequests, int restPublishes, int tokenRequests) {
        return perKeyAndHistory(maxHistoryBytes, maxConnectionsPerKey, restRequests, restPublishes, tokenRequests);
    }

    /** These limits with the live connections per key set (tests, embedding). */
    public Limits withMaxConnectionsPerKey(int connections) {
        return perKeyAndHistory(
                maxHistoryBytes,
                connections,
                maxRestRequestsPerSecond,
                maxRestPublishesPerSecond,
                maxTokenRequestsPerSecond);
    }

    /** The one copy behind the {@code with} methods: every other limit kept. */
    private Limits perKeyAndHistory(
            long historyBytes, int connectionsPerKey, int restRequests, int restPublishes, int tokenRequests) {
        return new Limits(
                maxMessageSize,
                maxFrameSize,
                maxInboundRate,
                inboundBurst,
                maxOutboundQueueBytes,
                maxChannelsPerConnection,
                maxPresenceMembers,
                maxHistoryPerChannel,
                historyBytes,
                connectionsPerKey,
                restRequests,
                tokenRequests,
                httpHeaderTimeout,
                httpBodyTimeout,
                httpIdleTimeout,
                maxConnections,
                maxConnectionsPerAddress,
                maxMessagesPerProtocolMessage,
                maxControlRate,
                controlBurst,
                restPublishes,
                maxTotalOutboundBytes);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("limits." + name + " must be positive, got " + v);
        }
    }

    private static void positiveDuration(String name, java.time.Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("limits." + name + " must be a positive duration, got " + d);
        }
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("limits." + name + " must not be negative, got " + v);
        }
    }
}
