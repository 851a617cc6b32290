'use strict';
// Channel lifecycle events with ably-js (ChannelLifecycleIT).
// input: { port, binary, key, channel, otherPort?, second? }
// A watcher subscribes to [meta]channel.lifecycle; a second client (on otherPort when given, another node) attaches
// to the channel and detaches again; with `second`, a third client attaches and detaches in between (a change of
// occupancy while the channel stays active). The watcher's events about that channel are recorded in order. The watcher's
// own publish and presence enter on the metachannel are refused.
// result: { events: [{name, channelId, region, isActive, connections}], publishRefused, enterRefused }
const { Ably, run, within, options, closeQuietly } = require('./lib');

run(60000, async input => {
  const watcher = new Ably.Realtime(options(input, { key: input.key, clientId: 'watcher' }));
  const actor = new Ably.Realtime(options(Object.assign({}, input, { port: input.otherPort || input.port }),
    { key: input.key }));
  try {
    const events = [];
    const waiters = [];
    const meta = watcher.channels.get('[meta]channel.lifecycle');
    await within(10000, 'lifecycle subscribe', meta.subscribe(m => {
      if (!m.data || m.data.channelId !== input.channel) return;
      events.push({ name: m.name, channelId: m.data.channelId, region: m.data.region || null,
        isActive: m.data.status.isActive, connections: m.data.status.occupancy.metrics.connections });
      for (const w of waiters.splice(0)) w();
    }));
    const until = (n, what) => within(15000, what, new Promise(resolve => {
      const check = () => { if (events.length >= n) resolve(); else waiters.push(check); };
      check();
    }));
    const ch = actor.channels.get(input.channel);
    await within(10000, 'attach', ch.attach());
    await until(2, 'opened and region.active');
    let expected = 4;
    if (input.second) {
      const third = new Ably.Realtime(options(input, { key: input.key }));
      try {
        const ch3 = third.channels.get(input.channel);
        await within(10000, 'second attach', ch3.attach());
        await until(3, 'channel.occupancy');
        await within(10000, 'second detach', ch3.detach());
      } finally {
        closeQuietly(third);
      }
      expected = 5;
    }
    await within(10000, 'detach', ch.detach());
    await until(expected, 'region.inactive and closed');

    let publishRefused = null;
    try { await meta.publish('forged', { channelId: input.channel }); } catch (e) { publishRefused = e.code; }
    let enterRefused = null;
    try { await meta.presence.enter('x'); } catch (e) { enterRefused = e.code; }
    return { events, publishRefused, enterRefused };
  } finally {
    closeQuietly(watcher, actor);
  }
});
