package io.herald.core.session;

import io.herald.core.fault.Fault;
import io.herald.protocol.ErrorInfo;
import java.util.Objects;

/** What a one-shot connection fault does to a session (docs/faults.md). On the session's loop. */
final class FaultActions {
    private FaultActions() {}

    static void onConnection(Session s, Fault f) {
        ErrorInfo error = Objects.requireNonNull(f.error(), "a registered fault has an error");
        switch (f.kind()) {
            case CONNECTION_DROP -> s.dropTransport("injected fault " + f.id());
            case CONNECTION_DISCONNECT -> s.disconnect(error);
            case CONNECTION_FAIL -> s.fail(error);
            case TOKEN_EXPIRE -> {
                // as AuthLifecycle does when a token runs out: only token connections have one to expire
                if (s.auth().isToken()) {
                    s.disconnect(error);
                }
            }
            default -> throw new IllegalArgumentException("not a one-shot connection fault: " + f.kind());
        }
    }
}
