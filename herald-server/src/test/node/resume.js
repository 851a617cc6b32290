'use strict';
// A subscriber whose socket the JUnit side cuts (ResumeIT, TokenRenewalIT): connects (key, token or authUrl),
// attaches, and collects "seq" messages until "end". Emits "attached" {connectionId}, "progress" when message
// `progressAt` has arrived, and "reconnected" {connectionId} each time it is CONNECTED again after a disconnection.
// input: { port, binary, channel, key? | authUrl?, progressAt, transports? }
const { Ably, run, emit, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

run(90000, async input => {
  const extra = input.key ? { key: input.key } : { authUrl: input.authUrl };
  if (input.transports) extra.transports = input.transports;
  const realtime = new Ably.Realtime(options(input, extra));
  const connectionChanges = [];
  const channelChanges = [];
  let wasDisconnected = false;
  realtime.connection.on(change => {
    note('connection', change.previous, '->', change.current, errorInfo(change.reason));
    connectionChanges.push({ previous: change.previous, current: change.current, reason: errorInfo(change.reason),
      connectionId: realtime.connection.id });
    if (change.current === 'disconnected') wasDisconnected = true;
    if (change.current === 'connected' && wasDisconnected) {
      wasDisconnected = false;
      emit('reconnected', { connectionId: realtime.connection.id });
    }
  });
  try {
    await connectionState(realtime, 'connected', 10000);
    const channel = realtime.channels.get(input.channel);
    const names = [];
    const ended = new Promise(resolve => {
      channel.subscribe(m => {
        names.push(m.data);
        if (m.data === String(input.progressAt)) emit('progress', {});
        if (m.data === 'end') resolve();
      });
    });
    await within(10000, 'attach', channel.attach());
    // changes after the first attach: a resume must not report lost continuity (resumed false)
    channel.on(change => {
      note('channel', change.previous, '->', change.current, 'resumed', change.resumed, errorInfo(change.reason));
      channelChanges.push({ previous: change.previous, current: change.current, resumed: change.resumed,
        reason: errorInfo(change.reason) });
    });
    const connectionId = realtime.connection.id;
    emit('attached', { connectionId });
    await within(80000, 'the "end" message', ended);
    return { connectionIdBefore: connectionId, connectionIdAfter: realtime.connection.id, names,
      connectionChanges, channelChanges };
  } finally {
    closeQuietly(realtime);
  }
});
