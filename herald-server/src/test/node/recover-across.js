'use strict';
// CometIT: recover a connection on another transport. mode "first": connects over input.transport, attaches,
// receives one message, emits "recoveryKey" and stays until the JUnit side kills the process (a page that goes away).
// mode "second": recovers with that key over input.transport, and reports the connectionId, the channel's
// resumed flag and the messages it receives until "end".
// input: { port, key, channel, transport, mode, recoveryKey? }
const { Ably, run, emit, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

run(60000, async input => {
  const extra = { key: input.key, transports: [input.transport] };
  if (input.recoveryKey) extra.recover = input.recoveryKey;
  const realtime = new Ably.Realtime(options(input, extra));
  realtime.connection.on(change => note('connection', change.previous, '->', change.current, errorInfo(change.reason)));
  await connectionState(realtime, 'connected', 15000);
  const channel = realtime.channels.get(input.channel);
  const names = [];
  const ended = new Promise(resolve => channel.subscribe(m => {
    names.push(m.data);
    if (m.data === 'end' || (input.mode === 'first' && m.data === 'first')) resolve();
  }));
  let attachChange = null;
  channel.on('attached', change => { if (!attachChange) attachChange = change; });
  await within(10000, 'attach', channel.attach());
  if (input.mode === 'first') {
    await within(10000, 'publish', channel.publish('m', 'first'));
    await within(10000, 'own message', ended);
    emit('recoveryKey', { recoveryKey: realtime.connection.createRecoveryKey(), connectionId: realtime.connection.id });
    await new Promise(() => {}); // until killed
  }
  await within(10000, 'publish', channel.publish('m', 'second'));
  await within(10000, 'publish', channel.publish('m', 'end'));
  await within(15000, '"end"', ended);
  const result = { connectionId: realtime.connection.id, resumed: attachChange ? attachChange.resumed : null,
    reason: realtime.connection.errorReason ? errorInfo(realtime.connection.errorReason) : null, names,
    transport: realtime.connection.connectionManager.activeProtocol.getTransport().shortName };
  closeQuietly(realtime);
  return result;
});
