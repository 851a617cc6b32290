package io.herald.auth;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a client asks for in a token (SPEC TK2; docs/protocol.md §4.3). Every field is optional
 * ({@code null} = absent). A plain mutable holder, like the SDKs' {@code TokenParams}; the {@code withX}
 * methods return a modified copy and leave this object alone, so shared defaults are safe to derive from.
 */
public final class TokenParams {

    /** Token lifetime in milliseconds; {@code null} or 0 means the server default (60 min, SPEC TK2a). */
    public @Nullable Long ttl;
    /** Capability JSON; {@code null} means the key's capability (SPEC TK2b). */
    public @Nullable String capability;
    /** {@code null}: anonymous; {@code "*"}: any clientId; otherwise a fixed identity (SPEC TK2c). */
    public @Nullable String clientId;
    /** Milliseconds since the epoch; {@code null} means "now" from the clock (SPEC TK2d). */
    public @Nullable Long timestamp;
    /** At least 16 characters; {@code null} means random (SPEC RSA9c). Set only in tests. */
    public @Nullable String nonce;

    /** Empty params: key capability, default ttl, anonymous. */
    public TokenParams() {}

    /** A copy of these params. */
    public TokenParams copy() {
        TokenParams p = new TokenParams();
        p.ttl = ttl;
        p.capability = capability;
        p.clientId = clientId;
        p.timestamp = timestamp;
        p.nonce = nonce;
        return p;
    }

    /** A copy with {@link #ttl} in milliseconds. */
    public TokenParams withTtl(@Nullable Long ttlMillis) {
        TokenParams p = copy();
        p.ttl = ttlMillis;
        return p;
    }

    /** A copy with {@link #ttl} = {@code ttl.toMillis()}. */
    public TokenParams withTtl(Duration ttl) {
        return withTtl(ttl == null ? null : ttl.toMillis());
    }

    /** A copy with {@link #capability} as JSON text. */
    public TokenParams withCapability(@Nullable String capabilityJson) {
        TokenParams p = copy();
        p.capability = capabilityJson;
        return p;
    }

    /** A copy with {@link #capability} = {@code capability.canonical()}. */
    public TokenParams withCapability(Capability capability) {
        return withCapability(capability == null ? null : capability.canonical());
    }

    /** A copy with {@link #clientId}. */
    public TokenParams withClientId(String clientId) {
        TokenParams p = copy();
        p.clientId = clientId;
        return p;
    }

    /** A copy with {@link #timestamp} in milliseconds since the epoch. */
    public TokenParams withTimestamp(Long timestampMillis) {
        TokenParams p = copy();
        p.timestamp = timestampMillis;
        return p;
    }

    /** A copy with {@link #nonce}. */
    public TokenParams withNonce(String nonce) {
        TokenParams p = copy();
        p.nonce = nonce;
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenParams p
                && Objects.equals(ttl, p.ttl)
                && Objects.equals(capability, p.capability)
                && Objects.equals(clientId, p.clientId)
                && Objects.equals(timestamp, p.timestamp)
                && Objects.equals(nonce, p.nonce);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, capability, clientId, timestamp, nonce);
    }

    @Override
    public String toString() {
        return "TokenParams[ttl=" + ttl + ", capability=" + capability + ", clientId=" + clientId + ", timestamp="
                + timestamp + ", nonce=" + nonce + "]";
    }
}
