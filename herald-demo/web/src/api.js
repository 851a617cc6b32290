// The demo backend's JSON API (same origin; the session is an HttpOnly cookie the page never sees).

async function call(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, ok: res.ok, json };
}

/** Where Herald is and which auth mode to start in. */
export async function getConfig() {
  const r = await call('GET', '/api/config');
  if (!r.ok) throw new Error(`GET /api/config answered ${r.status}`);
  return r.json;
}

/** The signed-in user ({username, role, capability}) or null. */
export async function getMe() {
  const r = await call('GET', '/api/me');
  return r.ok ? r.json : null;
}

export async function signIn(username, password) {
  const r = await call('POST', '/api/sign-in', { username, password });
  if (!r.ok) throw new Error(r.json?.error || `Sign-in failed (${r.status})`);
  return r.json;
}

export async function signOut() {
  await call('POST', '/api/sign-out', {});
}

/** The route both auth modes use: a TokenRequest for the signed-in user, or 401 {"error":"User is not authorized"}. */
export const TOKEN_URL = '/api/ably/token';

/** Fetches a TokenRequest the way an authCallback does; throws an error carrying the HTTP status. */
export async function fetchTokenRequest() {
  const r = await call('GET', TOKEN_URL);
  if (!r.ok) {
    const err = new Error(r.json?.error || `GET ${TOKEN_URL} answered ${r.status}`);
    err.statusCode = r.status;
    throw err;
  }
  return r.json;
}

/**
 * The admin's "break it" panel: asks the backend to have Herald drop this user's connection (`drop`), expire their
 * token (`expire`) or fail their room's channel (`fail-channel`, with `{room}`). Resolves to the backend's answer
 * `{action, kind, applied, fault}`; throws an error with the backend's message and HTTP status otherwise.
 */
export async function breakIt(action, body = {}) {
  const r = await call('POST', `/api/break/${encodeURIComponent(action)}`, body);
  if (!r.ok) {
    const err = new Error(r.json?.error || `POST /api/break/${action} answered ${r.status}`);
    err.statusCode = r.status;
    throw err;
  }
  return r.json;
}
