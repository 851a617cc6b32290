package io.herald.protocol;

import org.jspecify.annotations.Nullable;

/**
 * connectionDetails of CONNECTED (SPEC CD2; docs/protocol.md §3.1). All numbers go on the wire as integers.
 */
public final class ConnectionDetails {
    public @Nullable String clientId;
    public @Nullable String connectionKey;
    public @Nullable Long maxMessageSize;
    public @Nullable Long maxFrameSize;
    public @Nullable Long maxInboundRate;
    public @Nullable Long maxOutboundRate;
    public @Nullable Long connectionStateTtl;
    public @Nullable Long maxIdleInterval;
    public @Nullable String serverId;
    public @Nullable String siteCode;
    /** How long LiveObjects tombstones are kept, in ms: clients collect theirs after the same time. */
    public @Nullable Long objectsGCGracePeriod;
}
