'use strict';
// Mutable messages with ably-js (MutableMessagesIT).
// input: { port, binary, key, limitedKey, channel, plainChannel }
// A realtime subscriber watches the channel while a realtime client publishes, updates, appends and deletes, and a
// REST client reads the message back (getMessage, getMessageVersions, history) and updates it over REST.
// result: what each step saw, and the errors of the refused operations.
const { Ably, run, within, options, closeQuietly } = require('./lib');

function brief(m) {
  return { action: m.action, serial: m.serial, data: m.data, name: m.name,
    versionSerial: m.version && m.version.serial, versionClientId: m.version && m.version.clientId,
    description: m.version && m.version.description };
}

async function refused(promise) {
  try { await promise; return null; } catch (e) { return { code: e.code, statusCode: e.statusCode }; }
}

run(40000, async input => {
  const sub = new Ably.Realtime(options(input, { key: input.key }));
  const pub = new Ably.Realtime(options(input, { key: input.key, clientId: 'writer' }));
  const rest = new Ably.Rest(options(input, { key: input.key }));
  try {
    const seen = [];
    let want = 0, notify = null;
    const subChannel = sub.channels.get(input.channel);
    await within(10000, 'subscribe', subChannel.subscribe(m => { seen.push(brief(m)); if (notify && seen.length >= want) notify(); }));
    const waitFor = n => seen.length >= n ? Promise.resolve() : new Promise(r => { want = n; notify = r; });
    const channel = pub.channels.get(input.channel);
    const { serials: [serial] } = await within(10000, 'publish', channel.publish('greeting', 'hello'));
    const updated = await within(10000, 'update', channel.updateMessage({ serial, data: 'hello, edited' }, { description: 'typo' }));
    const appended = await within(10000, 'append', channel.appendMessage({ serial, data: '!' }));
    await within(10000, 'four deliveries', (async () => { await waitFor(3); })());
    const restChannel = rest.channels.get(input.channel);
    const latest = brief(await within(10000, 'getMessage', restChannel.getMessage(serial)));
    const versions = (await within(10000, 'versions', restChannel.getMessageVersions(serial))).items.map(brief);
    const restUpdate = await within(10000, 'rest update', restChannel.updateMessage({ serial, name: 'renamed' }));
    const deleted = await within(10000, 'delete', channel.deleteMessage({ serial }, { description: 'gone' }));
    await within(10000, 'five deliveries', (async () => { await waitFor(5); })());
    const history = (await within(10000, 'history', restChannel.history())).items.map(brief);
    const limited = new Ably.Rest(options(input, { key: input.limitedKey }));
    const noCapability = await refused(limited.channels.get(input.channel).updateMessage({ serial, data: 'x' }));
    const unknown = await refused(restChannel.updateMessage({ serial: serial.replace(/:\d+$/, ':007'), data: 'x' }));
    const plain = pub.channels.get(input.plainChannel);
    const { serials: [plainSerial] } = await within(10000, 'plain publish', plain.publish('p', 'q'));
    const notMutable = await refused(plain.updateMessage({ serial: plainSerial, data: 'x' }));
    return { serial, updated, appended, restUpdate, deleted, seen, latest, versions, history,
      noCapability, unknown, notMutable };
  } finally {
    closeQuietly(sub);
    closeQuietly(pub);
  }
});
