/**
 * The node's local subscribers per channel. The {@link io.herald.core.hub.Hub} subscribes the node to a channel in the
 * engine when its first local subscriber arrives and unsubscribes after the last leaves, and fans each event out to
 * the local subscribers; the event's bytes are encoded once per format
 * ({@link io.herald.core.engine.ChannelEvent#encoded}). It never sees sessions: they register as
 * {@link io.herald.core.hub.Subscriber}s.
 */
package io.herald.core.hub;
