'use strict';
// The REST objects API with ably-js 2.26's RestObject (channel.object on Ably.Rest with the LiveObjects plugin)
// (RestObjectsIT).
// input: { port, binary, key, channel }
// A realtime client (LiveObjects plugin) holds the channel's root and records every change it is told about; REST
// publishes a batch (creates at paths, a set), reads it back compact and full, by path and by object id, creates a
// counter with a generated id, increments by wildcard, repeats an idempotent increment, and is refused without the
// capabilities. Each realtime wait is on the subscription's own events.
// result: what REST read, what the realtime client saw, and the errors of the refusals.
const { Ably, run, within, options, closeQuietly, note } = require('./lib');
const { LiveObjects } = require('ably/liveobjects');

async function refused(promise) {
  try { await promise; return null; } catch (e) { return { code: e.code, statusCode: e.statusCode }; }
}

/** Compact values as JSON can carry them (Buffers as base64). */
function plain(v) {
  return JSON.parse(JSON.stringify(v, (k, x) =>
    x && x.type === 'Buffer' && Array.isArray(x.data) ? { base64: Buffer.from(x.data).toString('base64') } : x));
}

run(60000, async input => {
  const plugins = { LiveObjects };
  const rest = new Ably.Rest(options(input, { key: input.key, plugins }));
  const realtime = new Ably.Realtime(options(input, { key: input.key, clientId: 'watcher', plugins }));
  try {
    const channel = rest.channels.get(input.channel);
    const watched = realtime.channels.get(input.channel, { modes: ['OBJECT_SUBSCRIBE'] });
    const root = await within(10000, 'realtime object.get', watched.object.get());
    const seen = [];
    const waiters = [];
    root.subscribe(event => {
      const m = event.message;
      seen.push({ path: event.object.path(), id: m && m.id, serial: m && m.serial, siteCode: m && m.siteCode,
        action: m && m.operation && m.operation.action });
      for (const w of waiters.slice()) if (w.test()) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    });
    const until = (what, test) => within(10000, what,
      test() ? Promise.resolve() : new Promise(resolve => waiters.push({ test, resolve })));

    // one batch: a counter and a map created at paths of the root, and a plain value
    const batch = await within(10000, 'publish batch', channel.object.publish([
      { path: 'score', counterCreate: { count: 10 } },
      { path: 'profile', mapCreate: { semantics: 'lww', entries: {
        name: { data: { string: 'ada' } },
        bytes: { data: { bytes: Buffer.from([1, 2, 3]) } },
        tags: { data: { json: { a: [1, 2] } } } } } },
      { id: 'title-1', objectId: 'root', mapSet: { key: 'title', value: { string: 'hello' } } },
    ]));
    note('batch', batch);
    await until('realtime sees the batch', () =>
      root.get('score').value() === 10 && root.get('profile').get('name').value() === 'ada'
        && root.get('title').value() === 'hello');
    const titleEvent = seen.find(s => s.id === 'title-1');

    const compact = await within(10000, 'get compact', channel.object.get());
    const full = await within(10000, 'get full', channel.object.get({ compact: false }));
    const name = await within(10000, 'get path', channel.object.get({ path: 'profile.name' }));
    const nameFull = await within(10000, 'get path full', channel.object.get({ path: 'profile.name', compact: false }));
    const tagsFull = await within(10000, 'get json full', channel.object.get({ path: 'profile.tags', compact: false }));
    const profileId = full.map.entries.profile.data.objectId;
    const byId = await within(10000, 'get by id', channel.object.get({ objectId: profileId, path: 'name' }));

    // a counter whose id the client makes, then set into the root
    const gen = await within(10000, 'generateObjectId', channel.object.generateObjectId({ counterCreate: { count: 100 } }));
    const withId = await within(10000, 'counterCreateWithObjectId', channel.object.publish({
      objectId: gen.objectId, counterCreateWithObjectId: { initialValue: gen.initialValue, nonce: gen.nonce } }));
    await within(10000, 'link', channel.object.publish({ objectId: 'root', mapSet: { key: 'made', value: { objectId: gen.objectId } } }));

    // a wildcard over the root's counters, and an idempotent increment sent twice
    const wild = await within(10000, 'wildcard inc', channel.object.publish({ path: '*', counterInc: { number: 1 } }));
    const once1 = await within(10000, 'inc once', channel.object.publish({ id: 'inc-1', path: 'score', counterInc: { number: 5 } }));
    const once2 = await within(10000, 'inc again', channel.object.publish({ id: 'inc-1', path: 'score', counterInc: { number: 5 } }));
    await until('realtime sees the increments', () => root.get('score').value() === 16 && root.get('made').value() === 101);
    const after = await within(10000, 'get after', channel.object.get());

    const missingId = await refused(channel.object.get({ objectId: 'map:nothing@1' }));
    const missingPath = await refused(channel.object.get({ path: 'nothing.here' }));
    const wrongType = await refused(channel.object.publish({ path: 'profile', counterInc: { number: 1 } }));
    const badId = await refused(channel.object.publish({
      objectId: gen.objectId.replace(/@.*/, '@1'), counterCreateWithObjectId: { initialValue: '{"count":5}', nonce: gen.nonce } }));

    // capabilities: object-subscribe to read, object-publish to write
    const readToken = await rest.auth.requestToken({ capability: JSON.stringify({ '*': ['object-subscribe'] }) });
    const reader = new Ably.Rest(options(input, { token: readToken.token, plugins }));
    const readerGet = await within(10000, 'reader get', reader.channels.get(input.channel).object.get());
    const readerPublish = await refused(reader.channels.get(input.channel).object.publish({ objectId: 'root', mapRemove: { key: 'title' } }));
    const noneToken = await rest.auth.requestToken({ capability: JSON.stringify({ '*': ['subscribe', 'publish'] }) });
    const nobody = new Ably.Rest(options(input, { token: noneToken.token, plugins }));
    const nobodyGet = await refused(nobody.channels.get(input.channel).object.get());
    const nobodyPublish = await refused(nobody.channels.get(input.channel).object.publish({ objectId: 'root', mapRemove: { key: 'title' } }));

    return {
      batch, titleEvent, compact: plain(compact), full: plain(full), name, nameFull, tagsFull, byId,
      gen, withId, wild, once1, once2, after: plain(after),
      realtimeScore: root.get('score').value(), realtimeMade: root.get('made').value(),
      missingId, missingPath, wrongType, badId,
      readerGet: plain(readerGet), readerPublish, nobodyGet, nobodyPublish,
    };
  } finally {
    closeQuietly(realtime);
  }
});
