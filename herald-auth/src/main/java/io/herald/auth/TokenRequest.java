package io.herald.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A TokenRequest, what an app server returns to its client and the SDK POSTs to
 * {@code /keys/{keyName}/requestToken} (SPEC TE1-TE5; docs/protocol.md §4.4, §4.8).
 *
 * <p>Fields are kept exactly as received, {@code ttl} and {@code timestamp} as raw decimal text, so that
 * {@link TokenRequests#verifyMac} can check the MAC over the very text the client signed (docs/protocol.md
 * §4.5). {@code null} means absent. Note that both SDKs treat {@code ttl} 0 as "use the default", and
 * {@code capability} {@code ""} (ably-js with {@code capability: null}) as "key capability". Immutable.
 */
public final class TokenRequest {

    private final @Nullable String keyName;
    private final @Nullable String ttl;
    private final @Nullable String capability;
    private final @Nullable String clientId;
    private final @Nullable String timestamp;
    private final @Nullable String nonce;
    private final @Nullable String mac;

    /**
     * A request from raw field values; {@code null} means absent. Nothing is validated: use
     * {@link #ttlMillis()}, {@link #timestampMillis()} and {@link TokenRequests#verifyMac} for that.
     */
    public TokenRequest(
            @Nullable String keyName,
            @Nullable String ttl,
            @Nullable String capability,
            @Nullable String clientId,
            @Nullable String timestamp,
            @Nullable String nonce,
            @Nullable String mac) {
        this.keyName = keyName;
        this.ttl = ttl;
        this.capability = capability;
        this.clientId = clientId;
        this.timestamp = timestamp;
        this.nonce = nonce;
        this.mac = mac;
    }

    /** {@code appId.keyId} of the signing key (SPEC TE2). */
    public @Nullable String keyName() {
        return keyName;
    }

    /** Requested lifetime in ms as received (decimal text), or {@code null} (SPEC TE4). */
    public @Nullable String ttl() {
        return ttl;
    }

    /** Capability JSON as received, or {@code null} (SPEC TE3). Not re-canonicalised. */
    public @Nullable String capability() {
        return capability;
    }

    /** Client id as received, or {@code null} for none (SPEC TE2). */
    public @Nullable String clientId() {
        return clientId;
    }

    /** Timestamp in ms as received (decimal text), or {@code null} (SPEC TE5). */
    public @Nullable String timestamp() {
        return timestamp;
    }

    /** The nonce, or {@code null} (SPEC TE2). */
    public @Nullable String nonce() {
        return nonce;
    }

    /** Base64 HMAC-SHA256 over the fields, or {@code null} if unsigned (SPEC TE2, RSA9). */
    public @Nullable String mac() {
        return mac;
    }

    /** True if the request carries a {@link #mac()} (an unsigned request needs other credentials, docs/protocol.md §4.8). */
    public boolean isSigned() {
        return mac != null;
    }

    /**
     * The {@link #ttl()} in ms, {@code null} if absent. 0 means "server default", as in both SDKs.
     *
     * @throws AuthException 40003/400 if it is not a non-negative decimal integer that fits a {@code long}
     */
    public @Nullable Long ttlMillis() {
        if (ttl == null) {
            return null;
        }
        long v = parseNonNegative(ttl);
        if (v < 0) {
            throw AuthException.invalidParameter("ttl must be a non-negative integer number of milliseconds");
        }
        return v;
    }

    /**
     * The {@link #timestamp()} in ms since the epoch.
     *
     * @throws AuthException 40001/400 if it is missing or not a non-negative decimal integer
     */
    public long timestampMillis() {
        if (timestamp == null) {
            throw AuthException.invalidBody("TokenRequest timestamp is missing");
        }
        long v = parseNonNegative(timestamp);
        if (v < 0) {
            throw AuthException.invalidBody(
                    "TokenRequest timestamp must be an integer number of milliseconds since the epoch");
        }
        return v;
    }

    /** Non-negative decimal digits only (at most 18, so no overflow); -1 otherwise. */
    private static long parseNonNegative(String s) {
        int n = s.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Parses a TokenRequest JSON object. {@code ttl} and {@code timestamp} may be integral JSON numbers or
     * strings (both forms appear, docs/protocol.md §4.4); {@code keyName}, {@code capability},
     * {@code clientId}, {@code nonce} and {@code mac} must be strings; JSON {@code null} means absent; unknown
     * fields are ignored. A {@code capability} object (which ably-js would forward unchanged from an app
     * server) is rejected: its signed text is unknowable.
     *
     * @throws AuthException 40001/400 naming the field if the JSON or a field type is wrong
     */
    public static TokenRequest fromJson(String json) {
        if (json == null) {
            throw AuthException.invalidBody("TokenRequest body is missing");
        }
        try {
            return fromJsonNode(Json.read(json));
        } catch (JsonProcessingException e) {
            throw AuthException.invalidBody("TokenRequest is not valid JSON: " + Json.describe(e));
        }
    }

    /** As {@link #fromJson(String)}, from an already parsed tree. */
    public static TokenRequest fromJson(JsonNode node) {
        return fromJsonNode(node);
    }

    /** As {@link #fromJson(String)}, from an already parsed tree. */
    public static TokenRequest fromJsonNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw AuthException.invalidBody("TokenRequest must be a JSON object, got " + Json.typeOf(node));
        }
        JsonNode cap = node.get("capability");
        if (cap != null && (cap.isObject() || cap.isArray())) {
            throw AuthException.invalidBody("TokenRequest capability must be a JSON string");
        }
        return new TokenRequest(
                text(node, "keyName"),
                number(node, "ttl"),
                text(node, "capability"),
                text(node, "clientId"),
                number(node, "timestamp"),
                text(node, "nonce"),
                text(node, "mac"));
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw AuthException.invalidBody("TokenRequest " + field + " must be a string, got " + Json.typeOf(v));
        }
        return v.textValue();
    }

    private static @Nullable String number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            // the digits as sent (they are signed): a long prints them as a BigInteger would, without making one
            return v.canConvertToLong()
                    ? Long.toString(v.longValue())
                    : v.bigIntegerValue().toString();
        }
        throw AuthException.invalidBody("TokenRequest " + field + " must be an integer or a decimal string, got "
                + (v.isNumber() ? "a non-integral number" : Json.typeOf(v)));
    }

    /**
     * The JSON form, in ably-js field order: {@code keyName, ttl?, capability?, clientId?, timestamp, nonce, mac}
     * (absent fields omitted). {@code ttl} and {@code timestamp} are written as JSON numbers when they are
     * plain integers, otherwise as the string received, so the MAC still verifies after a round trip.
     */
    public String toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            if (keyName != null) {
                g.writeStringField("keyName", keyName);
            }
            writeNumber(g, "ttl", ttl);
            if (capability != null) {
                g.writeStringField("capability", capability);
            }
            if (clientId != null) {
                g.writeStringField("clientId", clientId);
            }
            writeNumber(g, "timestamp", timestamp);
            if (nonce != null) {
                g.writeStringField("nonce", nonce);
            }
            if (mac != null) {
                g.writeStringField("mac", mac);
            }
            g.writeEndObject();
        });
    }

    private static void writeNumber(com.fasterxml.jackson.core.JsonGenerator g, String field, @Nullable String raw)
            throws java.io.IOException {
        if (raw == null) {
            return;
        }
        g.writeFieldName(field);
        if (isPlainInteger(raw)) {
            g.writeNumber(raw);
        } else {
            g.writeString(raw);
        }
    }

    /** {@code -?(0|[1-9][0-9]*)}: text a JSON number round-trips to unchanged. */
    private static boolean isPlainInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        int n = s.length();
        if (n == start || (n - start > 1 && s.charAt(start) == '0') || (start == 1 && s.equals("-0"))) {
            return false;
        }
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenRequest r
                && Objects.equals(keyName, r.keyName)
                && Objects.equals(ttl, r.ttl)
                && Objects.equals(capability, r.capability)
                && Objects.equals(clientId, r.clientId)
                && Objects.equals(timestamp, r.timestamp)
                && Objects.equals(nonce, r.nonce)
                && Objects.equals(mac, r.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyName, ttl, capability, clientId, timestamp, nonce, mac);
    }

    /** The {@link #toJson()} form (a TokenRequest holds no secret). */
    @Override
    public String toString() {
        return toJson();
    }
}
