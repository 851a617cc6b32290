package io.herald.core.session;

import io.herald.protocol.ErrorInfo;

/**
 * Receives what sessions do, for metrics and audit logs. Calls come from session loops and must be cheap.
 */
public interface SessionObserver {
    SessionObserver NONE = new SessionObserver() { };

    default void connectionOpened(String format) {
    }

    default void connectionClosed(String format) {
    }

    default void connectionRefused(ErrorInfo error) {
    }

    default void messagesIn(int count) {
    }

    default void delivered(int frames) {
    }

    default void reauthenticated() {
    }

    default void publishLatency(long nanos) {
    }
}
