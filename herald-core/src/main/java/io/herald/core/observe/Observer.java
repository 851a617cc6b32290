package io.herald.core.observe;

import io.herald.protocol.ErrorInfo;
import org.jspecify.annotations.Nullable;

/**
 * Receives what the node does, for metrics and audit logs. Calls come from event loops and engine threads; they
 * must be cheap, thread-safe and must not throw.
 */
public interface Observer {
    Observer NONE = new Observer() {};

    /** A token request, as the audit log records it: never a secret, a token or a mac. */
    record TokenAudit(
            @Nullable String keyName,
            @Nullable String clientId,
            @Nullable String capability,
            String remoteAddress) {}

    // ---- connections ----

    default void connectionOpened(String format) {}

    default void connectionClosed(String format) {}

    /** A connection was suspended (transport lost) and may resume. */
    default void connectionSuspended(String format) {}

    default void connectionRefused(ErrorInfo error) {}

    default void reauthenticated() {}

    /** A client was dropped because it read too slowly (its outbound queue overflowed). */
    default void slowConsumerDropped() {}

    // ---- messages ----

    /** Messages published by clients (realtime or REST). */
    default void messagesIn(int count) {}

    /** Frames delivered to subscribers. */
    default void delivered(int frames) {}

    /** Time from receiving a publish to its ACK (engine append and fan-out included). */
    default void publishLatency(long nanos) {}

    /** One engine call and how long it took ({@code publish}, {@code history}, …). */
    default void engineCall(String operation, long nanos, boolean ok) {}

    /** A publish or presence change refused (NACK or REST error). */
    default void publishRefused(ErrorInfo error) {}

    // ---- security ----

    default void tokenIssued(TokenAudit audit) {}

    default void tokenRefused(TokenAudit audit, ErrorInfo error) {}

    /** Credentials refused anywhere (REST or realtime). */
    default void authFailed(ErrorInfo error) {}

    default void tokensRevoked(String keyName, int targets) {}

    // ---- REST ----

    default void restRequest(String method, String route, int status, long nanos) {}
}
