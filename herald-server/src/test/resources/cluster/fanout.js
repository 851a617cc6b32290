// ably-js across nodes: subscribers on some nodes, one publisher on another; prints what each subscriber got.
// Job: {key, publishPort, subscribePorts: [..], channel, count}
const Ably = require('ably');
const job = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const client = (port, clientId) =>
  new Ably.Realtime({ key: job.key, endpoint: '127.0.0.1', port, tls: false, clientId, logLevel: 0 });

(async () => {
  const subs = job.subscribePorts.map((p, i) => client(p, 'sub' + i));
  const got = subs.map(() => []);
  const done = subs.map((s, i) => new Promise(async (resolve) => {
    const ch = s.channels.get(job.channel);
    await ch.subscribe((m) => {
      got[i].push(m.data);
      if (got[i].length === job.count) resolve();
    });
  }));
  await Promise.all(subs.map((s) => s.channels.get(job.channel).whenState('attached')));
  const pub = client(job.publishPort, 'pub');
  const ch = pub.channels.get(job.channel);
  for (let i = 0; i < job.count; i++) {
    await ch.publish('n', 'm' + i);
  }
  await Promise.race([Promise.all(done), new Promise((r) => setTimeout(r, 20000))]);
  console.log(JSON.stringify({ got, serverIds: subs.map((s) => s.connection.serverId || null) }));
  subs.forEach((s) => s.close());
  pub.close();
  setTimeout(() => process.exit(0), 200);
})().catch((e) => { console.error(e); process.exit(1); });
