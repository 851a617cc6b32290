package io.herald.core.objects;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Object ids: {@code type:hash@msTimestamp}, where type is {@code map} or {@code counter}, hash is the unpadded
 * base64url SHA-256 of {@code initialValue + ":" + nonce} (the create operation's initial value as JSON text), and
 * msTimestamp is when the client made it. The root map's id is {@value #ROOT}.
 */
public final class ObjectId {
    /** The id of the root map, which every channel has and which cannot be deleted. */
    public static final String ROOT = "root";

    /** Longest object id accepted (a real one is about 65 characters). */
    static final int MAX_LENGTH = 256;

    public static final String MAP = "map";
    public static final String COUNTER = "counter";

    private ObjectId() {}

    /**
     * The type of a well-formed id ({@code map} or {@code counter}; {@code map} for the root); 92000 for anything
     * else.
     */
    public static String typeOf(String objectId) {
        if (ROOT.equals(objectId)) {
            return MAP;
        }
        int colon = objectId.indexOf(':');
        int at = objectId.lastIndexOf('@');
        if (objectId.length() > MAX_LENGTH || colon <= 0 || at < colon + 2 || at == objectId.length() - 1) {
            throw invalid("Invalid object id '" + clip(objectId) + "'");
        }
        String type = objectId.substring(0, colon);
        if (!MAP.equals(type) && !COUNTER.equals(type)) {
            throw invalid("Invalid object type in object id '" + clip(objectId) + "'");
        }
        for (int i = at + 1; i < objectId.length(); i++) {
            if (!Character.isDigit(objectId.charAt(i))) {
                throw invalid("Invalid timestamp in object id '" + clip(objectId) + "'");
            }
        }
        return type;
    }

    /** The id a client derives for a new object (Ably's RTO14). */
    public static String derive(String type, String initialValue, String nonce, long msTimestamp) {
        return type + ":" + hash(initialValue, nonce) + "@" + msTimestamp;
    }

    /** The base64url (unpadded) SHA-256 of {@code initialValue:nonce}. */
    public static String hash(String initialValue, String nonce) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((initialValue + ":" + nonce).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * Checks that a create operation's id is the one its initial value and nonce give: the right type and hash
     * (92000 when not).
     */
    public static void checkDerived(String objectId, String type, String initialValue, String nonce) {
        if (!type.equals(typeOf(objectId))) {
            throw invalid("Object id '" + clip(objectId) + "' is not a " + type + " id");
        }
        String expected = type + ":" + hash(initialValue, nonce) + "@";
        if (!objectId.startsWith(expected)) {
            throw invalid("Object id '" + clip(objectId) + "' does not match its initial value and nonce");
        }
    }

    static AblyException invalid(String message) {
        return new AblyException(ErrorCode.OBJECT_INVALID_MESSAGE, message);
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
