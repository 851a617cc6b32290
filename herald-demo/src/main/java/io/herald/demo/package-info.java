/**
 * The token-request tutorial as a runnable app: a Javalin backend that signs users in (demo users with
 * PBKDF2-hashed passwords, a server-side session behind an HttpOnly SameSite=Strict cookie) and answers the
 * browser's {@code authUrl} / {@code authCallback} at {@code /api/ably/token} with a TokenRequest signed
 * locally by herald-auth: the user's name as clientId, the smallest capability for their {@link
 * io.herald.demo.Role}, a short ttl. The secret API key never leaves this process. The React + Vite front end
 * (herald-demo/web) is built into the classpath's {@code public/} and served from {@code /}.
 *
 * <p>This module depends on herald-auth only, as any customer's backend would.
 */
package io.herald.demo;
