/**
 * The composition root: {@link io.herald.core.HeraldNode} wires the engine, hub, security, sessions and REST of one
 * node and is all a transport needs (connect a WebSocket, handle an HTTP request, start and stop).
 */
package io.herald.core;
