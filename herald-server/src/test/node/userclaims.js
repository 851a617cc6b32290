'use strict';
// JWT user claims against Herald (UserClaimsIT).
// input: { port, binary, key, room, ns, modJwt }
// modJwt is a JWT for clientId "mod" with the claims ably.channel.<ns>:exact = "exact-claim",
// ably.channel.<ns>:* = "ns-claim" and ably.room.<room> = "moderator". Ursula (basic auth, no claims) watches.
// Pub/sub: what the moderator publishes, enters and publishes over REST carries the most specific claim in
// extras.userClaim; what Ursula publishes with a forged extras.userClaim arrives without it.
// Chat: the moderator's messages, edit of Ursula's message, reaction, room reaction, typing and presence carry
// userClaim "moderator" as @ably/chat 1.4 reads it, live and in the Chat API's history.
// result: what Ursula saw.
const { Ably, run, within, options, closeQuietly } = require('./lib');
const { ChatClient, LogLevel } = require('@ably/chat');

run(60000, async input => {
  const opts = extra => options(input, extra);
  const modRt = new Ably.Realtime(opts({ token: input.modJwt, clientId: 'mod' }));
  const ursulaRt = new Ably.Realtime(opts({ key: input.key, clientId: 'ursula' }));
  const clients = [modRt, ursulaRt];
  try {
    // pub/sub
    const seen = [];
    const waiters = [];
    const check = () => { for (const w of waiters.slice()) if (w.test()) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); } };
    const until = (what, test) => within(15000, what, test() ? Promise.resolve() : new Promise(resolve => { waiters.push({ test, resolve }); }))
      .catch(e => { throw new Error(e.message + '; seen so far: ' + JSON.stringify(seen)); });
    const exact = ursulaRt.channels.get(input.ns + ':exact');
    const other = ursulaRt.channels.get(input.ns + ':other');
    for (const ch of [exact, other]) {
      await within(10000, 'attach ' + ch.name, ch.subscribe(m => {
        seen.push({ channel: ch.name, name: m.name, clientId: m.clientId, userClaim: m.extras && m.extras.userClaim });
        check();
      }));
    }
    const presence = [];
    await within(10000, 'presence subscribe', exact.presence.subscribe(p => {
      presence.push({ action: p.action, clientId: p.clientId, userClaim: p.extras && p.extras.userClaim });
      check();
    }));
    const modExact = modRt.channels.get(input.ns + ':exact');
    await within(10000, 'mod publish exact', modExact.publish('m-exact', 'x'));
    await within(10000, 'mod publish other', modRt.channels.get(input.ns + ':other').publish('m-other', 'y'));
    await within(10000, 'mod enter', modExact.presence.enter('here'));
    await within(10000, 'ursula forges', exact.publish({ name: 'u-forged', data: 'z', extras: { userClaim: 'forged', headers: { a: 'b' } } }));
    const modRest = new Ably.Rest(opts({ token: input.modJwt }));
    await within(10000, 'mod rest publish', modRest.channels.get(input.ns + ':other').publish('m-rest', 'r'));
    await until('four messages and the enter', () => seen.length >= 4 && presence.length >= 1);
    const history = (await within(10000, 'history', modRest.channels.get(input.ns + ':exact').history({ direction: 'forwards' })))
      .items.map(m => ({ name: m.name, userClaim: m.extras && m.extras.userClaim }));

    // chat
    const chatOptions = { logLevel: LogLevel.Error };
    const modChat = new ChatClient(modRt, chatOptions);
    const ursulaChat = new ChatClient(ursulaRt, chatOptions);
    const roomOptions = { presence: { enableEvents: true } };
    const modRoom = await modChat.rooms.get(input.room, roomOptions);
    const ursulaRoom = await ursulaChat.rooms.get(input.room, Object.assign({ messages: { rawMessageReactions: true } }, roomOptions));
    const chat = { messages: [], raw: [], roomReactions: [], typing: [], presence: [] };
    const chatUntil = (what, test) => within(15000, what, test() ? Promise.resolve() : new Promise(resolve => { waiters.push({ test, resolve }); }))
      .catch(e => { throw new Error(e.message + '; seen so far: ' + JSON.stringify(chat)); });
    ursulaRoom.messages.subscribe(e => { chat.messages.push({ type: e.type, text: e.message.text, clientId: e.message.clientId, userClaim: e.message.userClaim }); check(); });
    ursulaRoom.messages.reactions.subscribeRaw(e => { chat.raw.push({ name: e.reaction.name, clientId: e.reaction.clientId, userClaim: e.reaction.userClaim }); check(); });
    ursulaRoom.reactions.subscribe(e => { chat.roomReactions.push({ name: e.reaction.name, userClaim: e.reaction.userClaim }); check(); });
    ursulaRoom.typing.subscribe(e => { if (e.change && e.change.clientId === 'mod') chat.typing.push({ type: e.change.type, userClaim: e.change.userClaim }); check(); });
    ursulaRoom.presence.subscribe(e => { chat.presence.push({ type: e.type, clientId: e.member.clientId, userClaim: e.member.userClaim }); check(); });
    await within(15000, 'ursula attach', ursulaRoom.attach());
    await within(15000, 'mod attach', modRoom.attach());

    const modSent = await within(10000, 'mod send', modRoom.messages.send({ text: 'from mod' }));
    const ursulaSent = await within(10000, 'ursula send', ursulaRoom.messages.send({ text: 'from ursula' }));
    await chatUntil('two chat messages', () => chat.messages.length >= 2);
    await within(10000, 'mod edits ursula', modRoom.messages.update(ursulaSent.serial, { text: 'edited by mod' }, { description: 'moderated' }));
    await within(10000, 'mod reacts', modRoom.messages.reactions.send(modSent.serial, { name: '👍' }));
    await within(10000, 'mod room reaction', modRoom.reactions.send({ name: 'wave' }));
    await within(10000, 'mod typing', modRoom.typing.keystroke());
    await within(10000, 'mod presence', modRoom.presence.enter({ status: 'on' }));
    await chatUntil('edit, reaction, room reaction, typing, presence', () => chat.messages.length >= 3 && chat.raw.length >= 1
      && chat.roomReactions.length >= 1 && chat.typing.length >= 1 && chat.presence.length >= 1);
    const chatHistory = (await within(10000, 'chat history', ursulaRoom.messages.history({ orderBy: 'oldestFirst' })))
      .items.map(m => ({ text: m.text, clientId: m.clientId, userClaim: m.userClaim }));
    const one = await within(10000, 'chat get', ursulaRoom.messages.get(modSent.serial));

    return { seen, presence, history, chat, chatHistory, one: { text: one.text, userClaim: one.userClaim } };
  } finally {
    closeQuietly(...clients);
  }
});
