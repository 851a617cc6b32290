'use strict';
// Stats, batch operations and rest.request with ably-js (StatsRestIT).
// input: { port, binary, key (full), limitedKey (publish/presence/subscribe on "ok" only), fixturesEnd }
// result: {
//   traffic: the entries summed over rest.stats() minute and hour items after real traffic, and one raw item,
//   paging:  the intervalIds of the fixture pages read backwards and forwards with limit 1, with hasNext(),
//   batch:   batchPublish (array and single spec) and batchPresence results with the limited key,
//   request: statusCode/success/errorCode/errorMessage/items of rest.request on a success, a 404 and a 405 }
const { Ably, run, options, within, closeQuietly } = require('./lib');

function sum(items) {
  const out = {};
  for (const s of items) {
    for (const [k, v] of Object.entries(s.entries || {})) out[k] = (out[k] || 0) + v;
  }
  return out;
}

async function pages(first) {
  const out = [];
  let page = first;
  while (page) {
    out.push({ ids: page.items.map(s => s.intervalId), hasNext: page.hasNext() });
    if (out.length > 20) throw new Error('more than 20 pages: the Link headers loop');
    page = page.hasNext() ? await within(10000, 'next page', page.next()) : null;
  }
  return out;
}

function view(r) {
  return { statusCode: r.statusCode, success: r.success, errorCode: r.errorCode || null,
    errorMessage: r.errorMessage || null, items: r.items };
}

run(50000, async input => {
  const rest = new Ably.Rest(options(input, { key: input.key }));
  const realtime = new Ably.Realtime(options(input, { key: input.key, clientId: 'member' }));
  try {
    // ---- real traffic: 3 realtime publishes (echoed), 2 REST publishes the realtime client receives ----
    const room = realtime.channels.get('room');
    let received = 0;
    const all = new Promise(resolve => room.subscribe(() => { if (++received === 5) resolve(); }));
    await within(10000, 'attach', room.attach());
    for (let i = 0; i < 3; i++) await within(10000, 'realtime publish', room.publish('rt', 'abcde'));
    await within(10000, 'rest publish', rest.channels.get('room').publish([{ name: 'r1', data: 'x' }, { name: 'r2', data: 'y' }]));
    await within(10000, 'five deliveries', all);
    // from two hours ago: not the fixtures, dated last year
    const since = Date.now() - 2 * 3600 * 1000;
    const minute = await within(10000, 'stats minute', rest.stats({ unit: 'minute', start: since }));
    const hour = await within(10000, 'stats hour', rest.stats({ unit: 'hour', start: since, direction: 'forwards' }));
    const traffic = { minute: sum(minute.items), hour: sum(hour.items), hourItems: hour.items.length,
      item: minute.items[0] };

    // ---- paging over the fixtures posted by the test ----
    const paging = {
      backwards: await pages(await rest.stats({ end: input.fixturesEnd, limit: 1 })),
      forwards: await pages(await rest.stats({ end: input.fixturesEnd, limit: 1, direction: 'forwards' })),
    };

    // ---- batch: partial failures with the limited key ----
    await within(10000, 'enter', realtime.channels.get('ok').presence.enter('here'));
    const limited = new Ably.Rest(options(input, { key: input.limitedKey }));
    const specs = [{ channels: ['ok', 'nope'], messages: [{ data: 'm1' }, { data: 'm2' }] },
      { channels: ['ok'], messages: { name: 'single', data: 'm3' } }];
    const batch = {
      array: await within(10000, 'batchPublish array', limited.batchPublish(specs)),
      single: await within(10000, 'batchPublish single', limited.batchPublish(specs[0])),
      presence: await within(10000, 'batchPresence', limited.batchPresence(['nope', 'ok'])),
    };

    // ---- rest.request ----
    const request = {
      ok: view(await rest.request('get', '/channels/room/messages', 3, { limit: 2 })),
      post: view(await rest.request('post', '/channels/room/messages', 3, {}, { name: 'via', data: 'request' })),
      notFound: view(await rest.request('get', '/no/such/route', 3)),
      wrongMethod: view(await rest.request('delete', '/time', 3)),
    };
    return { traffic, paging, batch, request };
  } finally {
    closeQuietly(realtime);
  }
});
