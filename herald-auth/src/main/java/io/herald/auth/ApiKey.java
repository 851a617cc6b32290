package io.herald.auth;

import java.util.Objects;

/**
 * An Ably API key {@code <appId>.<keyId>:<secret>} (docs/protocol.md §4.1; SPEC RSA11, RSA17g).
 *
 * <p>The rules are those of the ably-js key regex {@code ^([^:\s]+):([^:.\s]+)$} plus ably-java's split on
 * {@code :}: the key name holds exactly one {@code .} separating a non-empty app id and key id, and no
 * {@code :} or whitespace; the secret is non-empty and holds no {@code .}, {@code :} or whitespace
 * ("whitespace" as JavaScript's {@code \s}, including Unicode spaces). A malformed key is rejected with
 * {@link AuthException} 40000/400 whose message says which rule failed and never contains the secret.
 *
 * <p>{@link #toString()} masks the secret; use {@link #keyString()} when the full key is really meant.
 *
 * @param appId  the application id, before the {@code .}
 * @param keyId  the key id, after the {@code .}
 * @param secret the private secret, after the {@code :}
 */
public record ApiKey(String appId, String keyId, String secret) {

    /** Validates the three parts with the rules of {@link #parse(String)}. */
    public ApiKey {
        checkNamePart(appId, "app id");
        checkNamePart(keyId, "key id");
        if (secret == null || secret.isEmpty()) {
            throw AuthException.badRequest("API key secret is empty");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c == '.' || c == ':' || isJsWhitespace(c)) {
                throw AuthException.badRequest("API key secret must not contain '.', ':' or whitespace");
            }
        }
    }

    /**
     * Parses {@code "appId.keyId:secret"}.
     *
     * @throws AuthException 40000/400 if the key is malformed (the message names the rule, never the secret)
     */
    public static ApiKey parse(String key) {
        if (key == null || key.isEmpty()) {
            throw AuthException.badRequest("API key is missing");
        }
        int colon = key.indexOf(':');
        if (colon < 0) {
            throw AuthException.badRequest("API key must have the form appId.keyId:secret (no ':' found)");
        }
        if (key.indexOf(':', colon + 1) >= 0) {
            throw AuthException.badRequest("API key must contain exactly one ':'");
        }
        String name = key.substring(0, colon);
        int dot = name.indexOf('.');
        if (dot < 0 || name.indexOf('.', dot + 1) >= 0) {
            throw AuthException.badRequest("API key name must contain exactly one '.' (appId.keyId)");
        }
        return new ApiKey(name.substring(0, dot), name.substring(dot + 1), key.substring(colon + 1));
    }

    /**
     * A new key for {@code appId}: a random 8-character key id and a 43-character secret (256 bits from
     * {@link java.security.SecureRandom}), both in the base64url alphabet, which has no {@code .} or {@code :}.
     *
     * @throws AuthException 40000/400 if {@code appId} is not a valid app id
     */
    public static ApiKey generate(String appId) {
        return new ApiKey(appId, Crypto.randomBase64Url(6), Crypto.randomBase64Url(32));
    }

    /** {@code appId + "." + keyId}: the public part, used as {@code keyName} in TokenRequests and JWT {@code kid}. */
    public String keyName() {
        return appId + "." + keyId;
    }

    /** The full key {@code "appId.keyId:secret"}, e.g. for {@code new ClientOptions(key)}. Contains the secret. */
    public String keyString() {
        return keyName() + ":" + secret;
    }

    /** {@code keyName + ":***"}; never the secret. */
    @Override
    public String toString() {
        return keyName() + ":***";
    }

    private static void checkNamePart(String part, String what) {
        Objects.requireNonNull(what);
        if (part == null || part.isEmpty()) {
            throw AuthException.badRequest("API key " + what + " is empty");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '.' || c == ':' || isJsWhitespace(c)) {
                throw AuthException.badRequest("API key " + what + " must not contain '.', ':' or whitespace");
            }
        }
    }

    /** JavaScript's {@code \s}: WhiteSpace and LineTerminator code points (ECMA-262 §12.2, §12.3). */
    static boolean isJsWhitespace(char c) {
        return c == '\t'
                || c == '\n'
                || c == 0x0B
                || c == '\f'
                || c == '\r'
                || c == ' '
                || c == 0xA0
                || c == 0xFEFF
                || c == 0x2028
                || c == 0x2029
                || Character.getType(c) == Character.SPACE_SEPARATOR;
    }
}
