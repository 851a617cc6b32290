'use strict';
// Message annotations with ably-js (AnnotationsIT).
// input: { port, binary, key, channel, plainChannel }
// A watcher attached with ANNOTATION_SUBSCRIBE collects annotations and summaries, a plain subscriber collects
// summaries only, while alice (realtime) and bob (REST) annotate one message; then REST reads them back
// (annotations.get with paging, getMessage, history) and the refused operations are tried.
// result: what each client saw, what was read back, and the errors of the refusals.
const { Ably, run, within, options, closeQuietly } = require('./lib');

async function refused(promise) {
  try { await promise; return null; } catch (e) { return { code: e.code, statusCode: e.statusCode }; }
}

function briefAnnotation(a) {
  return { action: a.action, type: a.type, name: a.name, clientId: a.clientId, count: a.count, data: a.data,
    serial: a.serial, messageSerial: a.messageSerial };
}

run(40000, async input => {
  const watcher = new Ably.Realtime(options(input, { key: input.key, clientId: 'watcher' }));
  const plainSub = new Ably.Realtime(options(input, { key: input.key }));
  const alice = new Ably.Realtime(options(input, { key: input.key, clientId: 'alice' }));
  const bob = new Ably.Rest(options(input, { key: input.key, clientId: 'bob' }));
  const rest = new Ably.Rest(options(input, { key: input.key }));
  const clients = [watcher, plainSub, alice];
  try {
    const annotations = [], watcherSummaries = [], plainSummaries = [];
    const waiters = [];
    const check = () => { for (const w of waiters.slice()) if (w.test()) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); } };
    const until = (what, test) => within(10000, what, test() ? Promise.resolve() : new Promise(resolve => { waiters.push({ test, resolve }); }));

    const watched = watcher.channels.get(input.channel, { modes: ['SUBSCRIBE', 'ANNOTATION_SUBSCRIBE'] });
    await within(10000, 'annotations.subscribe', watched.annotations.subscribe(a => { annotations.push(briefAnnotation(a)); check(); }));
    await within(10000, 'watcher subscribe', watched.subscribe(m => { if (m.action === 'message.summary') { watcherSummaries.push({ serial: m.serial, summary: m.annotations.summary }); check(); } }));
    const grantedModes = watched.modes;
    const plain = plainSub.channels.get(input.channel);
    await within(10000, 'plain subscribe', plain.subscribe(m => { if (m.action === 'message.summary') { plainSummaries.push({ serial: m.serial, summary: m.annotations.summary }); check(); } }));
    let plainAnnotations = 0;
    plain.annotations.subscribe(() => { plainAnnotations++; }).catch(() => {});

    const channel = alice.channels.get(input.channel);
    const { serials: [serial] } = await within(10000, 'publish', channel.publish('greeting', 'hello'));
    const bobChannel = bob.channels.get(input.channel);
    await within(10000, 'alice +1', channel.annotations.publish(serial, { type: 'reactions:distinct.v1', name: '+1' }));
    await within(10000, 'bob +1', bobChannel.annotations.publish(serial, { type: 'reactions:distinct.v1', name: '+1' }));
    await within(10000, 'bob heart', bobChannel.annotations.publish(serial, { type: 'reactions:distinct.v1', name: 'heart' }));
    await within(10000, 'bob unheart', bobChannel.annotations.delete(serial, { type: 'reactions:distinct.v1', name: 'heart' }));
    await within(10000, 'alice votes', channel.annotations.publish(serial, { type: 'votes:multiple.v1', name: 'yes', count: 3 }));
    await within(10000, 'alice read', channel.annotations.publish(serial, { type: 'read:flag.v1' }));
    await within(10000, 'alice view', channel.annotations.publish(serial, { type: 'views:total.v1' }));
    await within(10000, 'alice status', channel.annotations.publish({ serial }, { type: 'status:unique.v1', name: 'ok', data: 'payload' }));
    await until('8 annotations and summaries', () => annotations.length >= 8 && watcherSummaries.length >= 8 && plainSummaries.length >= 8);

    const restChannel = rest.channels.get(input.channel);
    const page1 = await within(10000, 'annotations.get', restChannel.annotations.get(serial, { limit: 5 }));
    const page2 = await within(10000, 'annotations next', page1.next());
    const got = page1.items.concat(page2 ? page2.items : []).map(briefAnnotation);
    const latest = await within(10000, 'getMessage', restChannel.getMessage(serial));
    const history = (await within(10000, 'history', restChannel.history())).items;

    // refusals
    const tokenRest = new Ably.Rest(options(input, { key: input.key }));
    const td = await within(10000, 'token', tokenRest.auth.requestToken({ clientId: 'mallory',
      capability: JSON.stringify({ '*': ['publish', 'subscribe', 'history'] }) }));
    const mallory = new Ably.Rest(options(input, { tokenDetails: td }));
    const noPublish = await refused(mallory.channels.get(input.channel).annotations.publish(serial, { type: 'reactions:distinct.v1', name: 'x' }));
    const noGet = await refused(mallory.channels.get(input.channel).annotations.get(serial, {}));
    const malloryRt = new Ably.Realtime(options(input, { tokenDetails: td }));
    clients.push(malloryRt);
    const malloryChannel = malloryRt.channels.get(input.channel, { modes: ['SUBSCRIBE', 'ANNOTATION_SUBSCRIBE'] });
    const noSubscribe = await refused(malloryChannel.annotations.subscribe(() => {}));
    const malloryModes = malloryChannel.modes;
    const noRealtimePublish = await refused(malloryChannel.annotations.publish(serial, { type: 'views:total.v1' }));
    const unknown = await refused(restChannel.annotations.publish(serial.replace(/:\d+$/, ':007'), { type: 'views:total.v1' }));
    const badType = await refused(restChannel.annotations.publish(serial, { type: 'nonsense' }));
    const anonymousFlag = await refused(restChannel.annotations.publish(serial, { type: 'read:flag.v1' }));
    const { serials: [plainSerial] } = await within(10000, 'plain publish', alice.channels.get(input.plainChannel).publish('p', 'q'));
    const notMutable = await refused(alice.channels.get(input.plainChannel).annotations.publish(plainSerial, { type: 'views:total.v1' }));

    return { serial, grantedModes, annotations, watcherSummaries, plainSummaries, plainAnnotations, got,
      page1Size: page1.items.length, hasNext: page1.hasNext(),
      latest: { serial: latest.serial, action: latest.action, data: latest.data, summary: latest.annotations.summary },
      history: history.map(m => ({ serial: m.serial, action: m.action, summary: m.annotations.summary })),
      noPublish, noGet, noSubscribe, malloryModes, noRealtimePublish, unknown, badType, anonymousFlag, notMutable };
  } finally {
    for (const c of clients) closeQuietly(c);
  }
});
