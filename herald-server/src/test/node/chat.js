'use strict';
// @ably/chat 1.4.0 against Herald (ChatIT).
// input: { port, binary, key, room, otherPort? }
// Alice and Bob (two ChatClients, each on its own realtime connection; Bob on otherPort when given, another node
// of the cluster) meet in one room: presence, occupancy, typing and a room reaction; Alice sends five messages,
// updates one and deletes one; both react with each reaction type and see the summaries; then history is read in
// both orders two at a time, one message and its versions are fetched, Carol attaches late and reads what came
// before her; finally clients whose tokens lack a capability are refused.
// result: what each client saw and read, and the errors of the refusals.
const { Ably, run, within, options, closeQuietly } = require('./lib');
const { ChatClient, LogLevel } = require('@ably/chat');

async function refused(promise) {
  try { await promise; return null; } catch (e) { return { code: e.code, statusCode: e.statusCode }; }
}

function brief(m) {
  return { serial: m.serial, clientId: m.clientId, text: m.text, metadata: m.metadata, headers: m.headers,
    action: m.action, versionSerial: m.version && m.version.serial,
    versionDescription: m.version && m.version.description, reactions: m.reactions };
}

async function allPages(first) {
  const pages = [];
  let page = first;
  while (page) {
    pages.push(page.items.map(m => m.text));
    page = page.hasNext() ? await within(10000, 'next page', page.next()) : null;
  }
  return pages;
}

run(90000, async input => {
  const opts = (extra, port) => options(Object.assign({}, input, { port: port || input.port }), extra);
  const aliceRt = new Ably.Realtime(opts({ key: input.key, clientId: 'alice' }));
  const bobRt = new Ably.Realtime(opts({ key: input.key, clientId: 'bob' }, input.otherPort));
  const clients = [aliceRt, bobRt];
  const chatOptions = { logLevel: LogLevel.Error };
  try {
    const alice = new ChatClient(aliceRt, chatOptions);
    const bob = new ChatClient(bobRt, chatOptions);
    const roomOptions = { occupancy: { enableEvents: true }, presence: { enableEvents: true } };
    const aliceRoom = await alice.rooms.get(input.room, roomOptions);
    const bobRoom = await bob.rooms.get(input.room, Object.assign({ messages: { rawMessageReactions: true } }, roomOptions));

    const seen = { messages: [], summaries: [], raw: [], typing: [], presence: [], occupancy: [], roomReactions: [] };
    const waiters = [];
    const check = () => { for (const w of waiters.slice()) if (w.test()) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); } };
    const until = (what, test) => within(15000, what, test() ? Promise.resolve() : new Promise(resolve => { waiters.push({ test, resolve }); }))
      .catch(e => { throw new Error(e.message + '; seen so far: ' + JSON.stringify(seen)); });

    bobRoom.messages.subscribe(e => { seen.messages.push({ type: e.type, message: brief(e.message) }); check(); });
    bobRoom.messages.reactions.subscribe(e => { seen.summaries.push({ messageSerial: e.messageSerial, reactions: e.reactions }); check(); });
    bobRoom.messages.reactions.subscribeRaw(e => { seen.raw.push({ type: e.type, name: e.reaction.name, reactionType: e.reaction.type, clientId: e.reaction.clientId, count: e.reaction.count }); check(); });
    bobRoom.typing.subscribe(e => { seen.typing.push([...e.currentlyTyping].sort()); check(); });
    bobRoom.presence.subscribe(e => { seen.presence.push({ type: e.type, clientId: e.member.clientId, data: e.member.data }); check(); });
    bobRoom.occupancy.subscribe(e => { seen.occupancy.push(e.occupancy); check(); });
    bobRoom.reactions.subscribe(e => { seen.roomReactions.push({ name: e.reaction.name, clientId: e.reaction.clientId, metadata: e.reaction.metadata }); check(); });

    await within(15000, 'bob attach', bobRoom.attach());
    await within(15000, 'alice attach', aliceRoom.attach());
    const statuses = { alice: aliceRoom.status, bob: bobRoom.status, connection: alice.connection.status };

    // presence and occupancy
    await within(10000, 'presence enter', aliceRoom.presence.enter({ mood: 'happy' }));
    await until('bob sees alice enter', () => seen.presence.some(p => p.type === 'enter' && p.clientId === 'alice'));
    const members = (await within(10000, 'presence get', bobRoom.presence.get())).map(m => ({ clientId: m.clientId, data: m.data }));
    await until('occupancy 2 connections, 1 member', () => seen.occupancy.some(o => o.connections === 2 && o.presenceMembers === 1));
    const occupancyGet = await within(10000, 'occupancy get', bobRoom.occupancy.get());

    // typing (ephemeral)
    await within(10000, 'keystroke', aliceRoom.typing.keystroke());
    await until('bob sees alice typing', () => seen.typing.some(t => t.includes('alice')));
    await within(10000, 'typing stop', aliceRoom.typing.stop());
    await until('bob sees alice stop', () => seen.typing.length >= 2 && seen.typing[seen.typing.length - 1].length === 0);

    // a room reaction (ephemeral)
    await within(10000, 'room reaction', aliceRoom.reactions.send({ name: 'wave', metadata: { big: true } }));
    await until('bob sees the room reaction', () => seen.roomReactions.length >= 1);

    // messages
    const sent = [];
    sent.push(brief(await within(10000, 'send 0', aliceRoom.messages.send({ text: 'm0', metadata: { n: 0, nested: { ok: true } }, headers: { lang: 'en', n: 1 } }))));
    for (let i = 1; i < 5; i++) sent.push(brief(await within(10000, 'send ' + i, aliceRoom.messages.send({ text: 'm' + i }))));
    await until('bob sees 5 messages', () => seen.messages.filter(e => e.type === 'message.created').length >= 5);
    const updated = brief(await within(10000, 'update', aliceRoom.messages.update(sent[1].serial, { text: 'm1 edited', metadata: { edited: true } }, { description: 'typo' })));
    const deleted = brief(await within(10000, 'delete', aliceRoom.messages.delete(sent[2].serial, { description: 'oops' })));
    await until('bob sees the update and the delete', () => seen.messages.some(e => e.type === 'message.updated') && seen.messages.some(e => e.type === 'message.deleted'));

    // message reactions, each type
    const target = sent[0].serial;
    const summaryOf = () => seen.summaries.filter(s => s.messageSerial === target);
    await within(10000, 'alice unique', aliceRoom.messages.reactions.send(target, { name: 'like', type: 'unique' }));
    await within(10000, 'bob unique', bobRoom.messages.reactions.send(target, { name: 'love', type: 'unique' }));
    await within(10000, 'alice unique again', aliceRoom.messages.reactions.send(target, { name: 'love', type: 'unique' }));
    await within(10000, 'alice distinct', aliceRoom.messages.reactions.send(target, { name: 'star', type: 'distinct' }));
    await within(10000, 'bob distinct', bobRoom.messages.reactions.send(target, { name: 'star', type: 'distinct' }));
    await within(10000, 'bob distinct 2', bobRoom.messages.reactions.send(target, { name: 'fire', type: 'distinct' }));
    await within(10000, 'alice multiple', aliceRoom.messages.reactions.send(target, { name: 'clap', type: 'multiple', count: 3 }));
    await within(10000, 'bob multiple', bobRoom.messages.reactions.send(target, { name: 'clap', type: 'multiple' }));
    await until('8 summaries', () => summaryOf().length >= 8);
    const fullSummary = summaryOf()[7].reactions;
    const clientReactions = await within(10000, 'client reactions', aliceRoom.messages.reactions.clientReactions(target));
    await within(10000, 'bob deletes distinct fire', bobRoom.messages.reactions.delete(target, { name: 'fire', type: 'distinct' }));
    await within(10000, 'alice deletes unique', aliceRoom.messages.reactions.delete(target, { type: 'unique' }));
    await until('10 summaries and 10 raw reactions', () => summaryOf().length >= 10 && seen.raw.length >= 10);
    const afterDeletes = summaryOf()[9].reactions;

    // history in both orders, two a page; one message; versions
    const oldestFirst = await allPages(await within(10000, 'history oldest', bobRoom.messages.history({ orderBy: 'oldestFirst', limit: 2 })));
    const newestFirst = await allPages(await within(10000, 'history newest', bobRoom.messages.history({ orderBy: 'newestFirst', limit: 2 })));
    const history = (await within(10000, 'history all', bobRoom.messages.history({ orderBy: 'oldestFirst', limit: 100 }))).items.map(brief);
    const one = brief(await within(10000, 'get', bobRoom.messages.get(target)));
    const versions = (await within(10000, 'versions', bobRoom.messages.getVersions(sent[1].serial))).items.map(brief);

    // the SDK keeps the newer of two versions by comparing version serials as strings: in a room of its own, an
    // edit twelve log positions after its message (so it would have more digits without padding) must win
    const orderRoom = await alice.rooms.get(input.room + '-order');
    const first = await within(10000, 'order send', orderRoom.messages.send({ text: 'o0' }));
    for (let i = 1; i <= 11; i++) await within(10000, 'order send ' + i, orderRoom.messages.send({ text: 'o' + i }));
    const edit = await within(10000, 'order edit', orderRoom.messages.update(first.serial, { text: 'o0 edited' }));
    const withNewer = first.with(edit).text;
    const withOlder = edit.with(first).text;
    const orderSerials = (await within(10000, 'order history', orderRoom.messages.history({ orderBy: 'oldestFirst', limit: 100 }))).items.map(m => m.serial);

    // Carol comes later and reads what was said before she subscribed
    const carolRt = new Ably.Realtime(opts({ key: input.key, clientId: 'carol' }));
    clients.push(carolRt);
    const carolRoom = await new ChatClient(carolRt, chatOptions).rooms.get(input.room);
    const carolSub = carolRoom.messages.subscribe(() => {});
    await within(15000, 'carol attach', carolRoom.attach());
    const before = (await within(10000, 'historyBeforeSubscribe', carolSub.historyBeforeSubscribe({ limit: 10 }))).items.map(m => m.text);

    // refusals
    const rest = new Ably.Rest(opts({ key: input.key }));
    const tokenClient = (clientId, ops) => new Ably.Realtime(opts({
      clientId,
      authCallback: (params, cb) => rest.auth.createTokenRequest({ clientId, capability: { [input.room + '::$chat']: ops } }).then(t => cb(null, t), e => cb(e, null)),
    }));
    const eveRt = tokenClient('eve', ['subscribe', 'presence', 'history']);
    const malloryRt = tokenClient('mallory', ['subscribe', 'publish', 'history', 'message-update-own', 'message-delete-own']);
    clients.push(eveRt, malloryRt);
    const eveRoom = await new ChatClient(eveRt, chatOptions).rooms.get(input.room);
    const malloryRoom = await new ChatClient(malloryRt, chatOptions).rooms.get(input.room);
    const refusals = {
      sendWithoutPublish: await refused(eveRoom.messages.send({ text: 'no' })),
      reactWithoutAnnotationPublish: await refused(malloryRoom.messages.reactions.send(target, { name: 'like', type: 'distinct' })),
      updateOthers: await refused(malloryRoom.messages.update(sent[3].serial, { text: 'not mine' })),
      deleteOthers: await refused(malloryRoom.messages.delete(sent[3].serial)),
      occupancyWithoutMetadata: await refused(eveRoom.occupancy.get()),
      tooBig: await refused(aliceRoom.messages.send({ text: 'x'.repeat(70000) })),
      unknownSerial: await refused(bobRoom.messages.get('01726585978590-001@abcdefghij:001')),
      updateUnknown: await refused(aliceRoom.messages.update('01726585978590-001@abcdefghij:001', { text: 'x' })),
      badText: await refused(aliceRt.request('POST', '/chat/v4/rooms/' + encodeURIComponent(input.room) + '/messages', 4, null, { text: 5 }).then(r => { if (!r.success) throw Object.assign(new Error(r.errorMessage), { code: r.errorCode, statusCode: r.statusCode }); })),
      badReactionType: await refused(aliceRt.request('POST', '/chat/v4/rooms/' + encodeURIComponent(input.room) + '/messages/' + encodeURIComponent(target) + '/reactions', 4, null, { type: 'weird', name: 'x' }).then(r => { if (!r.success) throw Object.assign(new Error(r.errorMessage), { code: r.errorCode, statusCode: r.statusCode }); })),
    };
    const mallorySent = brief(await within(10000, 'mallory sends', malloryRoom.messages.send({ text: 'mine' })));
    const malloryEdit = brief(await within(10000, 'mallory edits own', malloryRoom.messages.update(mallorySent.serial, { text: 'mine edited' })));

    await within(10000, 'presence leave', aliceRoom.presence.leave());
    await until('bob sees alice leave', () => seen.presence.some(p => p.type === 'leave' && p.clientId === 'alice'));
    await within(10000, 'alice detach', aliceRoom.detach());

    return { statuses, members, occupancyGet, seen, sent, updated, deleted, fullSummary, afterDeletes, clientReactions,
      oldestFirst, newestFirst, history, one, versions, withNewer, withOlder, orderSerials, before, refusals, mallorySent, malloryEdit };
  } finally {
    closeQuietly(...clients);
  }
});
