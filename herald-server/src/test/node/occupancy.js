'use strict';
// An occupancy watcher (OccupancyIT): connects with a key, attaches with the occupancy channel param and reports every
// [meta]occupancy event; answers REST metadata commands until "end".
// input: { port, binary, key, channel, occupancy? ('metrics' unless given), restPort? (REST node, default port) }
// commands: {cmd:"status"} -> "status" {details}; {cmd:"list", params} -> "list" {items, next: [pages after]};
//           {cmd:"end"} -> result
// events: "ready" {connectionId}, "occupancy" {name, data}, "attachFailed" {error}
const { Ably, run, emit, options, connectionState, within, nextCommand, closeQuietly, errorInfo } = require('./lib');

run(60000, async input => {
  const realtime = new Ably.Realtime(options(input, { key: input.key }));
  const rest = new Ably.Rest(options(Object.assign({}, input, { port: input.restPort || input.port }), { key: input.key }));
  try {
    await connectionState(realtime, 'connected', 10000);
    const channel = realtime.channels.get(input.channel, { params: { occupancy: input.occupancy || 'metrics' } });
    try {
      await within(10000, 'subscribe [meta]occupancy (attach)',
        channel.subscribe('[meta]occupancy', m => emit('occupancy', { name: m.name, data: m.data })));
    } catch (err) {
      emit('attachFailed', { error: errorInfo(err), state: channel.state });
      return { attached: false };
    }
    emit('ready', { connectionId: realtime.connection.id });
    for (;;) {
      const c = await nextCommand();
      if (c.cmd === 'end') return { connectionId: realtime.connection.id };
      if (c.cmd === 'status') {
        const details = await within(10000, 'status', rest.channels.get(c.channel || input.channel).status());
        emit('status', { details: JSON.parse(JSON.stringify(details)) });
      } else if (c.cmd === 'list') {
        try {
          let page = await within(10000, 'request /channels', rest.request('get', '/channels', 3, c.params || {}));
          const items = page.items;
          const pages = [];
          while (page.hasNext() && pages.length < 20) {
            page = await within(10000, 'next page', page.next());
            pages.push(page.items);
          }
          emit('list', { statusCode: page.statusCode, success: page.success, items, pages,
            errorCode: page.errorCode, errorMessage: page.errorMessage });
        } catch (err) {
          emit('list', { error: errorInfo(err) });
        }
      } else {
        throw new Error('unknown command ' + JSON.stringify(c));
      }
    }
  } finally {
    closeQuietly(realtime);
  }
});
