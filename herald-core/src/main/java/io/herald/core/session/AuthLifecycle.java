package io.herald.core.session;

import io.herald.core.config.KeyConfig;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.core.observe.Observer;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.transport.Loop;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The credentials of one connection over its life (docs/protocol.md §4): the current {@link AuthContext}; for a
 * token, an AUTH sent {@code reauthBeforeExpiry} before it expires and a 40142 disconnect when it does; the client's
 * in-band AUTH with a new token (same app, compatible clientId); revocations (an AUTH when one is announced, 40141 when
 * it applies) and key changes (40131/40141 when the key is removed or its secret rotated, a narrower capability when
 * its capability shrank). What that means for the channels and the connection is the {@link Owner}'s to do. Confined
 * to the session's loop.
 */
final class AuthLifecycle {

    /** The session side of the credentials. */
    interface Owner {
        boolean isConnected();

        boolean isClosed();

        /** The connection's identity, or {@code null} when anonymous. */
        @Nullable
        String clientId();

        void send(ProtocolMessage pm);

        /** DISCONNECTED with {@code error}; the client may come back. */
        void disconnect(ErrorInfo error);

        /** A connection-level ERROR; the connection is gone. */
        void fail(ErrorInfo error);

        /** New credentials were accepted: the client gets CONNECTED again, channels are checked against them. */
        void renewed();

        /** The capability shrank without new credentials: channels it no longer covers are detached. */
        void narrowed();
    }

    private final Owner owner;
    private final Loop loop;
    private final Clock clock;
    private final Authenticator authenticator;
    private final Observer observer;
    private final Duration reauthBeforeExpiry;
    private AuthContext current;
    /** The AUTH before expiry, then (set when that one runs) the expiry: one timer per connection at a time. */
    private Loop.Cancellable timer = Loop.Cancellable.NONE;

    private Loop.Cancellable revocationTimer = Loop.Cancellable.NONE;

    AuthLifecycle(
            Owner owner,
            Loop loop,
            Clock clock,
            Authenticator authenticator,
            Observer observer,
            Duration reauthBeforeExpiry,
            AuthContext initial) {
        this.owner = owner;
        this.loop = loop;
        this.clock = clock;
        this.authenticator = authenticator;
        this.observer = observer;
        this.reauthBeforeExpiry = reauthBeforeExpiry;
        this.current = initial;
    }

    AuthContext current() {
        return current;
    }

    /** Credentials a resume brought; {@link #start()} follows when the transport is bound. */
    void replace(AuthContext next) {
        current = next;
    }

    boolean allows(String channel, String operation) {
        return current.capability().allows(channel, operation);
    }

    String denial(String channel, String operation) {
        return "Operation not permitted: " + operation + " on channel '" + channel + "' is not allowed by the "
                + "capability " + current.capability().canonical();
    }

    /** Connected: schedules the AUTH before expiry and the expiry of the current token (a key does not expire). */
    // the timers belong to one AuthContext instance: once it is replaced (even by equal credentials) they do nothing
    @SuppressWarnings("ReferenceEquality")
    void start() {
        pause();
        if (!current.isToken()) {
            return;
        }
        long remaining = current.expires() - clock.millis();
        final AuthContext scheduled = current;
        if (remaining <= 0) {
            loop.execute(() -> expire(scheduled));
            return;
        }
        long before = reauthBeforeExpiry.toMillis();
        if (remaining > before) {
            timer = loop.schedule(
                    () -> {
                        if (current != scheduled) {
                            return; // replaced credentials: neither the AUTH nor the expiry is theirs
                        }
                        if (owner.isConnected()) {
                            owner.send(new ProtocolMessage(Action.AUTH));
                        }
                        timer = loop.schedule(
                                () -> expire(scheduled),
                                Math.max(0, scheduled.expires() - clock.millis()),
                                TimeUnit.MILLISECONDS);
                    },
                    remaining - before,
                    TimeUnit.MILLISECONDS);
        } else {
            timer = loop.schedule(() -> expire(scheduled), remaining, TimeUnit.MILLISECONDS);
        }
    }

    /** The transport is gone: no AUTH or expiry until the client is back (a pending revocation still applies). */
    void pause() {
        timer.cancel();
        timer = Loop.Cancellable.NONE;
    }

    /** The connection ended: no timer of it fires any more. */
    void stop() {
        pause();
        revocationTimer.cancel();
    }

    // identity on purpose, as in start(): only the very credentials the timer was scheduled for expire
    @SuppressWarnings("ReferenceEquality")
    private void expire(AuthContext expired) {
        if (current != expired || !owner.isConnected()) {
            return;
        }
        owner.disconnect(ErrorCode.TOKEN_EXPIRED.info("Token expired"));
    }

    /** The client's AUTH with a new token (SPEC RTC8a). */
    void reauth(ProtocolMessage pm) {
        if (pm.auth == null || pm.auth.accessToken == null || pm.auth.accessToken.isEmpty()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "AUTH without auth.accessToken");
        }
        AuthContext next;
        try {
            next = authenticator.token(pm.auth.accessToken);
        } catch (AblyException e) {
            int code = e.error().code();
            if (code >= 40140 && code < 40150) {
                owner.disconnect(e.error());
            } else {
                owner.fail(e.error());
            }
            return;
        }
        if (!next.appId().equals(current.appId())) {
            owner.fail(ErrorCode.INVALID_CREDENTIALS.info("The new token is for another app"));
            return;
        }
        String clientId = owner.clientId();
        String fixed = next.fixedClientId();
        if (clientId != null
                ? (fixed != null && !fixed.equals(clientId)) || (next.clientId() == null)
                : fixed != null) {
            owner.fail(ErrorCode.INCOMPATIBLE_CREDENTIALS.info("Invalid clientId for credentials: the connection's "
                    + "clientId " + (clientId == null ? "(none)" : "'" + clientId + "'") + " cannot change to "
                    + (fixed == null ? "(none)" : "'" + fixed + "'")));
            return;
        }
        current = next;
        observer.reauthenticated();
        start();
        owner.renewed();
    }

    /** Applies a revocation: disconnects with 40141 if it matches now, or checks again when it applies. */
    void onRevocation(Revocation r) {
        if (owner.isClosed()
                || !current.isToken()
                || !r.targets(current.keyName(), current.clientId(), current.revocationKey(), current.issued())) {
            return;
        }
        long now = clock.millis();
        if (now >= r.appliesAt()) {
            checkRevoked();
            return;
        }
        if (owner.isConnected()) {
            owner.send(new ProtocolMessage(Action.AUTH));
        }
        revocationTimer.cancel();
        revocationTimer = loop.schedule(this::checkRevoked, r.appliesAt() - now, TimeUnit.MILLISECONDS);
    }

    private void checkRevoked() {
        if (owner.isClosed()) {
            return;
        }
        if (authenticator.revokedBy(current, clock.millis()) != null) {
            owner.disconnect(ErrorCode.TOKEN_REVOKED.info("Token revoked"));
        }
    }

    /**
     * The configuration of the connection's key changed (reload, sandbox): a key that is gone or has a new secret
     * disconnects (40131 for a key, 40141 for a token of that key; its credentials are refused on the way back in);
     * a key whose capability changed leaves the connection only what both allow.
     */
    void keyChanged(@Nullable KeyConfig key) {
        if (owner.isClosed()) {
            return;
        }
        if (key == null || !current.verifiedBy(key.key())) {
            if (owner.isConnected()) {
                String why = key == null ? " was removed" : "'s secret was rotated";
                owner.disconnect(
                        current.isToken()
                                ? ErrorCode.TOKEN_REVOKED.info("Token revoked: its key " + current.keyName() + why)
                                : ErrorCode.KEY_REVOKED.info("Key revoked: key " + current.keyName() + why));
            }
            return;
        }
        var narrowed = current.capability().intersect(key.capability());
        if (!narrowed.equals(current.capability())) {
            AuthContext a = current;
            current = new AuthContext(
                    a.kind(),
                    a.appId(),
                    a.keyName(),
                    a.clientId(),
                    narrowed,
                    a.issued(),
                    a.expires(),
                    a.tokenId(),
                    a.revocationKey(),
                    a.key(),
                    a.userClaims());
            owner.narrowed();
        }
    }
}
