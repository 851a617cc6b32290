/**
 * Record and replay (docs/faults.md, "Record and replay"): {@link io.herald.server.recording.Recorder} writes a
 * channel's traffic (messages and presence, with their timing) to a JSON Lines file as a realtime client, and
 * {@link io.herald.server.recording.Replayer} publishes it again, at the original or a scaled speed, so that a bug
 * seen once can be reproduced. Both speak the Ably protocol as any client does (a JSON WebSocket and REST), so they
 * work against Herald or any Ably endpoint; nothing here uses the server's internals.
 */
package io.herald.server.recording;
