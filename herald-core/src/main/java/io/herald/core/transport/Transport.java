package io.herald.core.transport;

import io.herald.protocol.Format;

/**
 * One client's network connection, seen from the core: it sends already-encoded frames (one ProtocolMessage each)
 * and can be closed. Implementations are thread-safe: frames sent from one thread are delivered in order, and a
 * transport whose outbound queue grows past its limit closes itself and reports it through
 * {@link TransportListener#onTransportClosed(String)}.
 */
public interface Transport {

    /** The format frames are encoded in (JSON in text frames, msgpack in binary frames). */
    Format format();

    /** Queues one encoded frame. Ignored once the transport is closed. */
    void send(byte[] frame);

    /**
     * A transport-level liveness probe (a WebSocket ping), sent regularly so the peer's answers prove it is alive even
     * when it never sends anything itself. Optional.
     */
    default void ping() {}

    /** Stops reading frames from the peer (graceful shutdown: no new work arrives, what was sent still goes out). */
    default void pauseReading() {}

    /** Flushes what was queued, then closes. Idempotent. */
    void close();

    /**
     * Ends the connection at once, as a network failure would: no closing handshake, and what is still queued is not
     * sent (an injected {@code connection.drop}). A client must see it as a lost connection, never as a close it may
     * wait on. By default the same as {@link #close()}. Idempotent.
     */
    default void abort() {
        close();
    }

    boolean isOpen();

    /** The peer's address, for logs. */
    String remoteAddress();

    /** Receives the transport's end. */
    interface TransportListener {
        /** The transport is gone; {@code reason} says why (peer closed, slow consumer, idle, server close). */
        void onTransportClosed(String reason);
    }
}
