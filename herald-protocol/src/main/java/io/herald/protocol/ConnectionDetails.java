package io.herald.protocol;

/**
 * connectionDetails of CONNECTED (SPEC CD2; docs/protocol.md §3.1). All numbers go on the wire as integers.
 */
public final class ConnectionDetails {
    public String clientId;
    public String connectionKey;
    public Long maxMessageSize;
    public Long maxFrameSize;
    public Long maxInboundRate;
    public Long maxOutboundRate;
    public Long connectionStateTtl;
    public Long maxIdleInterval;
    public String serverId;
    public String siteCode;
}
