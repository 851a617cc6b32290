/**
 * The Netty transport: one pipeline per socket composed in {@link io.herald.server.netty.HeraldInitializer}, HTTP
 * requests handed to the node's REST API, WebSocket upgrades on {@code /} turned into realtime connections. Netty
 * types stop here: past the frame codec the core sees bytes, ProtocolMessages and the
 * {@link io.herald.core.transport.Transport}/{@link io.herald.core.transport.Loop} interfaces.
 */
package io.herald.server.netty;
