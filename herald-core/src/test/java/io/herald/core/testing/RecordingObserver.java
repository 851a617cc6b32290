package io.herald.core.testing;

import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Observer} that keeps what it was told, as lines such as {@code rest GET /time 200}. */
public final class RecordingObserver implements Observer {
    private final List<String> events = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return List.copyOf(events);
    }

    public List<String> events(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    @Override
    public void restRequest(String method, String route, int status, long nanos) {
        events.add("rest " + method + " " + route + " " + status);
    }

    @Override
    public void tokenIssued(TokenAudit audit) {
        events.add("tokenIssued " + audit.keyName() + " " + audit.clientId() + " " + audit.capability() + " "
                + audit.remoteAddress());
    }

    @Override
    public void tokenRefused(TokenAudit audit, ErrorInfo error) {
        events.add("tokenRefused " + audit.keyName() + " " + audit.clientId() + " " + audit.capability() + " "
                + error.code());
    }

    @Override
    public void authFailed(ErrorInfo error) {
        events.add("authFailed " + error.code());
    }

    @Override
    public void tokensRevoked(String keyName, int targets) {
        events.add("tokensRevoked " + keyName + " " + targets);
    }

    @Override
    public void messagesIn(int count) {
        events.add("messagesIn " + count);
    }
}
