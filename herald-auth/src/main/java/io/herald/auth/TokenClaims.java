package io.herald.auth;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a verified Herald token ({@link HeraldTokens}) or Ably JWT ({@link AblyJwt}) grants.
 *
 * @param keyName       {@code appId.keyId} of the signing key
 * @param tokenId       a stable id for the token (revocation, logs); for a JWT its {@code jti} or a hash of it
 * @param clientId      the bound identity, {@code "*"} for any, {@code null} for anonymous (SPEC TD6)
 * @param capability    canonical capability JSON; for a JWT without {@code x-ably-capability} {@code null},
 *                      meaning "the key's capability" (docs/protocol.md §4.9)
 * @param issued        ms since the epoch
 * @param expires       ms since the epoch
 * @param revocationKey the revocation key ({@code x-ably-revocation-key}), or {@code null} (DOCS auth/revocation.mdx)
 * @param userClaims    a JWT's user claims, by claim name ({@code ably.channel.<channel or ns:* or *>},
 *                      {@code ably.room.<room or ns:* or *>}), each value as text; empty for Herald tokens
 */
public record TokenClaims(
        String keyName,
        String tokenId,
        @Nullable String clientId,
        @Nullable String capability,
        long issued,
        long expires,
        @Nullable String revocationKey,
        Map<String, String> userClaims) {

    public TokenClaims {
        userClaims = Map.copyOf(userClaims);
    }

    /** Claims without user claims (every Herald token; a JWT without {@code ably.channel.*}/{@code ably.room.*}). */
    public TokenClaims(
            String keyName,
            String tokenId,
            @Nullable String clientId,
            @Nullable String capability,
            long issued,
            long expires,
            @Nullable String revocationKey) {
        this(keyName, tokenId, clientId, capability, issued, expires, revocationKey, Map.of());
    }
}
