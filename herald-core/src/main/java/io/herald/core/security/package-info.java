/**
 * Credentials to permissions: the {@link io.herald.core.security.KeyRegistry} of apps and keys, the
 * {@link io.herald.core.security.Authenticator} that turns a key, a Herald token or an Ably JWT into an
 * {@link io.herald.core.security.AuthContext}, and the {@link io.herald.core.security.TokenService} behind
 * {@code requestToken} and {@code revokeTokens} (docs/protocol.md §4, §5).
 */
package io.herald.core.security;
