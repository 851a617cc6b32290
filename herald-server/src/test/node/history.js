'use strict';
// History paging with ably-js (HistoryIT).
// input: { port, binary, key, channel, scenario: "pages" | "untilAttach", limit }
//  "pages":       REST history({limit, direction}) for both directions, following next() to the end.
//  "untilAttach": a realtime client attaches and emits "attached"; after the command {cmd:"go"} it pages
//                 history({untilAttach:true, limit}) to the end.
// result: pages as lists of message names, with hasNext()/isLast() of each page.
const { Ably, run, emit, options, within, nextCommand, closeQuietly } = require('./lib');

async function pages(first) {
  const out = [];
  let page = first;
  while (page) {
    out.push({ names: page.items.map(m => m.name), hasNext: page.hasNext(), isLast: page.isLast() });
    if (out.length > 20) throw new Error('more than 20 pages: the Link headers loop');
    page = page.hasNext() ? await within(10000, 'next page', page.next()) : null;
  }
  return out;
}

run(40000, async input => {
  if (input.scenario === 'pages') {
    const rest = new Ably.Rest(options(input, { key: input.key }));
    const channel = rest.channels.get(input.channel);
    const backwards = await pages(await within(10000, 'history backwards', channel.history({ limit: input.limit })));
    const forwards = await pages(await within(10000, 'history forwards',
      channel.history({ limit: input.limit, direction: 'forwards' })));
    return { backwards, forwards };
  }
  if (input.scenario === 'untilAttach') {
    const realtime = new Ably.Realtime(options(input, { key: input.key }));
    try {
      const channel = realtime.channels.get(input.channel);
      await within(10000, 'attach', channel.attach());
      emit('attached', {});
      await nextCommand();
      return { pages: await pages(await within(10000, 'history untilAttach',
        channel.history({ untilAttach: true, limit: input.limit }))) };
    } finally {
      closeQuietly(realtime);
    }
  }
  throw new Error('unknown scenario ' + input.scenario);
});
