package io.herald.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.auth.TokenDetails;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.NonceStore;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.internal.Stages;
import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /keys/{keyName}/requestToken} (docs/protocol.md §4.4-§4.8): checks a signed TokenRequest (mac over the
 * fields as received, timestamp window, single use) or an unsigned TokenParams body with Basic auth (token auth is
 * refused with 40162: a token never mints tokens), then issues a Herald token carrying the granted capability (always
 * the intersection with the key's, in canonical form).
 */
public final class TokenService {
    private final KeyRegistry keys;
    private final NonceStore nonces;
    private final Timings timings;
    private final Clock clock;
    private final Observer observer;
    private final RateLimits rateLimits;
    /** Requested capability text to its last outcome; bounded (cleared when full), short strings only. */
    private final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();

    private static final int GRANT_CACHE_LIMIT = 1024;
    private static final int GRANT_CACHE_MAX_CHARS = 1024;

    public TokenService(
            KeyRegistry keys,
            NonceStore nonces,
            Timings timings,
            Clock clock,
            Observer observer,
            RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.keys = keys;
        this.nonces = nonces;
        this.timings = timings;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * Issues a token.
     *
     * @param pathKeyName the {@code keyName} of the request path
     * @param body        the request body (TokenRequest or TokenParams)
     * @param caller      the request's Authorization, or {@code null} (a signed request needs none)
     * @param remote      the client's address, for the audit log
     */
    public CompletionStage<TokenDetails> requestToken(
            String pathKeyName, @Nullable JsonNode body, @Nullable AuthContext caller, String remote) {
        return Stages.guard(() -> issueToken(pathKeyName, body, caller)).whenComplete((td, failure) -> {
            if (failure == null) {
                observer.tokenIssued(new Observer.TokenAudit(td.keyName(), td.clientId(), td.capability(), remote));
            } else {
                String clientId = body != null && body.path("clientId").isTextual()
                        ? body.get("clientId").asText()
                        : null;
                String capability = body != null && body.path("capability").isTextual()
                        ? body.get("capability").asText()
                        : null;
                observer.tokenRefused(
                        new Observer.TokenAudit(pathKeyName, clientId, capability, remote),
                        AblyException.errorOf(failure));
            }
        });
    }

    private CompletionStage<TokenDetails> issueToken(
            String pathKeyName, @Nullable JsonNode body, @Nullable AuthContext caller) {
        {
            KeyConfig key = keys.key(pathKeyName);
            if (key == null) {
                throw Authenticator.unknownCredentials();
            }
            rateLimits.tokenRequest(pathKeyName);
            if (body == null || !body.isObject()) {
                throw new AblyException(
                        ErrorCode.INVALID_REQUEST_BODY,
                        "The requestToken body must be a TokenRequest or TokenParams JSON object");
            }
            TokenRequest request = TokenRequest.fromJsonNode(body);
            long now = clock.millis();
            Capability bound = key.capability();
            if (request.isSigned()) {
                if (request.keyName() != null && !pathKeyName.equals(request.keyName())) {
                    throw new AblyException(
                            ErrorCode.INVALID_CREDENTIALS,
                            "TokenRequest keyName " + request.keyName()
                                    + " does not match the key in the request path (" + pathKeyName + ")");
                }
                if (request.nonce() == null || request.nonce().length() < 16) {
                    throw new AblyException(
                            ErrorCode.INVALID_PARAMETER_VALUE, "TokenRequest nonce must have at least 16 characters");
                }
                long ts = request.timestampMillis();
                if (!TokenRequests.verifyMac(request, key.key().secret())) {
                    throw Authenticator.unknownCredentials();
                }
                long skew = ts - now;
                if (Math.abs(skew) > timings.tokenRequestWindow().toMillis()) {
                    throw new AblyException(
                            ErrorCode.TIMESTAMP_NOT_CURRENT,
                            "Timestamp not current: server time is "
                                    + now + ", request timestamp " + ts + " (skew " + skew + " ms; allowed ±"
                                    + timings.tokenRequestWindow().toMillis() + " ms)");
                }
            } else {
                if (caller == null) {
                    throw new AblyException(
                            ErrorCode.INVALID_CREDENTIALS,
                            "An unsigned token request needs Basic authentication with the key");
                }
                if (caller.isToken()) {
                    // a token must not mint tokens: the child could outlive it, widen its clientId and escape its
                    // revocation; only the key holder (Basic auth, or a TokenRequest signed with the key) may
                    throw new AblyException(
                            ErrorCode.TOKEN_AUTH_REQUIRED,
                            "Unable to request a token using token "
                                    + "auth: an unsigned token request needs Basic authentication with the key, or send a "
                                    + "TokenRequest signed with it");
                }
                if (!caller.keyName().equals(pathKeyName)) {
                    throw new AblyException(
                            ErrorCode.INVALID_CREDENTIALS, "The credentials are not for key " + pathKeyName);
                }
            }
            long ttl = ttlOf(request, key);
            Capability granted = grantedCapability(request, bound);
            String clientId = request.clientId();
            validateClientId(clientId);
            final String grantedClientId = clientId;
            final long grantedTtl = ttl;
            if (!request.isSigned()) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        issue(key, grantedClientId, granted, now, grantedTtl));
            }
            Instant forgetAfter = Instant.ofEpochMilli(Math.max(now, request.timestampMillis())
                    + 2 * timings.tokenRequestWindow().toMillis());
            String nonce = Objects.requireNonNull(request.nonce(), "a signed request's nonce is checked above");
            return nonces.claim(pathKeyName, nonce, forgetAfter).thenApply(first -> {
                if (!first) {
                    throw new AblyException(
                            ErrorCode.NONCE_REPLAYED,
                            "Nonce value replayed: this TokenRequest was "
                                    + "already used (TokenRequests are single-use)");
                }
                return issue(key, grantedClientId, granted, now, grantedTtl);
            });
        }
    }

    private TokenDetails issue(KeyConfig key, @Nullable String clientId, Capability capability, long now, long ttl) {
        TokenClaims claims =
                new TokenClaims(key.keyName(), Ids.urlSafe(16), clientId, capability.canonical(), now, now + ttl, null);
        String token = HeraldTokens.issue(key.key(), claims);
        return new TokenDetails(token, key.keyName(), now, now + ttl, capability.canonical(), clientId);
    }

    private long ttlOf(TokenRequest request, KeyConfig key) {
        Long ttl;
        try {
            ttl = request.ttlMillis();
        } catch (AuthException e) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid ttl: " + e.getMessage());
        }
        if (ttl == null) {
            ttl = timings.defaultTokenTtl().toMillis();
        }
        long max = (key.revocableTokens() ? timings.maxRevocableTokenTtl() : timings.maxTokenTtl()).toMillis();
        if (ttl <= 0) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid ttl " + ttl + ": must be positive");
        }
        if (ttl > max) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid ttl " + ttl + ": the maximum is " + max + " ms"
                            + (key.revocableTokens() ? " for keys with revocable tokens" : ""));
        }
        return ttl;
    }

    /**
     * The requested capability intersected with the key's. Clients ask for the same few capability strings over and
     * over, and parsing and intersecting them was the largest step of a requestToken after the HTTP codec (JMH
     * {@code RequestTokenBenchmark.capability}), so the outcome for a short string is remembered with the key
     * capability it was computed against (capabilities are immutable values).
     */
    private Capability grantedCapability(TokenRequest request, Capability bound) {
        String text = request.capability();
        if (text == null) {
            return bound;
        }
        Grant known = grants.get(text);
        if (known != null && known.bound().equals(bound)) {
            return checkNotEmpty(known);
        }
        Capability requested;
        try {
            requested = Capability.parse(text);
        } catch (AuthException e) {
            throw new AblyException(
                    io.herald.protocol.ErrorInfo.of(40000, 400, "Invalid capability: " + e.getMessage()));
        }
        Grant grant = new Grant(bound, requested, requested.intersect(bound));
        if (text.length() <= GRANT_CACHE_MAX_CHARS) {
            if (grants.size() >= GRANT_CACHE_LIMIT) {
                grants.clear();
            }
            grants.put(text, grant);
        }
        return checkNotEmpty(grant);
    }

    private static Capability checkNotEmpty(Grant grant) {
        if (grant.granted().isEmpty()) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Requested capability " + grant.requested().canonical()
                            + " has nothing in common with the key's capability "
                            + grant.bound().canonical());
        }
        return grant.granted();
    }

    /** A requested capability, the key capability it met and what that granted (possibly nothing). */
    private record Grant(Capability bound, Capability requested, Capability granted) {}

    /** clientId rules (SPEC TK2c, RSA7; 40012): a non-empty string; {@code "*"} means any. */
    public static void validateClientId(@Nullable String clientId) {
        if (clientId == null) {
            return;
        }
        if (clientId.isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_CLIENT_ID, "Invalid clientId: it must not be an empty string");
        }
        if (clientId.length() > 2048) {
            throw new AblyException(ErrorCode.INVALID_CLIENT_ID, "Invalid clientId: longer than 2048 characters");
        }
    }
}
