package io.herald.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The YAML configuration file as Jackson binds it: one record per mapping, one component per key, {@code null} when
 * the key is absent. A key that is not a component of its record is refused with its path and line
 * ({@link ConfigBinding}). The keys, defaults and meanings are documented in {@link ConfigReference}, which renders
 * the README's tables; a test keeps the two in step.
 */
record ConfigFile(
        @Nullable Integer port,
        @Nullable String host,
        @Nullable String engine,
        @Nullable String redis,
        @Nullable String serverId,
        @Nullable Boolean sandbox,
        @Nullable Integer workerThreads,
        @Nullable Integer drainSeconds,
        @Nullable String dataDir,
        @Nullable Disk disk,
        @Nullable LimitsSection limits,
        @Nullable TimingsSection timings,
        @Nullable List<App> apps,
        @Nullable Metrics metrics,
        @Nullable Admin admin,
        @Nullable Control control,
        @Nullable Cors cors) {

    /** One entry of {@code apps}. */
    record App(
            @Nullable String id,
            @Nullable LimitsSection limits,
            @Nullable List<Key> keys,
            @Nullable List<Namespace> namespaces,
            @Nullable List<Webhook> webhooks) {}

    /** One entry of {@code apps[].webhooks}: a rule whose events are POSTed to {@code url}. */
    record Webhook(
            @Nullable String url,
            @Nullable String channelFilter,
            @Nullable List<String> sources,
            @Nullable Boolean enveloped,
            @Nullable Boolean batch,
            java.util.@Nullable Map<String, String> headers) {}

    /** One entry of {@code apps[].keys}; the capability is a JSON string or a YAML mapping. */
    record Key(
            @Nullable String key,
            @Nullable JsonNode capability,
            @Nullable Boolean revocableTokens) {}

    /** One entry of {@code apps[].namespaces}. */
    record Namespace(
            @Nullable String id,
            @Nullable Boolean persisted,
            @Nullable Boolean pushEnabled,
            @Nullable Boolean mutableMessages) {}

    /** {@code disk}: the disk engine's settings, handed to it as engine options. */
    record Disk(
            @Nullable String fsync,
            @Nullable Duration fsyncInterval,
            @Nullable String maxDiskBytes,
            @Nullable String diskChannels) {}

    /** {@code metrics}. */
    record Metrics(@Nullable String token) {}

    /** {@code admin}: the admin page. */
    record Admin(@Nullable String token) {}

    /** {@code control}: the fault control API (docs/faults.md). */
    record Control(@Nullable String token) {}

    /** {@code cors}. */
    record Cors(@Nullable List<String> allowedOrigins) {}

    /** {@code limits} (of the node, or of one app): each key given replaces the one of the limits beneath. */
    record LimitsSection(
            @Nullable Integer maxMessageSize,
            @Nullable Integer maxFrameSize,
            @Nullable Integer maxInboundRate,
            @Nullable Integer inboundBurst,
            @Nullable Long maxOutboundQueueBytes,
            @Nullable Integer maxChannelsPerConnection,
            @Nullable Integer maxPresenceMembers,
            @Nullable Integer maxHistoryPerChannel,
            @Nullable Long maxHistoryBytes,
            @Nullable Integer maxConnectionsPerKey,
            @Nullable Integer maxRestRequestsPerSecond,
            @Nullable Integer maxTokenRequestsPerSecond,
            @Nullable Duration httpHeaderTimeout,
            @Nullable Duration httpBodyTimeout,
            @Nullable Duration httpIdleTimeout,
            @Nullable Integer maxConnections,
            @Nullable Integer maxConnectionsPerAddress,
            @Nullable Integer maxMessagesPerProtocolMessage,
            @Nullable Integer maxControlRate,
            @Nullable Integer controlBurst,
            @Nullable Integer maxRestPublishesPerSecond,
            @Nullable Long maxTotalOutboundBytes) {

        Limits over(Limits d) {
            return new Limits(
                    or(maxMessageSize, d.maxMessageSize()),
                    or(maxFrameSize, d.maxFrameSize()),
                    or(maxInboundRate, d.maxInboundRate()),
                    or(inboundBurst, d.inboundBurst()),
                    or(maxOutboundQueueBytes, d.maxOutboundQueueBytes()),
                    or(maxChannelsPerConnection, d.maxChannelsPerConnection()),
                    or(maxPresenceMembers, d.maxPresenceMembers()),
                    or(maxHistoryPerChannel, d.maxHistoryPerChannel()),
                    or(maxHistoryBytes, d.maxHistoryBytes()),
                    or(maxConnectionsPerKey, d.maxConnectionsPerKey()),
                    or(maxRestRequestsPerSecond, d.maxRestRequestsPerSecond()),
                    or(maxTokenRequestsPerSecond, d.maxTokenRequestsPerSecond()),
                    or(httpHeaderTimeout, d.httpHeaderTimeout()),
                    or(httpBodyTimeout, d.httpBodyTimeout()),
                    or(httpIdleTimeout, d.httpIdleTimeout()),
                    or(maxConnections, d.maxConnections()),
                    or(maxConnectionsPerAddress, d.maxConnectionsPerAddress()),
                    or(maxMessagesPerProtocolMessage, d.maxMessagesPerProtocolMessage()),
                    or(maxControlRate, d.maxControlRate()),
                    or(controlBurst, d.controlBurst()),
                    or(maxRestPublishesPerSecond, d.maxRestPublishesPerSecond()),
                    or(maxTotalOutboundBytes, d.maxTotalOutboundBytes()));
        }
    }

    /** {@code timings}: each key given replaces its default. */
    record TimingsSection(
            @Nullable Duration maxIdleInterval,
            @Nullable Duration connectionStateTtl,
            @Nullable Duration presenceLeaveDelay,
            @Nullable Duration reauthBeforeExpiry,
            @Nullable Duration tokenRequestWindow,
            @Nullable Duration defaultTokenTtl,
            @Nullable Duration maxTokenTtl,
            @Nullable Duration maxRevocableTokenTtl,
            @Nullable Duration historyRetention,
            @Nullable Duration persistedRetention,
            @Nullable Duration idempotencyWindow,
            @Nullable Duration revocationMargin,
            @Nullable Duration occupancyInterval,
            @Nullable Duration statsRetention) {

        Timings over(Timings d) {
            return new Timings(
                    or(maxIdleInterval, d.maxIdleInterval()),
                    or(connectionStateTtl, d.connectionStateTtl()),
                    or(presenceLeaveDelay, d.presenceLeaveDelay()),
                    or(reauthBeforeExpiry, d.reauthBeforeExpiry()),
                    or(tokenRequestWindow, d.tokenRequestWindow()),
                    or(defaultTokenTtl, d.defaultTokenTtl()),
                    or(maxTokenTtl, d.maxTokenTtl()),
                    or(maxRevocableTokenTtl, d.maxRevocableTokenTtl()),
                    or(historyRetention, d.historyRetention()),
                    or(persistedRetention, d.persistedRetention()),
                    or(idempotencyWindow, d.idempotencyWindow()),
                    or(revocationMargin, d.revocationMargin()),
                    or(occupancyInterval, d.occupancyInterval()),
                    or(statsRetention, d.statsRetention()));
        }
    }

    static <T> T or(@Nullable T value, T fallback) {
        return value != null ? value : fallback;
    }
}
