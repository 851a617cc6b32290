/**
 * The Ably wire model and its codecs: {@link io.herald.protocol.ProtocolMessage} and the message types it carries
 * (Message, PresenceMessage, ErrorInfo, ConnectionDetails), Ably's action codes, flags and error codes, and the JSON
 * and msgpack codecs ({@link io.herald.protocol.ProtocolCodec}) used on the WebSocket and for REST bodies. Facts follow
 * shared/reference/ably-protocol.md §5 and §8. This package knows nothing of Netty, sessions or auth.
 */
package io.herald.protocol;
