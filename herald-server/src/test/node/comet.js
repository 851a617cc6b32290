'use strict';
// CometIT: ably-js over the Comet transport only (no WebSocket). mode "pubsub": a comet client attaches, publishes
// and receives its own messages, exchanges one message each way with a WebSocket client, then closes.
// mode "badkey": the connection must fail; the result carries the error.
// input: { port, binary, channel, key, mode }
const { Ably, run, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

function transportName(realtime) {
  const cm = realtime.connection.connectionManager;
  const p = cm && cm.activeProtocol;
  const t = p && (p.getTransport ? p.getTransport() : p.transport);
  return t ? t.shortName : null;
}

function received(channel, count) {
  const names = [];
  return { names, done: new Promise(resolve => {
    channel.subscribe(m => { names.push(m.name + ':' + m.data); if (names.length >= count) resolve(); });
  }) };
}

run(60000, async input => {
  const comet = new Ably.Realtime(options(input, { key: input.key, transports: ['comet'] }));
  comet.connection.on(change => note('comet', change.previous, '->', change.current, errorInfo(change.reason)));
  if (input.mode === 'badkey') {
    try {
      const change = await within(20000, 'failed', new Promise(resolve => {
        comet.connection.on('failed', resolve);
        comet.connection.on('connected', () => resolve(null));
      }));
      return { state: comet.connection.state, reason: change ? errorInfo(change.reason) : null,
        transport: transportName(comet) };
    } finally {
      closeQuietly(comet);
    }
  }
  const ws = new Ably.Realtime(options(input, { key: input.key, transports: ['web_socket'] }));
  try {
    await connectionState(comet, 'connected', 15000);
    await connectionState(ws, 'connected', 15000);
    const transport = transportName(comet);
    const cometChannel = comet.channels.get(input.channel);
    const wsChannel = ws.channels.get(input.channel);
    const cometGot = received(cometChannel, 4);
    const wsGot = received(wsChannel, 4);
    await within(10000, 'comet attach', cometChannel.attach());
    await within(10000, 'ws attach', wsChannel.attach());
    for (let i = 0; i < 3; i++) {
      await within(10000, 'comet publish ' + i, cometChannel.publish('comet', 'c' + i));
    }
    await within(10000, 'ws publish', wsChannel.publish('ws', 'w0'));
    await within(15000, 'comet receives 4', cometGot.done);
    await within(15000, 'ws receives 4', wsGot.done);
    const connectionId = comet.connection.id;
    comet.close();
    await connectionState(comet, 'closed', 10000);
    return { transport, connectionId, cometNames: cometGot.names, wsNames: wsGot.names };
  } finally {
    closeQuietly(comet, ws);
  }
});
