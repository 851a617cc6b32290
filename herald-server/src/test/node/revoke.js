'use strict';
// Token revocation through ably-js (RevocationIT).
// input: { port, binary, revocableKey, otherKey, token, clientId }
// A realtime client connects with `token` (of revocableKey, for clientId), then the key revokes
// clientId:<clientId>; reports the revokeTokens result, how soon the realtime client saw 40141, and what
// revokeTokens with a key without revocable tokens (otherKey) gets. (A token-only ably-js REST client turns the
// server's 40141 into its own 40171 "no way to renew", so the REST refusal is checked over raw HTTP instead.)
const { Ably, run, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

run(30000, async input => {
  const realtime = new Ably.Realtime(options(input, { token: input.token }));
  const seen = [];
  let revokedAt = 0;
  const saw40141 = new Promise(resolve => {
    realtime.connection.on(change => {
      note('state', change.previous, '->', change.current, errorInfo(change.reason));
      seen.push({ current: change.current, reason: errorInfo(change.reason), afterRevokeMs: revokedAt ? Date.now() - revokedAt : null });
      const r = change.reason;
      if (r && (r.code === 40141 || (r.cause && r.cause.code === 40141))) resolve(Date.now());
    });
  });
  try {
    await connectionState(realtime, 'connected', 10000);
    const keyed = new Ably.Rest(options(input, { key: input.revocableKey }));
    const started = Date.now();
    const result = await within(10000, 'revokeTokens', keyed.auth.revokeTokens([{ type: 'clientId', value: input.clientId }]));
    revokedAt = Date.now();
    const sawAt = await within(5000, 'a 40141 state change', saw40141);
    let otherKeyError = null;
    try {
      const other = new Ably.Rest(options(input, { key: input.otherKey }));
      await within(10000, 'revokeTokens with a non-revocable key', other.auth.revokeTokens([{ type: 'clientId', value: input.clientId }]));
    } catch (err) {
      otherKeyError = errorInfo(err);
    }
    return { result, revokeCallMs: revokedAt - started, disconnectAfterRevokeMs: Math.max(0, sawAt - revokedAt),
      disconnectAfterRequestMs: sawAt - started, states: seen, otherKeyError };
  } finally {
    closeQuietly(realtime);
  }
});
