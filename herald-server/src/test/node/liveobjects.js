'use strict';
// LiveObjects with ably-js 2.26 and its LiveObjects plugin (LiveObjectsIT).
// input: { port, binary, key, channel }
// alice and bob edit one map and one counter at the same time and must converge; carol joins late and syncs the
// whole tree; reader's token has object-subscribe but not object-publish, so the server does not grant the
// OBJECT_PUBLISH mode and its write is refused.
// result: each client's compact view, the expected counter value, reader's granted modes and refusal.
const { Ably, run, within, options, closeQuietly, note } = require('./lib');
const { LiveObjects, LiveCounter, LiveMap } = require('ably/liveobjects');

const MODES = ['OBJECT_SUBSCRIBE', 'OBJECT_PUBLISH'];

/** Polls test() every 20 ms until it holds; rejects after ms naming what was awaited. */
function until(ms, what, test) {
  return within(ms, what, new Promise(resolve => {
    const tick = () => { if (test()) resolve(); else setTimeout(tick, 20); };
    tick();
  }));
}

/** The compact view as plain JSON with keys sorted (clients that applied the same writes in another order list
 *  keys differently) and bytes as { bytes: [...] }. */
function compactOf(root) {
  const plain = JSON.parse(JSON.stringify(root.compact(), (k, v) =>
    v && v.type === 'Buffer' && Array.isArray(v.data) ? { bytes: v.data } : v));
  const sorted = v => Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sorted(v[k])])) : v;
  return sorted(plain);
}

run(60000, async input => {
  const realtime = (extra) => new Ably.Realtime(options(input, Object.assign({ plugins: { LiveObjects } }, extra)));
  const alice = realtime({ key: input.key, clientId: 'alice' });
  const bob = realtime({ key: input.key, clientId: 'bob' });
  const clients = [alice, bob];
  try {
    const aliceRoot = await within(10000, 'alice object.get', alice.channels.get(input.channel, { modes: MODES }).object.get());
    const bobRoot = await within(10000, 'bob object.get', bob.channels.get(input.channel, { modes: MODES }).object.get());

    await within(10000, 'create counter', aliceRoot.set('score', LiveCounter.create(10)));
    await within(10000, 'create map', aliceRoot.set('profile', LiveMap.create({ name: 'ada', tags: { a: [1, 2] } })));
    await until(10000, 'bob sees the new objects',
      () => bobRoot.get('score').value() === 10 && bobRoot.get('profile').get('name').value() === 'ada');

    // both at once: 20 increments each, the same key written by both, one key each, and a removal
    const N = 20;
    const writes = [];
    for (let i = 0; i < N; i++) {
      writes.push(aliceRoot.get('score').increment(1));
      writes.push(bobRoot.get('score').increment(2));
    }
    writes.push(aliceRoot.get('profile').set('color', 'red'));
    writes.push(bobRoot.get('profile').set('color', 'blue'));
    writes.push(aliceRoot.get('profile').set('byAlice', Buffer.from([1, 2, 3])));
    writes.push(bobRoot.get('profile').set('byBob', true));
    writes.push(bobRoot.get('profile').remove('name'));
    await within(20000, 'concurrent writes acknowledged', Promise.all(writes));
    const expected = 10 + N * 3;
    await until(10000, 'both converge', () => {
      const a = JSON.stringify(compactOf(aliceRoot)), b = JSON.stringify(compactOf(bobRoot));
      return a === b && aliceRoot.get('score').value() === expected;
    });

    const carol = realtime({ key: input.key, clientId: 'carol' });
    clients.push(carol);
    const carolRoot = await within(10000, 'carol object.get', carol.channels.get(input.channel, { modes: ['OBJECT_SUBSCRIBE'] }).object.get());

    const rest = new Ably.Rest(options(input, { key: input.key }));
    const token = await within(10000, 'reader token', rest.auth.requestToken({
      clientId: 'reader', capability: JSON.stringify({ '*': ['subscribe', 'object-subscribe'] }) }));
    const reader = realtime({ token: token.token });
    clients.push(reader);
    const readerChannel = reader.channels.get(input.channel, { modes: MODES });
    const readerRoot = await within(10000, 'reader object.get', readerChannel.object.get());
    let readerError = null;
    try {
      await within(10000, 'reader write', readerRoot.set('intruder', 1));
    } catch (e) {
      readerError = { code: e.code, statusCode: e.statusCode, message: e.message };
    }
    note('reader', readerError);
    return {
      expected,
      alice: compactOf(aliceRoot),
      bob: compactOf(bobRoot),
      carol: compactOf(carolRoot),
      reader: compactOf(readerRoot),
      readerModes: readerChannel.modes,
      readerError,
    };
  } finally {
    closeQuietly(...clients);
  }
});
