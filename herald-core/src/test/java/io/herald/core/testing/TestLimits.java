package io.herald.core.testing;

import io.herald.core.config.Limits;

/** {@link Limits#DEFAULTS} with the per-connection session limits the session tests vary: one copy for all of them. */
public final class TestLimits {
    private TestLimits() {}

    public static Limits session(
            int channelsPerConnection, int presenceMembers, int messagesPerFrame, int controlRate, int controlBurst) {
        Limits d = Limits.DEFAULTS;
        return new Limits(
                d.maxMessageSize(),
                d.maxFrameSize(),
                d.maxInboundRate(),
                d.inboundBurst(),
                d.maxOutboundQueueBytes(),
                channelsPerConnection,
                presenceMembers,
                d.maxHistoryPerChannel(),
                d.maxHistoryBytes(),
                d.maxConnectionsPerKey(),
                d.maxRestRequestsPerSecond(),
                d.maxTokenRequestsPerSecond(),
                d.httpHeaderTimeout(),
                d.httpBodyTimeout(),
                d.httpIdleTimeout(),
                d.maxConnections(),
                d.maxConnectionsPerAddress(),
                messagesPerFrame,
                controlRate,
                controlBurst,
                d.maxRestPublishesPerSecond(),
                d.maxTotalOutboundBytes());
    }
}
