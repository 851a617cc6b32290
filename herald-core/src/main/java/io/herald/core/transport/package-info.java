/**
 * The seam between the core and a network transport: a {@link io.herald.core.transport.Transport} sends encoded
 * frames to one client, a {@link io.herald.core.transport.Loop} is the single thread a connection's state lives on.
 * The server's Netty WebSocket implements both; tests use in-memory ones.
 */
package io.herald.core.transport;
