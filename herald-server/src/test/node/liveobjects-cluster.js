'use strict';
// LiveObjects across two Herald nodes on one Redis, with ably-js and its LiveObjects plugin (LiveObjectsClusterIT).
// input: { ports: [a, b], binary, key, channel }
// alice (on node a) and bob (on node b) edit one map and one counter at the same time and must converge; carol (a)
// and dave (b) join afterwards and each syncs the whole tree from their own node.
// result: each client's compact view and the expected counter value.
const { Ably, run, within, options, closeQuietly } = require('./lib');
const { LiveObjects, LiveCounter, LiveMap } = require('ably/liveobjects');

const MODES = ['OBJECT_SUBSCRIBE', 'OBJECT_PUBLISH'];

/** Polls test() every 20 ms until it holds; rejects after ms naming what was awaited. */
function until(ms, what, test) {
  return within(ms, what, new Promise(resolve => {
    const tick = () => { if (test()) resolve(); else setTimeout(tick, 20); };
    tick();
  }));
}

/** The compact view as JSON text with keys sorted and bytes as { bytes: [...] }, so two views compare as strings. */
function compactOf(root) {
  const plain = JSON.parse(JSON.stringify(root.compact(), (k, v) =>
    v && v.type === 'Buffer' && Array.isArray(v.data) ? { bytes: v.data } : v));
  const sorted = v => Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sorted(v[k])])) : v;
  return sorted(plain);
}

run(90000, async input => {
  const [portA, portB] = input.ports;
  const clients = [];
  const realtime = (port, clientId) => {
    const r = new Ably.Realtime(options(Object.assign({}, input, { port }),
      { key: input.key, clientId, plugins: { LiveObjects } }));
    clients.push(r);
    return r;
  };
  const rootOf = (r, who, modes) =>
    within(15000, who + ' object.get', r.channels.get(input.channel, { modes: modes || MODES }).object.get());
  try {
    const aliceRoot = await rootOf(realtime(portA, 'alice'), 'alice');
    const bobRoot = await rootOf(realtime(portB, 'bob'), 'bob');

    await within(10000, 'create counter', aliceRoot.set('score', LiveCounter.create(10)));
    await within(10000, 'create map', bobRoot.set('profile', LiveMap.create({ name: 'ada', tags: { a: [1, 2] } })));
    await until(10000, 'each sees the other node\'s objects', () =>
      bobRoot.get('score').value() === 10 && aliceRoot.get('profile').get('name').value() === 'ada');

    // both at once, through two nodes: 25 increments each, the same key written by both, one key each, a removal
    const N = 25;
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
    await within(30000, 'concurrent writes acknowledged', Promise.all(writes));
    const expected = 10 + N * 3;
    await until(15000, 'alice and bob converge', () =>
      JSON.stringify(compactOf(aliceRoot)) === JSON.stringify(compactOf(bobRoot))
      && aliceRoot.get('score').value() === expected);

    const carolRoot = await rootOf(realtime(portA, 'carol'), 'carol', ['OBJECT_SUBSCRIBE']);
    const daveRoot = await rootOf(realtime(portB, 'dave'), 'dave', ['OBJECT_SUBSCRIBE']);
    return {
      expected,
      alice: compactOf(aliceRoot),
      bob: compactOf(bobRoot),
      carol: compactOf(carolRoot),
      dave: compactOf(daveRoot),
    };
  } finally {
    closeQuietly(...clients);
  }
});
