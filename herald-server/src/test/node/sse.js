'use strict';
// Herald's SSE endpoint with the eventsource npm package, an EventSource as browsers have it (SseIT).
// input: { port, key, limitedKey, channel }
// ably-js publishes; an EventSource receives; after a close, a new EventSource with Last-Event-ID gets exactly the
// messages published meanwhile, then the live ones; a key without subscribe on the channel is refused (an error
// event with the HTTP status).
// result: { first, resumed, refusedStatus }
const { Ably, run, within, options, closeQuietly } = require('./lib');
const EventSource = require('eventsource');

function collector(es) {
  const seen = [];
  let want = 0, notify = null;
  es.onmessage = e => {
    seen.push({ data: JSON.parse(e.data), lastEventId: e.lastEventId });
    if (notify && seen.length >= want) { notify(); notify = null; }
  };
  return { seen, waitFor: n => seen.length >= n ? Promise.resolve() : new Promise(r => { want = n; notify = r; }) };
}

function opened(es) {
  return new Promise((resolve, reject) => {
    es.onopen = () => resolve();
    es.onerror = e => reject(new Error('EventSource error: ' + JSON.stringify({ status: e.status, message: e.message })));
  });
}

run(40000, async input => {
  const base = `http://localhost:${input.port}/sse?v=1.2&channels=${encodeURIComponent(input.channel)}`;
  const url = base + '&key=' + encodeURIComponent(input.key);
  const pub = new Ably.Realtime(options(input, { key: input.key }));
  const channel = pub.channels.get(input.channel);
  let es = new EventSource(url);
  try {
    let c = collector(es);
    await within(10000, 'stream open', opened(es));
    await within(10000, 'publish one', channel.publish('one', 'hello'));
    await within(10000, 'event one', c.waitFor(1));
    const first = c.seen[0];
    es.close();
    await within(10000, 'publish two, three', channel.publish([{ name: 'two', data: 'x' }, { name: 'three', data: 'y' }]));
    await within(10000, 'publish four', channel.publish('four', 'z'));
    es = new EventSource(url, { headers: { 'Last-Event-ID': first.lastEventId } });
    c = collector(es);
    await within(10000, 'resumed stream open', opened(es));
    await within(10000, 'missed events', c.waitFor(3));
    await within(10000, 'publish five', channel.publish('five', 'w'));
    await within(10000, 'event five', c.waitFor(4));
    const resumed = c.seen.map(m => m.data.name);
    es.close();
    const refused = new EventSource(base + '&key=' + encodeURIComponent(input.limitedKey));
    const refusedStatus = await within(10000, 'refusal', new Promise(resolve => {
      refused.onerror = e => { refused.close(); resolve(e.status); };
    }));
    return { first: first.data, resumed, refusedStatus };
  } finally {
    es.close();
    closeQuietly(pub);
  }
});
