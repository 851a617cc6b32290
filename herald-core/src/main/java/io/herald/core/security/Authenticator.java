package io.herald.core.security;

import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.core.config.KeyConfig;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.RevocationStore;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;

/**
 * Verifies credentials (docs/protocol.md §4.2, §4.9): an API key (Basic auth or the {@code key} query param), a Herald
 * token or an Ably JWT (Bearer, raw or base64; {@code access_token}/{@code accessToken}). Tokens are checked against
 * the key they name as it is configured now, so a removed key's tokens stop working on their next use, and against
 * the revocations of keys with revocable tokens.
 */
public final class Authenticator {
    private final KeyRegistry keys;
    private final RevocationStore revocations;
    private final Clock clock;

    public Authenticator(KeyRegistry keys, RevocationStore revocations, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** A full key string {@code appId.keyId:secret}. */
    public AuthContext key(String keyString) {
        ApiKey presented;
        try {
            presented = ApiKey.parse(keyString);
        } catch (AuthException e) {
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "Invalid key: " + e.getMessage());
        }
        KeyConfig key = keys.key(presented.keyName());
        if (key == null) {
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "Invalid credentials: key " + presented.keyName()
                    + " is not known");
        }
        if (!MessageDigest.isEqual(key.key().secret().getBytes(StandardCharsets.UTF_8),
                presented.secret().getBytes(StandardCharsets.UTF_8))) {
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS,
                    "Invalid credentials: wrong secret for key " + presented.keyName());
        }
        return new AuthContext(AuthContext.Kind.BASIC, key.appId(), key.keyName(), "*", key.capability(),
                0, Long.MAX_VALUE, null, null);
    }

    /** The value of a Basic {@code Authorization} header (without the scheme). */
    public AuthContext basic(String base64) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "Invalid Basic authorization header: not base64");
        }
        return key(decoded);
    }

    /** The value of a Bearer {@code Authorization} header: a token, raw or base64-encoded (docs/protocol.md §4.2). */
    public AuthContext bearer(String value) {
        String v = value.trim();
        if (v.indexOf('.') < 0) {
            try {
                String decoded = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
                if (HeraldTokens.looksLikeHeraldToken(decoded) || AblyJwt.looksLikeJwt(decoded)) {
                    v = decoded;
                }
            } catch (IllegalArgumentException e) {
                // not base64: use it raw
            }
        }
        return token(v);
    }

    /** A Herald token or an Ably JWT. Every refusal is an {@link AblyException} with the Ably code. */
    public AuthContext token(String token) {
        try {
            return verifyToken(token);
        } catch (AuthException e) {
            throw new AblyException(ErrorInfo.of(e.code(), e.statusCode(), e.getMessage()));
        }
    }

    private AuthContext verifyToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_TOKEN, "Empty token");
        }
        long now = clock.millis();
        AuthContext ctx;
        if (HeraldTokens.looksLikeHeraldToken(token)) {
            TokenClaims unverified = HeraldTokens.decodeUnverified(token);
            KeyConfig key = lookup(unverified.keyName(), appIdOf(unverified.keyName()));
            TokenClaims claims = HeraldTokens.verify(token, key.key());
            if (now >= claims.expires()) {
                throw new AblyException(ErrorCode.TOKEN_EXPIRED, "Token expired");
            }
            ctx = context(AuthContext.Kind.TOKEN, key, claims);
        } else if (AblyJwt.looksLikeJwt(token)) {
            String keyName = AblyJwt.keyName(token);
            KeyConfig key = lookup(keyName, appIdOf(keyName));
            TokenClaims claims = AblyJwt.verify(token, key.key(), clock);
            ctx = context(AuthContext.Kind.JWT, key, claims);
        } else {
            throw new AblyException(ErrorCode.TOKEN_UNRECOGNISED, "Token not recognised: neither a Herald token nor an Ably JWT");
        }
        checkNotRevoked(ctx, now);
        return ctx;
    }

    private static AuthContext context(AuthContext.Kind kind, KeyConfig key, TokenClaims claims) {
        if (claims.clientId() != null && claims.clientId().isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_CLIENT_ID, "Invalid token: empty clientId");
        }
        Capability capability = key.capability();
        if (claims.capability() != null) {
            capability = Capability.parse(claims.capability()).intersect(key.capability());
            if (capability.isEmpty()) {
                throw new AblyException(ErrorCode.OPERATION_NOT_PERMITTED,
                        "The token's capability has nothing in common with its key's capability");
            }
        }
        return new AuthContext(kind, key.appId(), key.keyName(), claims.clientId(), capability,
                claims.issued(), claims.expires(), claims.tokenId(), claims.revocationKey());
    }

    /** Throws 40141 if the credentials were revoked. */
    public void checkNotRevoked(AuthContext ctx, long now) {
        if (revokedBy(ctx, now) != null) {
            throw new AblyException(ErrorCode.TOKEN_REVOKED, "Token revoked");
        }
    }

    /** The revocation that applies to the credentials now, or {@code null}. */
    public Revocation revokedBy(AuthContext ctx, long now) {
        if (!ctx.isToken()) {
            return null;
        }
        KeyConfig key = keys.key(ctx.keyName());
        if (key == null || !key.revocableTokens()) {
            return null;
        }
        for (Revocation r : revocations.forKey(ctx.keyName())) {
            if (r.matches(ctx.keyName(), ctx.clientId(), ctx.revocationKey(), ctx.issued(), now)) {
                return r;
            }
        }
        return null;
    }

    /** Whether the key the credentials came from is still configured (keys can be removed by a reload). */
    public boolean keyStillValid(AuthContext ctx) {
        return keys.key(ctx.keyName()) != null;
    }

    private KeyConfig lookup(String keyName, String appId) {
        KeyConfig key = keys.key(keyName);
        if (key == null) {
            if (appId != null && keys.app(appId) != null) {
                throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "Key " + keyName + " is not a key of app " + appId);
            }
            throw new AblyException(ErrorCode.NOT_FOUND, "No application found with id " + appId);
        }
        return key;
    }

    static String appIdOf(String keyName) {
        if (keyName == null) {
            return null;
        }
        int dot = keyName.indexOf('.');
        return dot < 0 ? keyName : keyName.substring(0, dot);
    }
}
