'use strict';
// A presence member or observer driven by commands (PresenceIT). Connects (key auth, optional clientId), attaches,
// subscribes to presence and reports every event; then obeys commands until "end".
// input: { port, binary, key, clientId?, channel }
// commands: {cmd:"enter"|"update"|"leave", data} -> "ack"; {cmd:"get"} -> "members"; {cmd:"end"} -> result
// events: "ready" {connectionId}, "presence" {action, clientId, connectionId, data, id, timestamp}
const { Ably, run, emit, options, connectionState, within, nextCommand, closeQuietly } = require('./lib');

function plain(m) {
  return { action: m.action, clientId: m.clientId, connectionId: m.connectionId, data: m.data === undefined ? null : m.data,
    id: m.id, timestamp: m.timestamp };
}

run(60000, async input => {
  const extra = { key: input.key };
  if (input.clientId) extra.clientId = input.clientId;
  const realtime = new Ably.Realtime(options(input, extra));
  try {
    await connectionState(realtime, 'connected', 10000);
    const channel = realtime.channels.get(input.channel);
    await within(10000, 'presence subscribe (attach)', channel.presence.subscribe(m => emit('presence', plain(m))));
    emit('ready', { connectionId: realtime.connection.id });
    for (;;) {
      const c = await nextCommand();
      if (c.cmd === 'end') return { connectionId: realtime.connection.id };
      if (c.cmd === 'get') {
        const members = await within(10000, 'presence.get', channel.presence.get());
        emit('members', { members: members.map(plain) });
      } else if (['enter', 'update', 'leave'].includes(c.cmd)) {
        await within(10000, c.cmd, channel.presence[c.cmd](c.data));
        emit('ack', { cmd: c.cmd });
      } else {
        throw new Error('unknown command ' + JSON.stringify(c));
      }
    }
  } finally {
    closeQuietly(realtime);
  }
});
