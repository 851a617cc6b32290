package io.herald.server.e2e.support;

/** The two wire formats every realtime test runs over. */
public enum WireFormat {
    JSON,
    MSGPACK;

    /** {@code useBinaryProtocol} of both SDKs. */
    public boolean binary() {
        return this == MSGPACK;
    }

    /** The {@code format} connect parameter. */
    public String param() {
        return this == MSGPACK ? "msgpack" : "json";
    }
}
