/**
 * The engine SPI: where channel state lives. The {@link io.herald.core.engine.Broker} orders each channel's events
 * (messages and presence changes) into one log with serials every node agrees on and delivers them to every
 * subscribed node; {@link io.herald.core.engine.HistoryStore} and {@link io.herald.core.engine.PresenceStore} read
 * that log; {@link io.herald.core.engine.NonceStore} and {@link io.herald.core.engine.RevocationStore} hold the
 * security state shared by all nodes. {@code engine.memory} is the default single-node engine; the Redis engine lives
 * in herald-redis. Engines never see sessions, channels or the hub: they call back through
 * {@link io.herald.core.engine.EngineListener}. Every engine passes the contract tests in core's test-jar.
 */
package io.herald.core.engine;
