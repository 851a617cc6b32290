package io.herald.demo;

import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|POST /api/ably/token}: the heart of the tutorial. For a signed-in user it answers the browser's
 * {@code authUrl} (or the app's {@code authCallback}) with a TokenRequest signed here with the secret key:
 * the username as clientId, the role's capability, the configured ttl. The browser's Ably SDK sends it to
 * Herald's {@code POST /keys/{keyName}/requestToken} and gets a token; the secret never leaves this process.
 * Anything the browser asks for (query or body: clientId, capability, ttl) is ignored: the server decides.
 * Without a session the answer is {@code 401 {"error":"User is not authorized"}}.
 */
final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    static final String NOT_AUTHORIZED = "{\"error\":\"User is not authorized\"}";

    private final ApiKey key;
    private final Duration ttl;
    private final Clock clock;
    private final Sessions sessions;

    /** Finds the signed-in user of a request. */
    interface Sessions {
        Optional<User> user(Context ctx);
    }

    TokenEndpoint(ApiKey key, Duration ttl, Clock clock, Sessions sessions) {
        this.key = Objects.requireNonNull(key, "key");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    void handle(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Optional<User> user = sessions.user(ctx);
        if (user.isEmpty()) {
            ctx.status(401).contentType("application/json").result(NOT_AUTHORIZED);
            return;
        }
        TokenRequest request = tokenRequestFor(user.get());
        LOG.info(
                "TokenRequest for {} ({}), ttl {} s",
                user.get().username(),
                user.get().role().id(),
                ttl.toSeconds());
        ctx.contentType("application/json").result(request.toJson());
    }

    /** The few lines a Java backend needs: who the user is decides the clientId and the capability. */
    TokenRequest tokenRequestFor(User user) {
        TokenParams params = new TokenParams()
                .withClientId(user.username())
                .withCapability(user.role().capability())
                .withTtl(ttl);
        return TokenRequests.create(key, params, clock);
    }
}
