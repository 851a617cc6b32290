'use strict';
// Delta compression with ably-js and @ably/vcdiff-decoder (DeltaIT).
// input: { port, binary, key, channel }
// Two subscribers on one channel, one attached with the delta: 'vcdiff' param and the vcdiff plugin, one without;
// a publisher sends a run of similar strings, JSON objects and binary payloads. The frames the delta subscriber
// receives are recorded before ably-js decodes them, to see which carried deltas. An attach with an unknown delta
// format is refused.
// result: what each subscriber received, the encoding and extras.delta of each message on the wire, the refusal.
const { Ably, run, within, options, closeQuietly } = require('./lib');
const vcdiff = require('@ably/vcdiff-decoder');

function show(data) {
  if (Buffer.isBuffer(data) || data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    return { binary: Buffer.from(data).toString('base64') };
  }
  if (typeof data === 'string') return { text: data };
  return { json: JSON.stringify(data) };
}

/**
 * Records the MESSAGE frames a client's transport hands to ably-js, as they came off the wire; with dropIndex, that
 * message's frame never reaches ably-js (a lost base, to see the SDK recover, RTL18).
 */
function recordFrames(realtime, dropIndex) {
  const frames = [];
  const transport = realtime.connection.connectionManager.activeProtocol.getTransport();
  let proto = Object.getPrototypeOf(transport);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'onProtocolMessage')) proto = Object.getPrototypeOf(proto);
  const original = proto.onProtocolMessage;
  proto.onProtocolMessage = function (message) {
    if (this.connectionManager.realtime === realtime && message.action === 15) {
      for (const m of message.messages || []) {
        frames.push({ encoding: m.encoding || null, delta: (m.extras && m.extras.delta) || null, id: m.id });
      }
      if (frames.length - 1 === dropIndex) return undefined;
    }
    return original.call(this, message);
  };
  return frames;
}

run(45000, async input => {
  const withDelta = new Ably.Realtime(options(input, { key: input.key, plugins: { vcdiff } }));
  const plain = new Ably.Realtime(options(input, { key: input.key }));
  const pub = new Ably.Realtime(options(input, { key: input.key }));
  try {
    const payloads = [];
    const base = 'The quick brown fox jumps over the lazy dog while the five boxing wizards jump quickly. ';
    for (let i = 0; i < 4; i++) payloads.push(base + base + 'round ' + i);
    for (let i = 0; i < 4; i++) payloads.push({ text: base, round: i, tags: ['alpha', 'beta', 'gamma'], nested: { ok: true, n: i } });
    for (let i = 0; i < 4; i++) {
      const b = Buffer.alloc(200);
      for (let j = 0; j < b.length; j++) b[j] = (j * 7) & 0xff;
      b[100] = i;
      payloads.push(b);
    }
    payloads.push('a short and different one');
    payloads.push(base + base + 'round 9');

    const got = { delta: [], plain: [] };
    let notify = null;
    const done = () => got.delta.length >= payloads.length && got.plain.length >= payloads.length;
    const chDelta = withDelta.channels.get(input.channel, { params: { delta: 'vcdiff' } });
    const chPlain = plain.channels.get(input.channel);
    await within(10000, 'delta subscribe', chDelta.subscribe(m => { got.delta.push(show(m.data)); if (notify && done()) notify(); }));
    await within(10000, 'plain subscribe', chPlain.subscribe(m => { got.plain.push(show(m.data)); if (notify && done()) notify(); }));
    const frames = recordFrames(withDelta);
    const plainFrames = recordFrames(plain);
    const attachedParams = chDelta.params;

    const channel = pub.channels.get(input.channel);
    for (let i = 0; i < payloads.length; i++) {
      await within(10000, 'publish ' + i, channel.publish('m' + i, payloads[i]));
    }
    await within(15000, 'all deliveries', done() ? Promise.resolve() : new Promise(r => { notify = r; }));

    // a lost frame: the next delta names a base the SDK never saw; it re-attaches from the last message it decoded
    // and gets the rest, the first of them in full
    const lossy = new Ably.Realtime(options(input, { key: input.key, plugins: { vcdiff } }));
    const recovered = [];
    let lossyFrames;
    try {
      const chLossy = lossy.channels.get(input.channel + '-lossy', { params: { delta: 'vcdiff' } });
      let notifyLossy = null;
      await within(10000, 'lossy subscribe', chLossy.subscribe(m => { recovered.push(show(m.data)); if (notifyLossy && recovered.length >= 4) notifyLossy(); }));
      lossyFrames = recordFrames(lossy, 1);
      const ch = pub.channels.get(input.channel + '-lossy');
      for (let i = 0; i < 4; i++) await within(10000, 'lossy publish ' + i, ch.publish('l' + i, payloads[i]));
      await within(15000, 'recovered deliveries', recovered.length >= 4 ? Promise.resolve() : new Promise(r => { notifyLossy = r; }));
    } finally {
      closeQuietly(lossy);
    }

    let refused = null;
    const bad = withDelta.channels.get(input.channel + '-bad', { params: { delta: 'xdelta' } });
    try { await bad.attach(); } catch (e) { refused = { code: e.code, statusCode: e.statusCode, state: bad.state }; }

    return { sent: payloads.map(show), got, frames, plainFrames, attachedParams, refused, recovered, lossyFrames,
      deltaState: chDelta.state, deltaError: chDelta.errorReason ? chDelta.errorReason.code : null };
  } finally {
    closeQuietly(withDelta, plain, pub);
  }
});
