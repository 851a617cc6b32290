package io.herald.core.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random identifiers. Connection ids and keys use only {@code [A-Za-z0-9_-]} so they are URL safe, contain no
 * {@code :} (presence ids are split on it, docs/protocol.md §3.1) and are valid sync ids (§8.2).
 */
public final class Ids {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /**
     * One generator per thread. The default {@code SecureRandom} (NativePRNG) serialises every caller on one lock for
     * the whole process: a requestToken recording on a busy machine had an event loop wait 718 ms there for a token
     * id while the holder was descheduled. A DRBG instance locks only itself. Each thread draws {@value #POOL} bytes
     * at a time and hands them out: a DRBG call costs about the same for 16 bytes as for 512 (it hashes its state
     * and checks its reseed counter per call), and a token id was one call per issued token.
     */
    private static final ThreadLocal<Pool> RANDOM = ThreadLocal.withInitial(Pool::new);

    private static final int POOL = 512;

    /** Random bytes drawn ahead from this thread's generator; each byte is handed out once ({@code next} moves on). */
    private static final class Pool {
        private final SecureRandom random = newRandom();
        private final byte[] bytes = new byte[POOL];
        private int next = POOL;

        void fill(byte[] out) {
            int done = 0;
            while (done < out.length) {
                if (next == POOL) {
                    random.nextBytes(bytes);
                    next = 0;
                }
                int n = Math.min(out.length - done, POOL - next);
                System.arraycopy(bytes, next, out, done, n);
                next += n;
                done += n;
            }
        }
    }

    private Ids() {}

    /** {@code length} random characters of {@code [A-Za-z0-9_-]}. */
    public static String urlSafe(int length) {
        return pick(ALPHABET, length);
    }

    /** {@code length} random characters of {@code [A-Za-z0-9]}. */
    public static String alphanumeric(int length) {
        return pick(ALNUM, length);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private static String pick(char[] alphabet, int length) {
        byte[] bytes = new byte[length];
        RANDOM.get().fill(bytes);
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[(bytes[i] & 0xff) % alphabet.length];
        }
        return new String(out);
    }
}
