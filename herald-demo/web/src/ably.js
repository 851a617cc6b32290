import * as Ably from 'ably';
import { LiveObjects } from 'ably/liveobjects';
import { TOKEN_URL, fetchTokenRequest } from './api.js';

/**
 * The host the browser uses for Herald. ably-js takes `endpoint` as a literal host only if it contains a dot or
 * is `localhost` (docs/protocol.md §1.1). When the backend says Herald is on a loopback name, the page's own host
 * is the better choice (the same machine, reached the way the page was).
 */
export function heraldHost(configuredHost, pageHost) {
  const loopback = (h) => h === 'localhost' || h === '127.0.0.1' || h === '::1';
  const literal = (h) => h === 'localhost' || h.includes('.');
  if (loopback(configuredHost) && literal(pageHost)) return pageHost;
  if (literal(configuredHost)) return configuredHost;
  console.warn(`Herald host "${configuredHost}" is not usable as an ably-js endpoint; using localhost`);
  return 'localhost';
}

/**
 * The app's authCallback: fetch the TokenRequest from our own backend and hand it to the SDK, which exchanges it
 * at Herald for a token. Errors keep the HTTP status, so a 401 (signed out) shows as such.
 */
async function authCallback(_tokenParams, callback) {
  try {
    callback(null, await fetchTokenRequest());
  } catch (e) {
    callback(new Ably.ErrorInfo(e.message, 40170, e.statusCode || 500), null);
  }
}

/** A Realtime client for Herald, authenticating with `authUrl` or `authCallback` (both hit /api/ably/token). */
export function createClient(config, mode) {
  const host = heraldHost(config.herald.host, window.location.hostname);
  const auth = mode === 'authCallback' ? { authCallback } : { authUrl: TOKEN_URL };
  return new Ably.Realtime({
    ...auth,
    endpoint: host,
    ...(config.herald.tls ? { tls: true, tlsPort: config.herald.port } : { tls: false, port: config.herald.port }),
    disableConnectivityCheck: true,
    transports: ['web_socket'],
    plugins: { LiveObjects },
  });
}

/** How close to its expiry a token is renewed before a REST call is made with it. */
export const RENEW_BEFORE_MS = 5000;

/**
 * Runs `request` (a REST call through the SDK: a chat message sent, edited, deleted, a reaction) after renewing the
 * token if it expires within RENEW_BEFORE_MS. A REST request that reaches Herald with an expired token is answered
 * 40142, and ably-js 2.x then renews the token and retries, but its retry keeps the first attempt's Authorization
 * header: it fails again, renews again, and loops (a new token every few tens of milliseconds) while the message is
 * never sent. With the short tokens of this demo a send can meet the expiry; renewing first keeps it from doing so.
 * A failed renewal (e.g. signed out) is left to the request to report.
 */
export async function withFreshToken(client, request) {
  const expires = client?.auth?.tokenDetails?.expires;
  if (expires && expires - Date.now() < RENEW_BEFORE_MS) {
    try {
      await client.auth.authorize();
    } catch {
      /* the request below fails with the reason */
    }
  }
  return request();
}

/** `ErrorInfo` → one line for the UI: message, code, status and the cause's message if any. */
export function describeError(err) {
  if (!err) return '';
  const parts = [err.message || String(err)];
  if (err.code) parts.push(`code ${err.code}`);
  if (err.statusCode) parts.push(`HTTP ${err.statusCode}`);
  let text = parts.join(' · ');
  const cause = err.cause;
  if (cause && (cause.message || typeof cause === 'string')) {
    text += ` (cause: ${cause.message || cause}${cause.statusCode ? `, HTTP ${cause.statusCode}` : ''})`;
  }
  return text;
}
