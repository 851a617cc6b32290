'use strict';
// Connection basics with ably-js (ConnectionIT): connect with the given credentials, then either
// ping and close (expect "connected") or report how the connection was refused (expect "refused").
// input: { port, binary, key?, token?, clientId?, expect: "connected" | "refused" }
const { Ably, run, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

run(20000, async input => {
  const changes = [];
  const opts = options(input, { autoConnect: false });
  if (input.key) opts.key = input.key;
  if (input.token) opts.token = input.token;
  if (input.clientId) opts.clientId = input.clientId;
  const realtime = new Ably.Realtime(opts);
  realtime.connection.on(change => {
    note('state', change.previous, '->', change.current, errorInfo(change.reason));
    changes.push({ current: change.current, reason: errorInfo(change.reason) });
  });
  try {
    realtime.connect();
    if (input.expect === 'refused') {
      await within(15000, 'failed or disconnected', new Promise(resolve => {
        const done = () => ['failed', 'disconnected'].includes(realtime.connection.state);
        if (done()) { resolve(); return; }
        realtime.connection.on(() => { if (done()) resolve(); });
      }));
      return { state: realtime.connection.state, reason: errorInfo(realtime.connection.errorReason), changes };
    }
    await connectionState(realtime, 'connected', 10000);
    const id = realtime.connection.id;
    const key = realtime.connection.key;
    const clientId = realtime.auth.clientId;
    const pingMs = await within(10000, 'ping', realtime.connection.ping());
    realtime.close();
    await connectionState(realtime, 'closed', 10000);
    return { id, key, clientId, pingMs, changes };
  } finally {
    closeQuietly(realtime);
  }
});
