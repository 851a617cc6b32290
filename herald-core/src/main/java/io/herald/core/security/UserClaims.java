package io.herald.core.security;

import io.herald.auth.AblyJwt;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A JWT's user claims (docs/protocol.md §4.9): trusted text the token's issuer scopes to channels
 * ({@code ably.channel.<channel>}, {@code ably.channel.<namespace>:*}, {@code ably.channel.*}) or to Chat rooms
 * ({@code ably.room.<room>}, {@code ably.room.<namespace>:*}, {@code ably.room.*}, a room being the channel
 * {@code <room>::$chat}). The server puts the most specific claim for a channel into {@code extras.userClaim} of every
 * message, presence event and annotation the client publishes there, and drops any {@code userClaim} the client
 * wrote itself, so subscribers can trust it (a role, a display name).
 */
public final class UserClaims {
    /** No claims: basic auth, Herald tokens, JWTs without user claims. */
    public static final UserClaims NONE = new UserClaims(Map.of());

    /** The channel a Chat room lives on is the room's name with this suffix. */
    private static final String ROOM_CHANNEL_SUFFIX = "::$chat";

    private final Map<String, String> claims;

    private UserClaims(Map<String, String> claims) {
        this.claims = claims;
    }

    /** Claims by their full names ({@code ably.channel.…}, {@code ably.room.…}); other names are ignored. */
    public static UserClaims of(Map<String, String> claims) {
        return claims.isEmpty() ? NONE : new UserClaims(Map.copyOf(claims));
    }

    public boolean isEmpty() {
        return claims.isEmpty();
    }

    /**
     * The claim for the channel {@code base} (its name without {@code [qualifier]} params), or {@code null}: the
     * channel's own claim, then (for a room's channel) the room's, then its namespace's as a channel and as a room,
     * then the wildcard channel and room claims.
     */
    public @Nullable String forChannel(String base) {
        if (claims.isEmpty()) {
            return null;
        }
        String room = base.endsWith(ROOM_CHANNEL_SUFFIX)
                ? base.substring(0, base.length() - ROOM_CHANNEL_SUFFIX.length())
                : null;
        String claim = claims.get(AblyJwt.CHANNEL_CLAIM_PREFIX + base);
        if (claim == null && room != null) {
            claim = claims.get(AblyJwt.ROOM_CLAIM_PREFIX + room);
        }
        if (claim == null) {
            claim = namespaced(AblyJwt.CHANNEL_CLAIM_PREFIX, base);
        }
        if (claim == null && room != null) {
            claim = namespaced(AblyJwt.ROOM_CLAIM_PREFIX, room);
        }
        if (claim == null) {
            claim = claims.get(AblyJwt.CHANNEL_CLAIM_PREFIX + "*");
        }
        if (claim == null && room != null) {
            claim = claims.get(AblyJwt.ROOM_CLAIM_PREFIX + "*");
        }
        return claim;
    }

    private @Nullable String namespaced(String prefix, String name) {
        int colon = name.indexOf(':');
        return colon > 0 ? claims.get(prefix + name.substring(0, colon) + ":*") : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserClaims other && claims.equals(other.claims);
    }

    @Override
    public int hashCode() {
        return claims.hashCode();
    }

    @Override
    public String toString() {
        return "UserClaims" + claims.keySet();
    }
}
