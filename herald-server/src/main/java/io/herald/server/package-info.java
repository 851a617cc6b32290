/**
 * The runnable server: {@link io.herald.server.HeraldServer} builds a node from a
 * {@link io.herald.server.config.ServerConfig}, picks the engine by name, and serves it over Netty.
 */
package io.herald.server;
