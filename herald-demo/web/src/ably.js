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
