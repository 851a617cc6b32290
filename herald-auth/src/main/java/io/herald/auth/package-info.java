/**
 * Ably-compatible credentials for any Java backend and for the Herald server: {@link io.herald.auth.ApiKey API keys},
 * signed {@link io.herald.auth.TokenRequests TokenRequests} byte for byte as the official SDKs make them
 * (SPEC RSA9, TE1-TE5; docs/protocol.md §4.3-§4.7), {@link io.herald.auth.TokenDetails}, {@link io.herald.auth.Capability
 * capabilities} with Ably's canonical form, wildcard matching and intersection (§5), Ably
 * {@link io.herald.auth.AblyJwt JWTs} (§4.9) and Herald's own self-contained {@link io.herald.auth.HeraldTokens tokens}.
 * The package depends only on the JDK, Jackson and nimbus-jose-jwt; failures are {@link io.herald.auth.AuthException}s
 * carrying Ably error codes, secrets never appear in messages or {@code toString()}, and time always comes from an
 * injected {@link java.time.Clock}.
 */
package io.herald.auth;
