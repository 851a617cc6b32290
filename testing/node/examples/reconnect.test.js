'use strict';
// An app's reconnection tests with ably-js and Herald's fault control API, run with node's own test runner:
//
//   HERALD_CONTROL_TOKEN=$(openssl rand -hex 16) ./herald serve --engine memory --key myapp.dev:devsecret123 &
//   HERALD_KEY=myapp.dev:devsecret123 HERALD_CONTROL_TOKEN=<the same token> node --test testing/node/examples/
//
// HERALD_URL defaults to http://localhost:8080. docs/testing-with-herald.md walks through each test.
const test = require('node:test');
const assert = require('node:assert/strict');
const Ably = require('ably');

const url = new URL(process.env.HERALD_URL || 'http://localhost:8080');
const key = process.env.HERALD_KEY;
const controlToken = process.env.HERALD_CONTROL_TOKEN;
if (!key || !controlToken) {
  throw new Error('set HERALD_KEY (appId.keyId:secret) and HERALD_CONTROL_TOKEN (the server\'s control token)');
}
const appId = key.split('.')[0];

// ---- the fault control API: three small helpers ----

async function control(method, path, body) {
  const r = await fetch(new URL('/control/faults' + path, url), {
    method,
    headers: { Authorization: 'Bearer ' + controlToken, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok) {
    const e = json.error || {};
    throw new Error(`control API: ${e.statusCode || r.status} ${e.code}: ${e.message}`);
  }
  return json;
}
const injectFault = fault => control('POST', '', Object.assign({ appId }, fault));
const clearFaults = () => control('DELETE', '?appId=' + encodeURIComponent(appId));

// ---- clients pointed at Herald ----

function clientOptions(extra) {
  return Object.assign({ endpoint: url.hostname, port: Number(url.port || 80), tls: false }, extra);
}

/** The app's backend: signs TokenRequests with the key (here in-process; in the app, its /auth endpoint). */
const backend = new Ably.Rest(clientOptions({ key }));

/** A realtime client authenticating as clientId through an authCallback, as a browser app would. */
function userClient(clientId, extra) {
  const calls = { count: 0 };
  const realtime = new Ably.Realtime(clientOptions(Object.assign({
    clientId,
    authCallback: (params, callback) => {
      calls.count++;
      backend.auth.createTokenRequest({ clientId }).then(tr => callback(null, tr), err => callback(err));
    },
  }, extra)));
  return { realtime, calls };
}

/** Resolves with the next state change of emitter that matches, rejects after ms. */
function next(emitter, matches, ms = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { emitter.off(listener); reject(new Error('timed out')); }, ms);
    function listener(change) {
      if (matches(change)) { clearTimeout(timer); emitter.off(listener); resolve(change); }
    }
    emitter.on(listener);
  });
}

test.afterEach(clearFaults);

test('a dropped connection resumes with the same id, and nothing is lost', async () => {
  const { realtime } = userClient('alice');
  try {
    await realtime.connection.once('connected');
    const id = realtime.connection.id;
    const channel = realtime.channels.get('room:drop');
    const arrived = new Promise(resolve => channel.subscribe('msg', m => resolve(m.data)));
    await channel.attach();

    const disconnected = next(realtime.connection, c => c.current === 'disconnected');
    const back = next(realtime.connection, c => c.previous !== 'connected' && c.current === 'connected');
    await injectFault({ kind: 'connection.drop', clientId: 'alice' });
    await disconnected;
    await backend.channels.get('room:drop').publish('msg', 'sent while alice was away');
    await back;

    assert.equal(realtime.connection.id, id, 'resumed');
    assert.equal(await arrived, 'sent while alice was away');
  } finally {
    realtime.close();
  }
});

test('a failed resume gives a new connection with 80008; the channel catches up from its serial', async () => {
  const { realtime } = userClient('alice');
  try {
    await realtime.connection.once('connected');
    const id = realtime.connection.id;
    const channel = realtime.channels.get('room:resume');
    const arrived = new Promise(resolve => channel.subscribe('msg', m => resolve(m.data)));
    await channel.attach();

    const disconnected = next(realtime.connection, c => c.current === 'disconnected');
    const reconnected = next(realtime.connection, c => c.previous !== 'connected' && c.current === 'connected');
    await injectFault({ kind: 'connection.failResume', clientId: 'alice' });
    await injectFault({ kind: 'connection.drop', clientId: 'alice' });
    await disconnected;
    await backend.channels.get('room:resume').publish('msg', 'sent during the gap');

    const change = await reconnected;
    assert.equal(change.reason.code, 80008, 'the connection state (and presence) was lost');
    assert.notEqual(realtime.connection.id, id, 'a new connection');
    assert.equal(await arrived, 'sent during the gap', 'the channel re-attached from its channelSerial');
  } finally {
    realtime.close();
  }
});

test('token renewal that fails twice: the client stays disconnected, then recovers', async () => {
  const { realtime, calls } = userClient('bob', { disconnectedRetryTimeout: 500 });
  try {
    await realtime.connection.once('connected');
    await injectFault({ kind: 'token.requestFail', count: 2, error: { code: 50300, statusCode: 503 } });

    const disconnected = next(realtime.connection, c => c.current === 'disconnected');
    await injectFault({ kind: 'token.expire', clientId: 'bob' });
    assert.equal((await disconnected).reason.code, 40142);
    await next(realtime.connection, c => c.current === 'connected', 20000);

    assert.ok(calls.count >= 3, `the authCallback ran ${calls.count} times: the first token, two failures, success`);
  } finally {
    realtime.close();
  }
});

test('lost messages are signalled as an update with resumed false; history fills the gap', async () => {
  const { realtime } = userClient('carol');
  try {
    const channel = realtime.channels.get('room:lossy');
    await channel.attach();

    const update = new Promise(resolve => channel.once('update', resolve));
    await injectFault({ kind: 'delivery.drop', channel: 'room:lossy' });
    await backend.channels.get('room:lossy').publish('msg', 'lost on the way');

    const change = await update;
    assert.equal(change.resumed, false);
    await clearFaults();
    const page = await channel.history({ limit: 10 });
    assert.ok(page.items.some(m => m.data === 'lost on the way'), 'the app recovers the lost message from history');
  } finally {
    realtime.close();
  }
});
