package io.herald.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token and what it grants, the response of {@code requestToken} (SPEC TD1-TD6; docs/protocol.md §4.7).
 *
 * <p>ably-js takes an object with an {@code issued} key as TokenDetails, so {@link #toJson()} always writes it.
 *
 * @param token      the token string (no {@code :}, not starting with <code>&#123;</code>, docs/protocol.md §4.7)
 * @param keyName    {@code appId.keyId} of the issuing key (SPEC TD2 names it only loosely; the REST API returns it)
 * @param issued     issue time, ms since the epoch (SPEC TD4)
 * @param expires    expiry time, ms since the epoch (SPEC TD3)
 * @param capability the canonical capability JSON (SPEC TD5)
 * @param clientId   the identity bound to the token, {@code "*"} for any, {@code null} for none (SPEC TD6)
 */
public record TokenDetails(
        String token,
        @Nullable String keyName,
        long issued,
        long expires,
        @Nullable String capability,
        @Nullable String clientId) {

    /** Requires a non-empty token. */
    public TokenDetails {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
    }

    /** {@code {"token","keyName","issued","expires","capability","clientId"?}}; null fields are omitted. */
    public String toJson() {
        return new Json.ObjectText(96 + token.length() + (capability == null ? 0 : capability.length()))
                .field("token", token)
                .field("keyName", keyName)
                .field("issued", issued)
                .field("expires", expires)
                .field("capability", capability)
                .field("clientId", clientId)
                .close();
    }

    /**
     * Parses the JSON form. {@code token} is required; {@code issued}/{@code expires} must be integers
     * (0 if absent); the other fields must be strings or absent.
     *
     * @throws AuthException 40001/400 naming the field if the JSON or a field is wrong
     */
    public static TokenDetails fromJson(String json) {
        JsonNode n;
        try {
            n = Json.read(Objects.requireNonNull(json, "json"));
        } catch (JsonProcessingException e) {
            throw AuthException.invalidBody("TokenDetails is not valid JSON: " + Json.describe(e));
        }
        if (n == null || !n.isObject()) {
            throw AuthException.invalidBody("TokenDetails must be a JSON object, got " + Json.typeOf(n));
        }
        String token = text(n, "token");
        if (token == null || token.isEmpty()) {
            throw AuthException.invalidBody("TokenDetails token is missing");
        }
        return new TokenDetails(
                token,
                text(n, "keyName"),
                millis(n, "issued"),
                millis(n, "expires"),
                text(n, "capability"),
                text(n, "clientId"));
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw AuthException.invalidBody("TokenDetails " + field + " must be a string, got " + Json.typeOf(v));
        }
        return v.textValue();
    }

    private static long millis(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw AuthException.invalidBody(
                    "TokenDetails " + field + " must be an integer number of milliseconds, got " + Json.typeOf(v));
        }
        return v.longValue();
    }

    /** Like the record form, but the token is shortened: it is a bearer credential and does not belong in logs. */
    @Override
    public String toString() {
        String shown = token.length() > 12 ? token.substring(0, 12) + "..." : token;
        return "TokenDetails[token=" + shown + ", keyName=" + keyName + ", issued=" + issued + ", expires=" + expires
                + ", capability=" + capability + ", clientId=" + clientId + "]";
    }
}
