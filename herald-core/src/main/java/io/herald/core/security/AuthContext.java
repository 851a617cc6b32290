package io.herald.core.security;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import org.jspecify.annotations.Nullable;

/**
 * What one set of credentials may do, after verification.
 *
 * @param kind          how the client authenticated
 * @param appId         the app the credentials belong to
 * @param keyName       the key they were derived from
 * @param clientId      {@code null} for an anonymous token, {@code "*"} when any clientId may be assumed (basic auth
 *                      or a wildcard token), otherwise the identity the credentials are bound to (SPEC RSA7, TD6)
 * @param capability    the effective capability (already intersected with the key's)
 * @param issued        token issue time (ms); 0 for basic auth
 * @param expires       token expiry (ms); {@link Long#MAX_VALUE} for basic auth
 * @param tokenId       the token's id, {@code null} for basic auth
 * @param revocationKey the JWT's revocation key, or {@code null}
 * @param key           the key (with its secret) that verified the credentials: when a reload rotates or removes it,
 *                      connections that authenticated with it are closed
 * @param userClaims    a JWT's user claims ({@link UserClaims#NONE} for other credentials)
 */
public record AuthContext(
        Kind kind,
        String appId,
        String keyName,
        @Nullable String clientId,
        Capability capability,
        long issued,
        long expires,
        @Nullable String tokenId,
        @Nullable String revocationKey,
        ApiKey key,
        UserClaims userClaims) {

    /**
     * The key name is built anew each time a key is asked for it ({@code appId + "." + keyId}), so each verified
     * credential would keep its own copy for a connection's lifetime; the few configured key names are shared instead.
     */
    public AuthContext {
        keyName = keyName.intern();
    }

    /** Credentials without user claims. */
    public AuthContext(
            Kind kind,
            String appId,
            String keyName,
            @Nullable String clientId,
            Capability capability,
            long issued,
            long expires,
            @Nullable String tokenId,
            @Nullable String revocationKey,
            ApiKey key) {
        this(kind, appId, keyName, clientId, capability, issued, expires, tokenId, revocationKey, key, UserClaims.NONE);
    }

    public enum Kind {
        BASIC,
        TOKEN,
        JWT
    }

    public boolean isToken() {
        return kind != Kind.BASIC;
    }

    /** Whether {@code current} (the key as configured now) is still the key that verified these credentials. */
    public boolean verifiedBy(ApiKey current) {
        return current != null && current.equals(key);
    }

    /** The identity the credentials fix, {@code null} when none is fixed (anonymous or wildcard). */
    public @Nullable String fixedClientId() {
        return clientId == null || "*".equals(clientId) ? null : clientId;
    }
}
