'use strict';
// In-band token renewal with ably-js (TokenRenewalIT): a client with an authUrl whose tokens live 40 s is sent AUTH
// by the server ~30 s before expiry, fetches a new token and sends it on the same socket; the connection emits
// "update" and stays CONNECTED with the same id. Messages: "before" (published after attach), whatever the JUnit
// side publishes while the authUrl is called again, and "after" (published once the update arrived).
// input: { port, binary, authUrl, key, channel }
const { Ably, run, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

run(60000, async input => {
  const realtime = new Ably.Realtime(options(input, { authUrl: input.authUrl }));
  const publisher = new Ably.Rest(options(input, { key: input.key }));
  const connectionChanges = [];
  const started = Date.now();
  let updateAt = null;
  const updated = new Promise(resolve => {
    realtime.connection.on(change => {
      note('connection', change.previous, '->', change.current, errorInfo(change.reason));
      connectionChanges.push({ previous: change.previous, current: change.current, reason: errorInfo(change.reason),
        atMs: Date.now() - started });
      if (change.current === 'connected' && change.previous === 'connected') {
        updateAt = Date.now() - started;
        resolve();
      }
    });
  });
  try {
    await connectionState(realtime, 'connected', 10000);
    const connectedAt = Date.now() - started;
    const idBefore = realtime.connection.id;
    const tokenBefore = realtime.auth.tokenDetails && realtime.auth.tokenDetails.token;
    const channel = realtime.channels.get(input.channel);
    const names = [];
    let gotAfter;
    const after = new Promise(resolve => { gotAfter = resolve; });
    await within(10000, 'subscribe (attach)', channel.subscribe(m => {
      names.push(m.data);
      if (m.data === 'after') gotAfter();
    }));
    await within(10000, 'publish before', publisher.channels.get(input.channel).publish('seq', 'before'));
    await within(30000, 'the connection update after AUTH', updated);
    await within(10000, 'publish after', publisher.channels.get(input.channel).publish('seq', 'after'));
    await within(10000, 'the "after" message', after);
    return { names, idBefore, idAfter: realtime.connection.id, connectedAt, updateAt, connectionChanges,
      tokenChanged: realtime.auth.tokenDetails.token !== tokenBefore, state: realtime.connection.state };
  } finally {
    closeQuietly(realtime);
  }
});
