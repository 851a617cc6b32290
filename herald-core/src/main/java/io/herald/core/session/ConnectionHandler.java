package io.herald.core.session;

import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;

/**
 * What a transport reports about one client connection. The server calls these from the transport's thread, in the
 * order frames arrived.
 */
public interface ConnectionHandler {

    /** A decoded ProtocolMessage from the client. */
    void onMessage(ProtocolMessage message);

    /** A frame that could not be decoded or is not allowed (too large, wrong type): answered with ERROR and a close. */
    void onProtocolError(ErrorInfo error);

    /** The transport closed (peer gone, network error, slow consumer, server close). */
    void onClosed(String reason);
}
