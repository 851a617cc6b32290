package io.herald.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Ably JWTs (docs/protocol.md §4.9; DOCS auth/token/jwt.mdx): header {@code {"typ":"JWT","alg":"HS256","kid":keyName}},
 * HMAC-SHA256 with the key secret's UTF-8 bytes, claims {@code iat}/{@code exp} in seconds,
 * {@code x-ably-capability} (a JSON string), {@code x-ably-clientId} and {@code x-ably-revocation-key}, and user
 * claims: {@code ably.channel.<channel>}, {@code ably.channel.<namespace>:*}, {@code ably.channel.*} and the Chat forms
 * {@code ably.room.<room>} (etc.), whose value the server copies into {@code extras.userClaim} of what the client
 * publishes there (docs/protocol.md §4.9).
 * Signing and verification are done by nimbus-jose-jwt.
 *
 * <p>Limitations: only HS256; the secret must be at least 32 bytes (nimbus enforces the RFC 7518 §3.2 key
 * size; {@link ApiKey#generate} secrets and Ably's are 43); embedded tokens ({@code x-ably-token}) and
 * plain-base64 segments are not supported.
 */
public final class AblyJwt {

    static final String CAPABILITY_CLAIM = "x-ably-capability";
    static final String CLIENT_ID_CLAIM = "x-ably-clientId";
    static final String REVOCATION_KEY_CLAIM = "x-ably-revocation-key";

    /** The prefix of a channel-scoped user claim. */
    public static final String CHANNEL_CLAIM_PREFIX = "ably.channel.";

    /** The prefix of a Chat room-scoped user claim. */
    public static final String ROOM_CLAIM_PREFIX = "ably.room.";

    /** At most this many user claims in one JWT. */
    public static final int MAX_USER_CLAIMS = 100;

    /** A user claim's value at most this long (characters), as text. */
    public static final int MAX_USER_CLAIM_LENGTH = 1024;

    private AblyJwt() {}

    /**
     * Mints an Ably JWT signed with {@code key}: {@code iat} = now (seconds, rounded down), {@code exp} =
     * {@code iat + ttl} (whole seconds).
     *
     * @param clientId       the {@code x-ably-clientId} claim, or {@code null} for none
     * @param capabilityJson the {@code x-ably-capability} claim, validated and canonicalised; {@code null} omits
     *                       it (the server then uses the key's capability)
     * @param ttl            lifetime, at least one second
     * @param revocationKey  the {@code x-ably-revocation-key} claim, or {@code null}
     * @throws AuthException            40000/400 for a malformed capability
     * @throws IllegalArgumentException for a ttl under one second or a secret shorter than 32 bytes
     */
    public static String mint(
            ApiKey key,
            @Nullable String clientId,
            @Nullable String capabilityJson,
            Duration ttl,
            @Nullable String revocationKey,
            Clock clock) {
        return mint(key, clientId, capabilityJson, ttl, revocationKey, Map.of(), clock);
    }

    /**
     * As {@link #mint(ApiKey, String, String, Duration, String, Clock)}, with user claims: each name is
     * {@code ably.channel.<channel | namespace:* | *>} or {@code ably.room.<room | namespace:* | *>}, each value the
     * text the server puts in {@code extras.userClaim} of the messages, presence and annotations the client
     * publishes on the channels the claim covers (the most specific claim wins).
     *
     * @throws IllegalArgumentException for a claim name without one of the two prefixes or with nothing after it,
     *                                  more than {@value #MAX_USER_CLAIMS} claims, or a value longer than
     *                                  {@value #MAX_USER_CLAIM_LENGTH} characters
     */
    @SuppressWarnings("JavaUtilDate") // Nimbus's JWTClaimsSet takes java.util.Date for iat and exp
    public static String mint(
            ApiKey key,
            @Nullable String clientId,
            @Nullable String capabilityJson,
            Duration ttl,
            @Nullable String revocationKey,
            Map<String, String> userClaims,
            Clock clock) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(userClaims, "userClaims");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clock, "clock");
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("JWT ttl must be at least one second");
        }
        long iat = Math.floorDiv(clock.millis(), 1000L);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issueTime(new Date(iat * 1000L))
                .expirationTime(new Date((iat + ttl.toSeconds()) * 1000L));
        if (capabilityJson != null) {
            claims.claim(CAPABILITY_CLAIM, Capability.parse(capabilityJson).canonical());
        }
        if (clientId != null) {
            claims.claim(CLIENT_ID_CLAIM, clientId);
        }
        if (revocationKey != null) {
            claims.claim(REVOCATION_KEY_CLAIM, revocationKey);
        }
        if (userClaims.size() > MAX_USER_CLAIMS) {
            throw new IllegalArgumentException("at most " + MAX_USER_CLAIMS + " user claims");
        }
        for (Map.Entry<String, String> c : userClaims.entrySet()) {
            if (!isUserClaim(c.getKey())) {
                throw new IllegalArgumentException("user claim name '" + c.getKey() + "' must be "
                        + CHANNEL_CLAIM_PREFIX + "<channel> or " + ROOM_CLAIM_PREFIX + "<room>");
            }
            if (c.getValue().length() > MAX_USER_CLAIM_LENGTH) {
                throw new IllegalArgumentException(
                        "user claim " + c.getKey() + " is longer than " + MAX_USER_CLAIM_LENGTH + " characters");
            }
            claims.claim(c.getKey(), c.getValue());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.keyName())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new MACSigner(key.secret().getBytes(StandardCharsets.UTF_8)));
        } catch (KeyLengthException e) {
            throw new IllegalArgumentException("key secret is shorter than the 32 bytes HS256 needs", e);
        } catch (JOSEException e) {
            throw new IllegalStateException("JWT signing failed", e);
        }
        return jwt.serialize();
    }

    /**
     * True if {@code token} has the shape of a JWT: three dot-separated base64url segments (the signature may
     * be empty) whose first decodes to a JSON object with an {@code alg} member (docs/protocol.md §4.9
     * "How a JWT is told apart"). Says nothing about validity.
     */
    public static boolean looksLikeJwt(String token) {
        if (token == null) {
            return false;
        }
        int d1 = token.indexOf('.');
        int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
        if (d2 < 0 || token.indexOf('.', d2 + 1) >= 0) {
            return false;
        }
        if (!Crypto.isBase64Url(token, 0, d1)
                || !Crypto.isBase64Url(token, d1 + 1, d2)
                || (d2 + 1 < token.length() && !Crypto.isBase64Url(token, d2 + 1, token.length()))) {
            return false;
        }
        try {
            JsonNode header = Json.mapper().readTree(Crypto.BASE64URL_DECODER.decode(token.substring(0, d1)));
            return header != null && header.isObject() && header.has("alg");
        } catch (IllegalArgumentException | java.io.IOException e) {
            return false;
        }
    }

    /**
     * The {@code kid} header: the name of the key that should verify this JWT.
     *
     * @throws AuthException 40144/401 if the JWT header cannot be parsed or has no {@code kid}
     */
    public static String keyName(String jwt) {
        int dot = jwt == null ? -1 : jwt.indexOf('.');
        if (dot <= 0) {
            throw invalid(401, "JWT is malformed");
        }
        try {
            String kid = JWSHeader.parse(new Base64URL(jwt.substring(0, dot))).getKeyID();
            if (kid == null || kid.isEmpty()) {
                throw invalid(401, "JWT header has no kid (the key name)");
            }
            return kid;
        } catch (ParseException e) {
            throw invalid(401, "JWT header is malformed");
        }
    }

    /**
     * Verifies an Ably JWT against {@code key} and returns its claims.
     *
     * <p>Checks, in order: structure; {@code alg} is HS256 ({@code none} and all others rejected); {@code kid}
     * is {@code key.keyName()}; the signature; {@code iat} and {@code exp} present; claim types; {@code nbf}
     * if present; expiry ({@code exp <= now}). A missing {@code x-ably-capability} gives a {@code null}
     * capability: the caller falls back to the key's capability (docs/protocol.md §4.9). {@code tokenId} is the
     * {@code jti}, or else the first 16 bytes of SHA-256 of the JWT, base64url.
     *
     * @throws AuthException 40144/401 for a malformed JWT, wrong algorithm, wrong key or bad signature;
     *                       40144/400 for missing or malformed claims; 40142/401 "Token expired" if expired
     */
    @SuppressWarnings("JavaUtilDate") // Nimbus's JWTClaimsSet returns java.util.Date for iat, exp and nbf
    public static TokenClaims verify(@Nullable String jwt, ApiKey key, Clock clock) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clock, "clock");
        if (jwt == null) {
            throw invalid(401, "JWT is missing");
        }
        SignedJWT signed;
        try {
            signed = SignedJWT.parse(jwt);
        } catch (ParseException e) {
            throw invalid(401, "JWT is malformed or not signed");
        }
        JWSHeader header = signed.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw invalid(401, "JWT alg must be HS256");
        }
        if (!key.keyName().equals(header.getKeyID())) {
            throw invalid(401, "JWT kid does not name the verifying key");
        }
        try {
            if (!signed.verify(new MACVerifier(key.secret().getBytes(StandardCharsets.UTF_8)))) {
                throw invalid(401, "JWT signature is invalid");
            }
        } catch (KeyLengthException e) {
            throw invalid(401, "key secret is shorter than the 32 bytes HS256 needs");
        } catch (JOSEException e) {
            throw invalid(401, "JWT signature cannot be verified");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid(400, "JWT claims are malformed");
        }
        Date iat = claims.getIssueTime();
        Date exp = claims.getExpirationTime();
        if (iat == null || exp == null) {
            throw invalid(400, "JWT must carry iat and exp claims");
        }
        String capability = optionalString(claims, CAPABILITY_CLAIM);
        if (capability != null) {
            try {
                capability = Capability.parse(capability).canonical();
            } catch (AuthException e) {
                throw invalid(400, "JWT " + CAPABILITY_CLAIM + " is invalid: " + e.getMessage());
            }
        }
        String clientId = optionalString(claims, CLIENT_ID_CLAIM);
        if (clientId != null && clientId.isEmpty()) {
            throw invalid(400, "JWT " + CLIENT_ID_CLAIM + " must not be empty");
        }
        String revocationKey = optionalString(claims, REVOCATION_KEY_CLAIM);
        long now = clock.millis();
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > now) {
            throw invalid(401, "JWT is not valid yet (nbf)");
        }
        if (exp.getTime() <= now) {
            throw new AuthException(40142, 401, "Token expired");
        }
        String tokenId = claims.getJWTID() != null
                ? claims.getJWTID()
                : Crypto.BASE64URL.encodeToString(
                        Arrays.copyOf(Crypto.sha256(jwt.getBytes(StandardCharsets.US_ASCII)), 16));
        return new TokenClaims(
                header.getKeyID(),
                tokenId,
                clientId,
                capability,
                iat.getTime(),
                exp.getTime(),
                revocationKey,
                userClaims(claims));
    }

    /** Whether {@code name} is a user claim's name: one of the two prefixes and something after it. */
    public static boolean isUserClaim(String name) {
        return (name.startsWith(CHANNEL_CLAIM_PREFIX) && name.length() > CHANNEL_CLAIM_PREFIX.length())
                || (name.startsWith(ROOM_CLAIM_PREFIX) && name.length() > ROOM_CLAIM_PREFIX.length());
    }

    /** The user claims, a non-string value as its JSON text; 40144/400 beyond the limits. */
    private static Map<String, String> userClaims(JWTClaimsSet claims) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> c : claims.getClaims().entrySet()) {
            if (!isUserClaim(c.getKey()) || c.getValue() == null) {
                continue;
            }
            if (out.size() == MAX_USER_CLAIMS) {
                throw invalid(400, "JWT carries more than " + MAX_USER_CLAIMS + " user claims");
            }
            String value;
            if (c.getValue() instanceof String s) {
                value = s;
            } else {
                try {
                    value = Json.mapper().writeValueAsString(c.getValue());
                } catch (java.io.IOException e) {
                    throw invalid(400, "JWT user claim " + c.getKey() + " is not JSON");
                }
            }
            if (value.length() > MAX_USER_CLAIM_LENGTH) {
                throw invalid(
                        400,
                        "JWT user claim " + c.getKey() + " is longer than " + MAX_USER_CLAIM_LENGTH + " characters");
            }
            out.put(c.getKey(), value);
        }
        return out;
    }

    private static @Nullable String optionalString(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw invalid(400, "JWT " + name + " must be a string");
        }
        return s;
    }

    private static AuthException invalid(int status, String message) {
        return new AuthException(40144, status, message);
    }
}
