/**
 * The Comet (HTTP long-polling) transport: a realtime connection carried by plain HTTP requests, for clients whose
 * WebSocket is blocked (ably-js's {@code comet} in Node and {@code xhr_polling} in browsers). It drives the same
 * session as a WebSocket through {@link io.herald.core.transport.Transport}.
 */
package io.herald.server.comet;
