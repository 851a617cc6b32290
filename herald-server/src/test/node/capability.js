'use strict';
// Capability denial with ably-js (CapabilityIT): attach outside the capability, publish without the publish
// capability, enter presence without the presence capability; the connection must stay up throughout.
// input: { port, binary, token, denied, subscribeOnly, publishable }
const { Ably, run, options, connectionState, within, errorInfo, closeQuietly } = require('./lib');

async function failureOf(what, promise) {
  try {
    await within(10000, what, promise);
    return null;
  } catch (err) {
    return errorInfo(err);
  }
}

run(30000, async input => {
  const realtime = new Ably.Realtime(options(input, { token: input.token }));
  const states = [];
  realtime.connection.on(change => states.push(change.current));
  try {
    await connectionState(realtime, 'connected', 10000);
    const connectionId = realtime.connection.id;
    const denied = realtime.channels.get(input.denied);
    const attachError = await failureOf('attach to a denied channel', denied.attach());
    const deniedState = denied.state;
    const deniedReason = errorInfo(denied.errorReason);

    const subscribeOnly = realtime.channels.get(input.subscribeOnly);
    await within(10000, 'attach ' + input.subscribeOnly, subscribeOnly.attach());
    const publishError = await failureOf('publish without the publish capability', subscribeOnly.publish('x', 'y'));
    const presenceError = await failureOf('enter without the presence capability', subscribeOnly.presence.enter('z'));

    const publishable = realtime.channels.get(input.publishable);
    await within(10000, 'attach ' + input.publishable, publishable.attach());
    const allowedPublishError = await failureOf('an allowed publish', publishable.publish('ok', 'fine'));
    await within(10000, 'ping', realtime.connection.ping());
    return { attachError, deniedState, deniedReason, publishError, presenceError, allowedPublishError,
      connectionState: realtime.connection.state, sameConnection: realtime.connection.id === connectionId, states };
  } finally {
    closeQuietly(realtime);
  }
});
