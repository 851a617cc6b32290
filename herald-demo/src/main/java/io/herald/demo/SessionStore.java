package io.herald.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sign-in sessions. A session id is 256 random bits (base64url), the only thing the browser
 * holds (in an HttpOnly cookie). Sessions expire after {@code idleTimeout} without use and are bounded in
 * number: when full, expired sessions are dropped and, if none are, a new sign-in is refused.
 */
public final class SessionStore {

    /** One session: who signed in and until when it stays valid without use. */
    record Session(User user, long expiresAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;
    private final int maxSessions;

    /**
     * @param idleTimeout how long a session lives after its last use
     * @param maxSessions the most sessions held at once
     */
    public SessionStore(Clock clock, Duration idleTimeout, int maxSessions) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1");
        }
        this.maxSessions = maxSessions;
    }

    /** A new session for {@code user}; its id, or empty if the store is full of live sessions. */
    public Optional<String> create(User user) {
        Objects.requireNonNull(user, "user");
        if (sessions.size() >= maxSessions) {
            purgeExpired();
            if (sessions.size() >= maxSessions) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(user, clock.millis() + idleTimeout.toMillis()));
        return Optional.of(id);
    }

    /** The user of a live session (and extends it), or empty for an unknown or expired id. */
    public Optional<User> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        Session s = sessions.computeIfPresent(
                id, (k, v) -> v.expiresAt <= now ? null : new Session(v.user, now + idleTimeout.toMillis()));
        return s == null ? Optional.empty() : Optional.of(s.user);
    }

    /** Ends a session (sign-out); unknown ids are ignored. */
    public void invalidate(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Live and not yet purged sessions. */
    int size() {
        return sessions.size();
    }

    private void purgeExpired() {
        long now = clock.millis();
        sessions.values().removeIf(s -> s.expiresAt <= now);
    }
}
