'use strict';
// ably-js across nodes (ClusterIT): subscribers on some nodes, one publisher on another; returns what each got.
// input: { key, publishPort, subscribePorts: [..], channel, count }
const { Ably, run, options, closeQuietly } = require('./lib');

run(60000, async input => {
  const client = (port, clientId) =>
    new Ably.Realtime(options({ host: '127.0.0.1', port, logLevel: 0 }, { key: input.key, clientId }));
  const subs = input.subscribePorts.map((p, i) => client(p, 'sub' + i));
  const pub = client(input.publishPort, 'pub');
  try {
    const got = subs.map(() => []);
    const done = subs.map((s, i) => new Promise(resolve => {
      s.channels.get(input.channel).subscribe(m => {
        got[i].push(m.data);
        if (got[i].length === input.count) resolve();
      });
    }));
    await Promise.all(subs.map(s => s.channels.get(input.channel).whenState('attached')));
    const ch = pub.channels.get(input.channel);
    for (let i = 0; i < input.count; i++) {
      await ch.publish('n', 'm' + i);
    }
    // what arrived within 20 s: the test compares it with what was published
    let timer;
    await Promise.race([Promise.all(done), new Promise(r => { timer = setTimeout(r, 20000); })]);
    clearTimeout(timer);
    return { got, serverIds: subs.map(s => s.connection.serverId || null) };
  } finally {
    closeQuietly(pub, ...subs);
  }
});
