'use strict';
// The tutorial's flow with ably-js (TutorialFlowIT): a client with only an authUrl gets a TokenRequest from the app
// server, exchanges it (requestToken), connects, attaches and publishes; a second ably-js client (key auth) and the
// JUnit side's ably-java client receive the messages.
// input: { port, binary, authUrl, key, channel, messages: [{name, data}] }
const { Ably, run, options, connectionState, within, note, closeQuietly } = require('./lib');

function plain(m) {
  return { id: m.id, name: m.name, data: m.data, clientId: m.clientId, connectionId: m.connectionId,
    timestamp: m.timestamp, encoding: m.encoding === undefined ? null : m.encoding };
}

run(30000, async input => {
  const subscriber = new Ably.Realtime(options(input, { key: input.key }));
  const publisher = new Ably.Realtime(options(input, { authUrl: input.authUrl }));
  try {
    const received = [];
    const subChannel = subscriber.channels.get(input.channel);
    const allReceived = new Promise(resolve => {
      subChannel.subscribe(m => {
        note('subscriber got', plain(m));
        received.push(plain(m));
        if (received.length === input.messages.length) resolve();
      });
    });
    await within(10000, 'subscriber attach', subChannel.attach());
    await connectionState(publisher, 'connected', 10000);
    const pubChannel = publisher.channels.get(input.channel);
    await within(10000, 'publisher attach', pubChannel.attach());
    const before = Date.now();
    for (const m of input.messages) {
      await within(10000, 'publish', pubChannel.publish(m.name, m.data));
    }
    await within(10000, 'the subscriber to receive every message', allReceived);
    return {
      before, after: Date.now(),
      publisher: { connectionId: publisher.connection.id, clientId: publisher.auth.clientId,
        tokenDetails: publisher.auth.tokenDetails },
      received,
    };
  } finally {
    closeQuietly(publisher, subscriber);
  }
});
