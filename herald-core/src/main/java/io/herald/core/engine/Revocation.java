package io.herald.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * A token revocation (SPEC RSA17; DOCS auth/revocation): tokens of {@code keyName} matching the target and issued
 * before {@code issuedBefore} are refused with 40141 from {@code appliesAt} on.
 *
 * @param keyName      the key whose tokens are revoked
 * @param type         {@code clientId}, {@code revocationKey} or {@code channel}
 * @param value        the target's value
 * @param issuedBefore tokens issued before this instant (ms) are revoked
 * @param appliesAt    the revocation is enforced from this instant (ms)
 * @param expiresAt    after this (ms) no token it could match is still valid, so it can be forgotten
 */
public record Revocation(String keyName, String type, String value, long issuedBefore, long appliesAt, long expiresAt) {

    /** Whether a token with these claims is revoked by this revocation at {@code now}. */
    public boolean matches(
            String tokenKeyName, @Nullable String clientId, @Nullable String revocationKey, long issued, long now) {
        if (!keyName.equals(tokenKeyName) || issued >= issuedBefore || now < appliesAt) {
            return false;
        }
        return switch (type) {
            case "clientId" -> value.equals(clientId);
            case "revocationKey" -> value.equals(revocationKey);
            default -> false;
        };
    }

    /** Whether the token would be matched once the revocation applies (ignoring {@code appliesAt}). */
    public boolean targets(
            String tokenKeyName, @Nullable String clientId, @Nullable String revocationKey, long issued) {
        return matches(tokenKeyName, clientId, revocationKey, issued, appliesAt);
    }
}
