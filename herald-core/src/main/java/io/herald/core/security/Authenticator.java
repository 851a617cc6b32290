package io.herald.core.security;

import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.RevocationStore;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Verifies credentials (docs/protocol.md §4.2, §4.9): an API key (Basic auth or the {@code key} query param), a Herald
 * token or an Ably JWT (Bearer, raw or base64; {@code access_token}/{@code accessToken}). Tokens are checked against
 * the key they name as it is configured now, so a removed key's tokens stop working on their next use, and against
 * the revocations of keys with revocable tokens.
 */
public final class Authenticator {
    /**
     * The one answer for an unknown app, an unknown key and a wrong secret or mac (401, 40101), so that app ids and key
     * names cannot be told apart from secrets by probing.
     */
    public static final String UNKNOWN_CREDENTIALS = "Invalid credentials: key not recognised or secret incorrect";

    private final KeyRegistry keys;
    /** One instance per distinct token capability, shared by the connections that hold it. */
    private final SharedCapabilities capabilities = new SharedCapabilities();

    private final RevocationStore revocations;
    private final Timings timings;
    private final Clock clock;

    public Authenticator(KeyRegistry keys, RevocationStore revocations, Timings timings, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.timings = timings;
        this.clock = clock;
    }

    /** The refusal for an unknown app, unknown key or wrong secret: the same status, code and message for all. */
    public static AblyException unknownCredentials() {
        return new AblyException(ErrorCode.INVALID_CREDENTIALS, UNKNOWN_CREDENTIALS);
    }

    /**
     * The longest lifetime a token of any key can have: revocations are kept this long (plus the clock skew allowed
     * for {@code iat}) after their {@code issuedBefore}, so that every token they cover has expired by then.
     */
    public static java.time.Duration maxTokenLifetime(Timings timings) {
        return timings.maxTokenTtl().compareTo(timings.maxRevocableTokenTtl()) >= 0
                ? timings.maxTokenTtl()
                : timings.maxRevocableTokenTtl();
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
        if (key == null
                || !MessageDigest.isEqual(
                        key.key().secret().getBytes(StandardCharsets.UTF_8),
                        presented.secret().getBytes(StandardCharsets.UTF_8))) {
            throw unknownCredentials();
        }
        return new AuthContext(
                AuthContext.Kind.BASIC,
                key.appId(),
                key.keyName(),
                "*",
                key.capability(),
                0,
                Long.MAX_VALUE,
                null,
                null,
                key.key());
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
            KeyConfig key = keys.key(unverified.keyName());
            if (key == null) {
                refuseUnknownApp(unverified.keyName());
                // the answer HeraldTokens.verify gives for a wrong signature: an unknown key looks the same
                throw new AblyException(ErrorCode.TOKEN_UNRECOGNISED, "Token unrecognised");
            }
            TokenClaims claims = HeraldTokens.verify(token, key.key());
            if (now >= claims.expires()) {
                throw new AblyException(ErrorCode.TOKEN_EXPIRED, "Token expired");
            }
            ctx = context(AuthContext.Kind.TOKEN, key, claims);
        } else if (AblyJwt.looksLikeJwt(token)) {
            String keyName = AblyJwt.keyName(token);
            KeyConfig key = keys.key(keyName);
            if (key == null) {
                refuseUnknownApp(keyName);
                // the answer AblyJwt.verify gives for a wrong signature: an unknown key looks the same
                throw new AblyException(ErrorInfo.of(ErrorCode.INVALID_JWT.code(), 401, "JWT signature is invalid"));
            }
            TokenClaims claims = AblyJwt.verify(token, key.key(), clock);
            checkJwtTimes(claims, now);
            ctx = context(AuthContext.Kind.JWT, key, claims);
        } else {
            throw new AblyException(
                    ErrorCode.TOKEN_UNRECOGNISED, "Token not recognised: neither a Herald token nor an Ably JWT");
        }
        checkNotRevoked(ctx, now);
        return ctx;
    }

    /**
     * A token (Herald's or a JWT) that names an app this server does not have is refused with 404 / 40400, as Ably
     * does. A 401 with a token error code (40140-40149) would make an SDK fetch a new token and retry, for ever when
     * its token source is misconfigured; 40400 is final. App ids are not secret (they start every key name and are
     * in every token), while an unknown key of a known app still looks like a wrong signature.
     */
    private void refuseUnknownApp(String keyName) {
        int dot = keyName.indexOf('.');
        String appId = dot < 0 ? keyName : keyName.substring(0, dot);
        if (keys.app(appId) == null) {
            throw new AblyException(
                    ErrorInfo.of(ErrorCode.NOT_FOUND.code(), 404, "No application found with id " + appId));
        }
    }

    /**
     * A JWT's lifetime is capped like a Herald token's (the longest ttl of any key), and its {@code iat} may be ahead
     * of the server clock by at most the TokenRequest window: revocations match by {@code iat} and are kept only
     * until every token they cover has expired, so neither a far-future {@code iat} nor a long lifetime escapes them.
     */
    private void checkJwtTimes(TokenClaims claims, long now) {
        long skew = timings.tokenRequestWindow().toMillis();
        if (claims.issued() > now + skew) {
            throw new AblyException(
                    ErrorCode.TIMESTAMP_NOT_CURRENT,
                    "Timestamp not current: the JWT iat (" + claims.issued() + ") is ahead of the server time (" + now
                            + ") by more than " + skew + " ms");
        }
        long max = maxTokenLifetime(timings).toMillis();
        if (claims.expires() - claims.issued() > max) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid JWT lifetime: exp - iat is " + (claims.expires() - claims.issued())
                            + " ms; the maximum is " + max + " ms");
        }
    }

    private AuthContext context(AuthContext.Kind kind, KeyConfig key, TokenClaims claims) {
        if (claims.clientId() != null && claims.clientId().isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_CLIENT_ID, "Invalid token: empty clientId");
        }
        Capability capability = key.capability();
        if (claims.capability() != null) {
            capability = Capability.parse(claims.capability()).intersect(key.capability());
            if (capability.isEmpty()) {
                throw new AblyException(
                        ErrorCode.OPERATION_NOT_PERMITTED,
                        "The token's capability has nothing in common with its key's capability");
            }
            capability = capabilities.share(capability, key.capability());
        }
        return new AuthContext(
                kind,
                key.appId(),
                key.keyName(),
                claims.clientId(),
                capability,
                claims.issued(),
                claims.expires(),
                claims.tokenId(),
                claims.revocationKey(),
                key.key(),
                UserClaims.of(claims.userClaims()));
    }

    /** Throws 40141 if the credentials were revoked. */
    public void checkNotRevoked(AuthContext ctx, long now) {
        if (revokedBy(ctx, now) != null) {
            throw new AblyException(ErrorCode.TOKEN_REVOKED, "Token revoked");
        }
    }

    /** The revocation that applies to the credentials now, or {@code null}. */
    public @Nullable Revocation revokedBy(AuthContext ctx, long now) {
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

    static @Nullable String appIdOf(@Nullable String keyName) {
        if (keyName == null) {
            return null;
        }
        int dot = keyName.indexOf('.');
        return dot < 0 ? keyName : keyName.substring(0, dot);
    }
}
