package io.herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/** HMAC-SHA256, SHA-256, randomness and base64 helpers shared by this package. Thread-safe. */
final class Crypto {

    static final SecureRandom RANDOM = new SecureRandom();
    static final Base64.Encoder BASE64 = Base64.getEncoder();
    static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private static final String HMAC_SHA256 = "HmacSHA256";

    /** A Mac and the key it was last initialised with; {@code doFinal} leaves it ready for that key again. */
    private static final class KeyedMac {
        final Mac mac;
        byte @Nullable [] key;

        KeyedMac() {
            try {
                mac = Mac.getInstance(HMAC_SHA256);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
    }

    /**
     * Mac instances are not thread-safe and costly to look up, so each thread keeps two, most recently used first:
     * a requestToken checks the TokenRequest's mac with the key's secret and signs the token with the derived token
     * key, and initialising a Mac for a key (hashing its padded blocks) cost as much as the mac itself.
     */
    private static final ThreadLocal<KeyedMac[]> MACS =
            ThreadLocal.withInitial(() -> new KeyedMac[] {new KeyedMac(), new KeyedMac()});

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    private Crypto() {}

    static byte[] hmacSha256(byte[] key, byte[] data) {
        KeyedMac[] macs = MACS.get();
        KeyedMac m = macs[0];
        if (!sameKey(m.key, key)) {
            m = macs[1];
            macs[1] = macs[0];
            macs[0] = m;
            if (!sameKey(m.key, key)) {
                m.key = null;
                try {
                    m.mac.init(new SecretKeySpec(key, HMAC_SHA256));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot initialise HmacSHA256", e);
                }
                m.key = key.clone();
            }
        }
        return m.mac.doFinal(data);
    }

    private static boolean sameKey(byte @Nullable [] known, byte[] key) {
        return known != null && MessageDigest.isEqual(known, key);
    }

    static byte[] hmacSha256(String key, String data) {
        return hmacSha256(key.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    /** Constant-time comparison of two strings' UTF-8 bytes (length may leak, content does not). */
    static boolean constantTimeEquals(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} random bytes from {@link #RANDOM}, base64url without padding. */
    static String randomBase64Url(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }

    private static final long TEN_POW_16 = 10_000_000_000_000_000L;

    /**
     * 16 random decimal digits (uniform over 0 .. 10^16-1, zero-padded), the nonce format of both SDKs
     * (docs/protocol.md §4.6), from one bounded draw of {@link #RANDOM}.
     */
    static String randomDigits16() {
        long v = RANDOM.nextLong(TEN_POW_16);
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = (char) ('0' + (int) (v % 10));
            v /= 10;
        }
        return new String(c);
    }

    /** True if {@code s} is non-empty and uses only the base64url alphabet {@code [A-Za-z0-9_-]}. */
    static boolean isBase64Url(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
