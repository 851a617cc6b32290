package io.herald.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes in the form {@code pbkdf2_sha256$<iterations>$<salt>$<hash>} (salt and hash in standard
 * base64): PBKDF2 with HMAC-SHA256 from the JDK, a 16-byte random salt and a 32-byte derived key. The
 * iteration count is stored with each hash, so it can be raised later without breaking old hashes.
 *
 * <p>To hash a new password for the users file: {@code java -cp herald-demo.jar io.herald.demo.PasswordHasher}
 * (reads the password from the console).
 */
public final class PasswordHasher {

    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;

    static final String PREFIX = "pbkdf2_sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {}

    /** A new hash of {@code password} with a fresh salt and {@code iterations} rounds. */
    public static String hash(char[] password, int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in 1.." + MAX_ITERATIONS);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(password, salt, iterations, KEY_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + '$' + iterations + '$' + b64.encodeToString(salt) + '$' + b64.encodeToString(key);
    }

    /** As {@link #hash(char[], int)} with {@link #DEFAULT_ITERATIONS}. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /**
     * True if {@code password} matches {@code encoded}; the comparison is constant-time.
     *
     * @throws IllegalArgumentException if {@code encoded} is not a hash of this class's form
     */
    public static boolean verify(char[] password, String encoded) {
        Parsed p = parse(encoded);
        byte[] actual = derive(password, p.salt, p.iterations, p.key.length * 8);
        return MessageDigest.isEqual(actual, p.key);
    }

    /**
     * Checks the form of {@code encoded} (used when the users file is loaded, so a typo fails at start-up).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validate(String encoded) {
        parse(encoded);
    }

    @SuppressWarnings("ArrayRecordComponent") // a parse result read once, never compared or hashed
    private record Parsed(int iterations, byte[] salt, byte[] key) {}

    private static Parsed parse(String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException(
                    "password hash must look like " + PREFIX + "$<iterations>$<salt>$<hash>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash iterations are not a number");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("password hash iterations must be in 1.." + MAX_ITERATIONS);
        }
        byte[] salt;
        byte[] key;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            key = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password hash salt or key is not valid base64");
        }
        if (salt.length < 8 || key.length < 16) {
            throw new IllegalArgumentException("password hash salt (8+ bytes) or key (16+ bytes) is too short");
        }
        return new Parsed(iterations, salt, key);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Prints the hash of a password read from the console (or the first line of stdin). */
    @SuppressWarnings(
            "SystemConsoleNull") // Herald runs on Java 17, where null means no terminal (stdin is read instead)
    public static void main(String[] args) throws java.io.IOException {
        char[] password;
        java.io.Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password to hash: ");
        } else {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("no password given");
            System.exit(2);
        }
        System.out.println(hash(password));
        Arrays.fill(password, '\0');
    }
}
