/**
 * One realtime connection's state machine (docs/protocol.md §3, §6-§8): {@link io.herald.core.session.SessionManager}
 * authenticates a new WebSocket, resumes or creates a {@link io.herald.core.session.Session}, and finds sessions by
 * connection key; a session handles the client's ProtocolMessages on its loop (attach, detach, publish with ordered
 * ACK/NACK, presence, heartbeats, in-band re-auth, token expiry and revocation, close) and survives a dropped
 * transport for {@code connectionStateTtl} so the client can resume. Sessions never see Netty.
 */
package io.herald.core.session;
