package io.herald.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Herald's own token format: self-contained and signed with the issuing key, so any node can verify a
 * token without a lookup (Ably tokens are opaque strings, SPEC TN1, so the format is ours to choose).
 *
 * <pre>
 * token   = "hdt1." base64url(payload) "." base64url(HMAC-SHA256(tokenKey, "hdt1." base64url(payload)))
 * payload = {"key":keyName,"jti":tokenId,"cid":clientId?,"cap":capability,"iat":issuedMs,"exp":expiresMs,"rvk":revocationKey?}
 * tokenKey = HMAC-SHA256(UTF-8 secret, "herald-token-v1")
 * </pre>
 * base64url is unpadded. The derived {@code tokenKey} keeps token MACs in a different domain from
 * TokenRequest MACs, which are keyed with the secret itself (docs/protocol.md §4.5): no TokenRequest MAC can
 * ever pass as a token signature or the reverse.
 *
 * <p>The token uses only {@code [A-Za-z0-9_.-]}: it is URL-safe, never contains {@code :} (which would make
 * the SDKs take it for a key, docs/protocol.md §4.1) and never starts with <code>&#123;</code> (ably-js rejects that,
 * §4.7). The {@code hdt1.} prefix sets it apart from a JWT: {@code hdt1} does not decode to a JSON header,
 * so {@link AblyJwt#looksLikeJwt} is false for it.
 */
public final class HeraldTokens {

    /** The version prefix every Herald token starts with. */
    public static final String PREFIX = "hdt1.";

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    private static final byte[] KEY_DERIVATION_LABEL = "herald-token-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int DERIVED_KEY_CACHE_LIMIT = 1024;
    /** secret -> derived token key; bounded (cleared when full), so a key rotation storm cannot grow it. */
    private static final Map<String, byte[]> DERIVED_KEYS = new ConcurrentHashMap<>();

    private HeraldTokens() {}

    /**
     * Signs {@code claims} into a token.
     *
     * @throws IllegalArgumentException if {@code claims.keyName()} is not {@code key.keyName()}, or the
     *                                  token id or capability is missing
     */
    public static String issue(ApiKey key, TokenClaims claims) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(claims, "claims");
        if (!key.keyName().equals(claims.keyName())) {
            throw new IllegalArgumentException("claims.keyName must be the signing key's name " + key.keyName());
        }
        if (claims.tokenId() == null || claims.capability() == null) {
            throw new IllegalArgumentException("claims need a tokenId and a capability");
        }
        byte[] payload = new Json.ObjectText(112 + claims.capability().length())
                .field("key", claims.keyName())
                .field("jti", claims.tokenId())
                .field("cid", claims.clientId())
                .field("cap", claims.capability())
                .field("iat", claims.issued())
                .field("exp", claims.expires())
                .field("rvk", claims.revocationKey())
                .close()
                .getBytes(StandardCharsets.UTF_8);
        // "hdt1." base64url(payload), signed, then "." base64url(mac): built as bytes, one String at the end
        byte[] encoded = Crypto.BASE64URL.encode(payload);
        byte[] signed = new byte[PREFIX_BYTES.length + encoded.length];
        System.arraycopy(PREFIX_BYTES, 0, signed, 0, PREFIX_BYTES.length);
        System.arraycopy(encoded, 0, signed, PREFIX_BYTES.length, encoded.length);
        byte[] mac = Crypto.BASE64URL.encode(Crypto.hmacSha256(tokenKey(key.secret()), signed));
        byte[] token = Arrays.copyOf(signed, signed.length + 1 + mac.length);
        token[signed.length] = '.';
        System.arraycopy(mac, 0, token, signed.length + 1, mac.length);
        return new String(token, StandardCharsets.US_ASCII);
    }

    /** A fresh random token id: 16 random bytes, base64url (22 characters). */
    public static String newTokenId() {
        return Crypto.randomBase64Url(16);
    }

    /** True if {@code token} starts with {@link #PREFIX}; says nothing about validity. */
    public static boolean looksLikeHeraldToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /**
     * The claims without checking the signature: only to find the {@code keyName} whose secret verifies it.
     * Never trust the result otherwise.
     *
     * @throws AuthException 40145/401 "Invalid token format" if the token cannot be parsed
     */
    public static TokenClaims decodeUnverified(String token) {
        int sigDot = structure(token);
        return claims(token, sigDot);
    }

    /**
     * Checks the signature in constant time and returns the claims. Does not check expiry: compare
     * {@link TokenClaims#expires()} with your {@link java.time.Clock} (40142 when past, docs/protocol.md §11).
     *
     * @throws AuthException 40145/401 if the token is unparseable; 40143/401 "Token unrecognised" if the
     *                       signature is wrong or the token was issued by another key
     */
    public static TokenClaims verify(String token, ApiKey key) {
        Objects.requireNonNull(key, "key");
        int sigDot = structure(token);
        String expected = signature(key.secret(), token.substring(0, sigDot));
        byte[] actual = token.substring(sigDot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actual)) {
            throw unrecognised();
        }
        TokenClaims claims = claims(token, sigDot);
        if (!key.keyName().equals(claims.keyName())) {
            throw unrecognised();
        }
        return claims;
    }

    /** Checks the shape {@code hdt1.<b64url>.<b64url>}; returns the index of the second dot. */
    private static int structure(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            throw invalidFormat();
        }
        int sigDot = token.indexOf('.', PREFIX.length());
        if (sigDot < 0
                || !Crypto.isBase64Url(token, PREFIX.length(), sigDot)
                || !Crypto.isBase64Url(token, sigDot + 1, token.length())) {
            throw invalidFormat();
        }
        return sigDot;
    }

    private static TokenClaims claims(String token, int sigDot) {
        JsonNode n;
        try {
            byte[] json = Crypto.BASE64URL_DECODER.decode(token.substring(PREFIX.length(), sigDot));
            n = Json.mapper().readTree(json);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalidFormat();
        }
        if (n == null || !n.isObject()) {
            throw invalidFormat();
        }
        return new TokenClaims(
                requiredText(n, "key"),
                requiredText(n, "jti"),
                text(n, "cid"),
                requiredText(n, "cap"),
                millis(n, "iat"),
                millis(n, "exp"),
                text(n, "rvk"));
    }

    private static String requiredText(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw invalidFormat();
        }
        return v;
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalidFormat();
        }
        return v.textValue();
    }

    private static long millis(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalidFormat();
        }
        return v.longValue();
    }

    private static String signature(String secret, String signed) {
        return Crypto.BASE64URL.encodeToString(
                Crypto.hmacSha256(tokenKey(secret), signed.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] tokenKey(String secret) {
        byte[] k = DERIVED_KEYS.get(secret);
        if (k == null) {
            k = Crypto.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), KEY_DERIVATION_LABEL);
            if (DERIVED_KEYS.size() >= DERIVED_KEY_CACHE_LIMIT) {
                DERIVED_KEYS.clear();
            }
            DERIVED_KEYS.put(secret, k);
        }
        return k;
    }

    private static AuthException invalidFormat() {
        return new AuthException(40145, 401, "Invalid token format");
    }

    private static AuthException unrecognised() {
        return new AuthException(40143, 401, "Token unrecognised");
    }
}
