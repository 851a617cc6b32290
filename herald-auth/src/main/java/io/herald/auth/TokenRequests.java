package io.herald.auth;

import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Creates and checks signed TokenRequests exactly as the Ably SDKs do (SPEC RSA9; docs/protocol.md §4.4,
 * §4.5, §4.6).
 *
 * <h2>Minting a TokenRequest in a Java backend</h2>
 * An app server keeps its API key and answers the browser's {@code authUrl} with a TokenRequest. Signing is
 * a local HMAC: no network call.
 * <pre>{@code
 * ApiKey key = ApiKey.parse(System.getenv("ABLY_KEY"));             // "appId.keyId:secret"
 * TokenParams params = new TokenParams()
 *         .withClientId(user.id())                                    // the identity the token carries
 *         .withCapability("{\"chat:*\":[\"publish\",\"subscribe\",\"presence\"]}")
 *         .withTtl(Duration.ofMinutes(60));
 * TokenRequest request = TokenRequests.create(key, params, Clock.systemUTC());
 * // reply 200, Content-Type: application/json, Cache-Control: no-store
 * return request.toJson();
 * }</pre>
 * The browser's {@code new Ably.Realtime({authUrl: "/api/ably/token"})} POSTs it to
 * {@code /keys/{keyName}/requestToken} and gets a token back.
 *
 * <p>The MAC is {@code base64(HMAC-SHA256(secret, keyName\nttl\ncapability\nclientId\ntimestamp\nnonce\n))}
 * with the secret's UTF-8 bytes as the key (not base64-decoded) and absent fields as empty strings.
 */
public final class TokenRequests {

    /** Nonce length; both SDKs use 16 decimal digits, SPEC RSA9c asks for at least 16 characters. */
    static final int NONCE_LENGTH = 16;

    private TokenRequests() {}

    /**
     * A signed TokenRequest for {@code key} (SPEC RSA9). {@code capability}, when given, is validated and
     * canonicalised as ably-js {@code c14n} does (see {@link Capability#canonical()}); an empty string counts
     * as absent. {@code ttl} is omitted when {@code null} or 0; {@code timestamp} defaults to
     * {@code clock.millis()}; {@code nonce} defaults to 16 random decimal digits from a
     * {@link java.security.SecureRandom}.
     *
     * @param params may be {@code null} (key capability, default ttl, anonymous)
     * @throws AuthException 40000/400 for a malformed capability, 40012/400 for an empty clientId,
     *                       40003/400 for a negative ttl or timestamp or a nonce shorter than 16 characters
     */
    public static TokenRequest create(ApiKey key, TokenParams params, Clock clock) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clock, "clock");
        TokenParams p = params == null ? new TokenParams() : params;
        if (p.ttl != null && p.ttl < 0) {
            throw AuthException.invalidParameter("ttl must not be negative");
        }
        if (p.clientId != null && p.clientId.isEmpty()) {
            throw new AuthException(40012, 400, "clientId must not be an empty string; omit it for an anonymous token");
        }
        if (p.timestamp != null && p.timestamp < 0) {
            throw AuthException.invalidParameter("timestamp must not be negative");
        }
        if (p.nonce != null && p.nonce.length() < NONCE_LENGTH) {
            throw AuthException.invalidParameter("nonce must be at least " + NONCE_LENGTH + " characters");
        }
        String ttl = p.ttl == null || p.ttl == 0 ? null : Long.toString(p.ttl);
        String capability = p.capability == null || p.capability.isEmpty()
                ? null
                : Capability.parse(p.capability).canonical();
        String timestamp = Long.toString(p.timestamp != null ? p.timestamp : clock.millis());
        String nonce = p.nonce != null ? p.nonce : Crypto.randomDigits16();
        String keyName = key.keyName();
        String mac = mac(key.secret(), keyName, ttl, capability, p.clientId, timestamp, nonce);
        return new TokenRequest(keyName, ttl, capability, p.clientId, timestamp, nonce, mac);
    }

    /** As {@link #create(ApiKey, TokenParams, Clock)} with {@link Clock#systemUTC()}. */
    public static TokenRequest create(ApiKey key, TokenParams params) {
        return create(key, params, Clock.systemUTC());
    }

    /**
     * The MAC of a TokenRequest (docs/protocol.md §4.5): standard padded base64 of HMAC-SHA256 keyed with the
     * UTF-8 secret over {@code keyName\nttl\ncapability\nclientId\ntimestamp\nnonce\n}, UTF-8; {@code null}
     * fields count as {@code ""}.
     */
    public static String mac(
            String secret,
            @Nullable String keyName,
            @Nullable String ttl,
            @Nullable String capability,
            @Nullable String clientId,
            @Nullable String timestamp,
            @Nullable String nonce) {
        Objects.requireNonNull(secret, "secret");
        String signText = nz(keyName)
                + '\n'
                + nz(ttl)
                + '\n'
                + nz(capability)
                + '\n'
                + nz(clientId)
                + '\n'
                + nz(timestamp)
                + '\n'
                + nz(nonce)
                + '\n';
        return Crypto.BASE64.encodeToString(Crypto.hmacSha256(secret, signText));
    }

    /**
     * True if {@code request.mac()} is the MAC of its fields exactly as received (no re-canonicalisation:
     * ably-java signs Gson's escaping, ably-js {@code JSON.stringify}'s; docs/protocol.md §4.5). Compared in
     * constant time. A {@code ttl} of {@code "0"} also verifies against an empty ttl, because ably-js sends
     * {@code "ttl":0} but signs {@code ""} for it (JS auth.ts {@code _createTokenRequestImpl}). Does not
     * check the timestamp window or the nonce (the server does, docs/protocol.md §4.6).
     *
     * @return false if the request is unsigned or the MAC does not match
     */
    public static boolean verifyMac(TokenRequest request, String secret) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(secret, "secret");
        if (request.mac() == null) {
            return false;
        }
        boolean ok = Crypto.constantTimeEquals(
                mac(
                        secret,
                        request.keyName(),
                        request.ttl(),
                        request.capability(),
                        request.clientId(),
                        request.timestamp(),
                        request.nonce()),
                request.mac());
        if (!ok && "0".equals(request.ttl())) {
            ok = Crypto.constantTimeEquals(
                    mac(
                            secret,
                            request.keyName(),
                            null,
                            request.capability(),
                            request.clientId(),
                            request.timestamp(),
                            request.nonce()),
                    request.mac());
        }
        return ok;
    }

    /** As {@link #verifyMac(TokenRequest, String)}, and false unless {@code request.keyName()} is {@code key.keyName()}. */
    public static boolean verifyMac(TokenRequest request, ApiKey key) {
        return key.keyName().equals(request.keyName()) && verifyMac(request, key.secret());
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }
}
