package io.herald.server;

import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every report on to several observers (metrics, the audit log, a caller's own), in order. Each delegate
 * is called even if one before it throws.
 */
final class CompositeObserver implements Observer {
    private final Observer[] all;

    private CompositeObserver(Observer[] all) {
        this.all = all;
    }

    /** The observers that are not {@code null} or {@link Observer#NONE}; one alone is returned as it is. */
    static Observer of(Observer... observers) {
        List<Observer> list = new ArrayList<>();
        for (Observer o : observers) {
            if (o != null && o != Observer.NONE) {
                list.add(o);
            }
        }
        return switch (list.size()) {
            case 0 -> Observer.NONE;
            case 1 -> list.get(0);
            default -> new CompositeObserver(list.toArray(new Observer[0]));
        };
    }

    private interface Call {
        void on(Observer o);
    }

    private void each(Call call) {
        for (Observer o : all) {
            try {
                call.on(o);
            } catch (RuntimeException e) {
                // an observer must not break the node; the others still hear about it
            }
        }
    }

    @Override
    public void connectionOpened(String format) {
        for (Observer o : all) {
            try {
                o.connectionOpened(format);
            } catch (RuntimeException e) {
                // as in each()
            }
        }
    }

    @Override
    public void connectionClosed(String format) {
        each(o -> o.connectionClosed(format));
    }

    @Override
    public void connectionSuspended(String format) {
        each(o -> o.connectionSuspended(format));
    }

    @Override
    public void connectionRefused(ErrorInfo error) {
        each(o -> o.connectionRefused(error));
    }

    @Override
    public void reauthenticated() {
        each(Observer::reauthenticated);
    }

    @Override
    public void slowConsumerDropped() {
        each(Observer::slowConsumerDropped);
    }

    @Override
    public void messagesIn(int count) {
        for (Observer o : all) {
            try {
                o.messagesIn(count);
            } catch (RuntimeException e) {
                // as in each()
            }
        }
    }

    @Override
    public void delivered(int frames) {
        for (Observer o : all) {
            try {
                o.delivered(frames);
            } catch (RuntimeException e) {
                // as in each()
            }
        }
    }

    @Override
    public void publishLatency(long nanos) {
        for (Observer o : all) {
            try {
                o.publishLatency(nanos);
            } catch (RuntimeException e) {
                // as in each()
            }
        }
    }

    @Override
    public void engineCall(String operation, long nanos, boolean ok) {
        for (Observer o : all) {
            try {
                o.engineCall(operation, nanos, ok);
            } catch (RuntimeException e) {
                // as in each()
            }
        }
    }

    @Override
    public void publishRefused(ErrorInfo error) {
        each(o -> o.publishRefused(error));
    }

    @Override
    public void tokenIssued(TokenAudit audit) {
        each(o -> o.tokenIssued(audit));
    }

    @Override
    public void tokenRefused(TokenAudit audit, ErrorInfo error) {
        each(o -> o.tokenRefused(audit, error));
    }

    @Override
    public void authFailed(ErrorInfo error) {
        each(o -> o.authFailed(error));
    }

    @Override
    public void tokensRevoked(String keyName, int targets) {
        each(o -> o.tokensRevoked(keyName, targets));
    }

    @Override
    public void restRequest(String method, String route, int status, long nanos) {
        each(o -> o.restRequest(method, route, status, nanos));
    }
}
