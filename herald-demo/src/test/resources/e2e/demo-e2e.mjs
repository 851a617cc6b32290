// Browser end-to-end test of the Herald demo: real headless Chromium (Debian's, driven by playwright-core),
// the demo backend and a Herald server, all on this machine. Started by DemoBrowserIT with a JSON job on stdin:
//   { demoUrl, heraldUrl, chromium, secret, outDir, ttlSeconds, minRenewals, users: { name: password },
//     capabilities: { role: canonical capability }, inbandDemoUrl, inbandTtlSeconds }
// The rooms are @ably/chat rooms: alice and bob chat, edit, delete and react in two browser contexts and each sees
// the other's changes live; mia (moderator) deletes bob's message; victor (viewer) reads but cannot send.
// demoUrl's backend asks for short tokens (ttlSeconds, e.g. 15 s): Herald sends no AUTH for tokens under 30 s, so
// they expire (DISCONNECTED 40142) and the SDK renews and resumes the same connection. inbandDemoUrl's backend
// asks for tokens a little over 30 s: Herald sends AUTH 30 s before expiry and the SDK renews in-band, without
// reconnecting.
// Progress goes to stderr; the report (observations per step) is the one JSON document on stdout. Any failed
// check throws: the script then saves a screenshot of every page, prints the browsers' console and exits 1.
import { join } from 'node:path';
import { readJob, harness } from './browser-harness.mjs';

const job = await readJob();
const h = harness('e2e', job);
const { report, pages, leaks, log, check, step, until } = h;

const text = (page, testId) => page.getByTestId(testId).first().innerText();
const attr = (page, testId, name) => page.getByTestId(testId).first().getAttribute(name);
const num = async (page, testId) => Number(await attr(page, testId, 'data-value'));

async function panel(page) {
  return page.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    return {
      state: q('conn-state')?.textContent,
      connectionId: q('conn-id')?.textContent,
      connectionIdChanges: q('conn-id-changed')?.dataset.value,
      clientId: q('client-id')?.textContent,
      capability: q('capability')?.textContent,
      expires: q('token-expires')?.textContent,
      renewals: q('renewals')?.dataset.value,
      inBand: q('renewals-inband')?.dataset.value,
      resumed: q('renewals-resumed')?.dataset.value,
      reason: q('conn-reason')?.textContent,
    };
  });
}

async function messages(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="message"]')].map((li) => ({
    from: li.dataset.clientId,
    serial: li.dataset.serial,
    text: li.querySelector('.text')?.textContent ?? '',
    deleted: li.dataset.deleted === 'true',
    deletedMarker: li.querySelector('[data-testid="message-deleted"]')?.textContent,
    edited: !!li.querySelector('[data-testid="message-edited"]'),
    reactions: Object.fromEntries([...li.querySelectorAll('[data-testid="reaction"]')]
      .map((b) => [b.dataset.name, Number(b.dataset.count)]).filter(([, n]) => n > 0)),
  })));
}

/** Waits until `page` shows the message with this serial satisfying test(message); returns it. */
async function messageState(page, who, serial, what, test, timeoutMs = 10000) {
  return until(`${who} to see ${what}`, async () => {
    const m = (await messages(page)).find((x) => x.serial === serial);
    return m && test(m) ? m : null;
  }, timeoutMs, async () => `messages: ${JSON.stringify(await messages(page))}`);
}

/**
 * The serial of the (first) message on `page` from `from` with this text, waiting for it to be there: the other
 * page may show a message before the sender's own page has its echo.
 */
async function serialOf(page, from, message, timeoutMs = 10000) {
  const m = await until(`${from}'s "${message}" to be on the page`,
    async () => (await messages(page)).find((x) => x.from === from && x.text === message), timeoutMs,
    async () => `messages: ${JSON.stringify(await messages(page))}`);
  return m.serial;
}

/** The row of the message with this serial. */
const row = (page, serial) => page.locator(`[data-testid="message"][data-serial="${serial}"]`);

async function occupancy(page) {
  return page.evaluate(() => {
    const o = document.querySelector('[data-testid="occupancy"]');
    return o ? { connections: Number(o.dataset.connections), text: o.textContent.trim() } : null;
  });
}

/** The poll as the page shows it: { status, votes: { user: choice }, counts: { choice: n } }. */
async function poll(page) {
  return page.evaluate(() => {
    const p = document.querySelector('[data-testid="poll"]');
    if (!p) return null;
    const counts = Object.fromEntries([...p.querySelectorAll('[data-testid="poll-choice"]')]
      .map((b) => [b.dataset.choice, Number(b.dataset.count)]));
    return { status: p.dataset.status, votes: JSON.parse(p.dataset.votes || '{}'), counts };
  });
}

/** Waits until `page`'s poll holds exactly these votes (and its tally counts them). */
async function pollShows(page, who, votes, timeoutMs = 10000) {
  const want = JSON.stringify(Object.fromEntries(Object.entries(votes).sort()));
  return until(`${who}'s poll to show ${want}`, async () => {
    const p = await poll(page);
    if (!p || p.status !== 'ready') return null;
    const got = JSON.stringify(Object.fromEntries(Object.entries(p.votes).sort()));
    const tally = {};
    for (const c of Object.values(votes)) tally[c] = (tally[c] || 0) + 1;
    const countsMatch = Object.entries(p.counts).every(([c, n]) => n === (tally[c] || 0));
    return got === want && countsMatch ? p : null;
  }, timeoutMs, async () => JSON.stringify(await poll(page)));
}

const vote = (page, choice) => page.locator(`[data-testid="poll-choice"][data-choice="${choice}"]`).click();

async function presence(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="presence-member"]')].map((li) => li.dataset.clientId).sort());
}

async function openUser(name, mode, url = job.demoUrl) {
  const page = await h.newPage(name, { width: 1280, height: 860 }, [job.secret]);
  pages[name] = page;
  await page.goto(url);
  await page.getByTestId('username').waitFor();
  if (mode) await page.getByTestId(`auth-mode-${mode}`).check();
  return page;
}

async function signIn(page, name, password) {
  await page.getByTestId('username').fill(name);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
}

async function connected(page, name) {
  await page.getByTestId('current-user').filter({ hasText: name }).waitFor({ timeout: 15000 });
  await until(`${name} to be connected`, async () => (await text(page, 'conn-state')) === 'connected', 20000,
    async () => JSON.stringify(await panel(page)));
  return panel(page);
}

async function send(page, message) {
  await page.getByTestId('composer-input').fill(message);
  await page.getByTestId('composer-input').press('Enter');
}

async function sees(page, who, from, message, timeoutMs = 10000) {
  await until(`${who} to see "${message}" from ${from}`,
    async () => (await messages(page)).some((m) => m.from === from && m.text === message), timeoutMs,
    async () => `messages: ${JSON.stringify(await messages(page))}`);
}

const MEMBER_CAP = job.capabilities.member;
const VIEWER_CAP = job.capabilities.viewer;
const MODERATOR_CAP = job.capabilities.moderator;

await h.run(async () => {
  let alice;
  let bob;
  let victor;
  let ada;
  let mia;
  await step('alice (authUrl) and bob (authCallback) sign in; each token carries the user as clientId and the role capability', async () => {
    alice = await openUser('alice', 'authUrl');
    bob = await openUser('bob', 'authCallback');
    await signIn(alice, 'alice', job.users.alice);
    await signIn(bob, 'bob', job.users.bob);
    const a = await connected(alice, 'alice');
    const b = await connected(bob, 'bob');
    check(a.clientId === 'alice', `alice's clientId is ${a.clientId}`);
    check(b.clientId === 'bob', `bob's clientId is ${b.clientId}`);
    check(a.capability === MEMBER_CAP, `alice's capability is ${a.capability}`);
    check(b.capability === MEMBER_CAP, `bob's capability is ${b.capability}`);
    check((await text(alice, 'live-auth-mode')) === 'authUrl', 'alice uses authUrl');
    check((await text(bob, 'live-auth-mode')) === 'authCallback', 'bob uses authCallback');
    report.observations.alice = a;
    report.observations.bob = b;
  });

  await step('presence shows both members on both pages', async () => {
    for (const [who, page] of [['alice', alice], ['bob', bob]]) {
      await until(`${who}'s presence list to show alice and bob`,
        async () => JSON.stringify(await presence(page)) === JSON.stringify(['alice', 'bob']), 10000,
        async () => JSON.stringify(await presence(page)));
      // a count that changes no mode (1 -> 2 connections) is sent at most once per occupancyInterval (15 s)
      await until(`${who}'s occupancy to show 2 online`, async () => {
        const o = await occupancy(page);
        return o && o.connections === 2 && o.text === '2 online';
      }, 20000, async () => JSON.stringify(await occupancy(page)));
    }
    report.observations.occupancy = await occupancy(bob);
  });

  await step("the room's poll (LiveObjects on poll:<room>): alice and bob vote at once, both pages converge; bob changes his vote", async () => {
    await pollShows(alice, 'alice', {});
    await pollShows(bob, 'bob', {});
    await Promise.all([vote(alice, 'Ship it'), vote(bob, 'One more test')]);
    const votes = { alice: 'Ship it', bob: 'One more test' };
    await pollShows(alice, 'alice', votes);
    await pollShows(bob, 'bob', votes);
    await vote(bob, 'Ship it');
    const changed = { alice: 'Ship it', bob: 'Ship it' };
    await pollShows(alice, 'alice', changed);
    const p = await pollShows(bob, 'bob', changed);
    check(p.counts['Ship it'] === 2 && p.counts['One more test'] === 0, `tally after bob's change: ${JSON.stringify(p.counts)}`);
    report.observations.poll = p;
  });

  await step('a message from one appears for the other, both ways; typing shows', async () => {
    await send(alice, 'hello from alice');
    await sees(bob, 'bob', 'alice', 'hello from alice');
    await send(bob, 'hi alice, bob here');
    await sees(alice, 'alice', 'bob', 'hi alice, bob here');
    await alice.getByTestId('composer-input').fill('alice is writing');
    await until('bob to see alice typing', async () => (await text(bob, 'typing')).includes('alice is typing'), 10000,
      async () => text(bob, 'typing'));
    report.observations.typing = await text(bob, 'typing');
    await alice.getByTestId('composer-input').fill('');
    await until('bob to see alice stop typing', async () => !(await text(bob, 'typing')).includes('alice'), 10000);
  });

  await step('alice edits her message: bob sees the new text live, marked edited', async () => {
    const serial = await serialOf(alice, 'alice', 'hello from alice');
    await row(alice, serial).getByTestId('message-edit').click();
    await row(alice, serial).getByTestId('message-edit-input').fill('hello from alice (edited)');
    await row(alice, serial).getByTestId('message-edit-save').click();
    const m = await messageState(bob, 'bob', serial, 'the edited text', (x) => x.text === 'hello from alice (edited)' && x.edited);
    check(m.from === 'alice' && !m.deleted, `bob's view of the edit: ${JSON.stringify(m)}`);
    check((await row(alice, await serialOf(alice, 'bob', 'hi alice, bob here')).getByTestId('message-edit').count()) === 0
      && (await row(alice, await serialOf(alice, 'bob', 'hi alice, bob here')).getByTestId('message-delete').count()) === 0,
      'a member is offered no edit or delete on another member\'s message');
    report.observations.edited = m;
  });

  await step("alice reacts to bob's message, bob adds his: both see the counts live", async () => {
    const serial = await serialOf(alice, 'bob', 'hi alice, bob here');
    await row(alice, serial).locator('[data-testid="reaction"][data-name="👍"]').click();
    await row(alice, serial).locator('[data-testid="reaction"][data-name="❤️"]').click();
    await messageState(bob, 'bob', serial, "alice's 👍 and ❤️ on his message", (x) => x.reactions['👍'] === 1 && x.reactions['❤️'] === 1);
    await row(bob, serial).locator('[data-testid="reaction"][data-name="👍"]').click();
    await row(bob, serial).locator('[data-testid="reaction"][data-name="😂"]').click();
    const m = await messageState(alice, 'alice', serial, '👍 2, ❤️ 1, 😂 1',
      (x) => x.reactions['👍'] === 2 && x.reactions['❤️'] === 1 && x.reactions['😂'] === 1);
    await messageState(bob, 'bob', serial, '👍 2, ❤️ 1, 😂 1', (x) => x.reactions['👍'] === 2 && x.reactions['😂'] === 1);
    report.observations.reactions = m.reactions;
  });

  await step('alice deletes her own message: bob sees it marked deleted', async () => {
    await send(alice, 'a message alice will delete');
    await sees(bob, 'bob', 'alice', 'a message alice will delete');
    const serial = await serialOf(alice, 'alice', 'a message alice will delete');
    await row(alice, serial).getByTestId('message-delete').click();
    const m = await messageState(bob, 'bob', serial, 'the deleted marker', (x) => x.deleted && x.deletedMarker === 'message deleted');
    check(m.text === '', `a deleted message shows no text: ${JSON.stringify(m)}`);
    report.observations.deletedByAuthor = m;
  });

  await step('screenshot of the two-user chat: alice above (bob is typing), bob below', async () => {
    await bob.getByTestId('composer-input').fill('bob is writing');
    await until('alice to see bob typing', async () => (await text(alice, 'typing')).includes('bob is typing'), 10000);
    const clip = { x: 0, y: 0, width: 1280, height: 590 };
    const shots = { alice: await alice.screenshot({ clip }), bob: await bob.screenshot({ clip }) };
    await bob.getByTestId('composer-input').fill('');
    // both pages in one picture (docs/demo-chat.png), drawn by a page of its own
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 2 * (590 + 28) } });
    const both = await context.newPage();
    const img = (b) => `data:image/png;base64,${b.toString('base64')}`;
    await both.setContent(`<body style="margin:0;font:600 15px system-ui,sans-serif;background:#dfe3ea">${
      [['alice', 'authUrl'], ['bob', 'authCallback']].map(([who, mode]) => `<div style="padding:5px 12px">${who}'s browser (${mode})</div>`
        + `<img style="display:block" width="1280" height="590" src="${img(shots[who])}">`).join('')}</body>`);
    await both.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    const file = join(job.outDir, 'demo-chat.png');
    await both.screenshot({ path: file, fullPage: true });
    await context.close();
    report.observations.screenshot = file;
  });

  await step("mia (moderator) deletes bob's message: alice and bob see it deleted by mia", async () => {
    mia = await openUser('mia', 'authUrl');
    await signIn(mia, 'mia', job.users.mia);
    const m = await connected(mia, 'mia');
    check(m.clientId === 'mia' && m.capability === MODERATOR_CAP, `mia's token: ${JSON.stringify(m)}`);
    await sees(mia, 'mia', 'bob', 'hi alice, bob here');
    const serial = await serialOf(mia, 'bob', 'hi alice, bob here');
    await row(mia, serial).getByTestId('message-delete').click();
    for (const [who, page] of [['bob', bob], ['alice', alice]]) {
      await messageState(page, who, serial, 'bob\'s message deleted by mia', (x) => x.deleted && x.deletedMarker === 'message deleted by mia');
    }
    report.observations.mia = m;
    await mia.getByTestId('sign-out').click(); // closes her connection: she leaves presence at once
    await mia.getByTestId('username').waitFor({ timeout: 10000 });
    await mia.context().close();
    delete pages.mia;
  });

  await step('a wrong password is refused; the viewer signs in and gets history on join and the viewer capability', async () => {
    victor = await openUser('victor');
    await signIn(victor, 'victor', 'not-the-password');
    const error = await victor.getByTestId('sign-in-error').innerText();
    check(error.includes('Invalid username or password'), `sign-in error shown: ${error}`);
    await victor.getByTestId('password').fill(job.users.victor);
    await victor.getByTestId('sign-in').click();
    const v = await connected(victor, 'victor');
    check(v.clientId === 'victor', `victor's clientId is ${v.clientId}`);
    check(v.capability === VIEWER_CAP, `victor's capability is ${v.capability}`);
    await until('victor to load history', async () => /\d+ earlier messages? loaded from history/.test(await text(victor, 'history-note')), 10000,
      async () => text(victor, 'history-note'));
    await sees(victor, 'victor', 'alice', 'hello from alice (edited)');
    const history = await messages(victor);
    check(history.some((m) => m.from === 'bob' && m.deletedMarker === 'message deleted by mia'),
      `victor's history shows bob's message as deleted: ${JSON.stringify(history)}`);
    check((await victor.getByTestId('message-edit').count()) === 0 && (await victor.getByTestId('message-delete').count()) === 0,
      'a viewer is offered no edit or delete');
    check(await victor.locator('[data-testid="reaction"]').first().isDisabled(), 'a viewer cannot react');
    await until("victor's presence list to show alice and bob (a viewer cannot enter)",
      async () => JSON.stringify(await presence(victor)) === JSON.stringify(['alice', 'bob']), 10000,
      async () => JSON.stringify(await presence(victor)));
    report.observations.victor = v;
    report.observations.victorHistory = await text(victor, 'history-note');
  });

  await step("the viewer's publish is refused with Herald's 40160, shown in the UI", async () => {
    await send(victor, 'can a viewer speak?');
    const error = victor.getByTestId('publish-error');
    await error.waitFor({ timeout: 10000 });
    const code = await error.getAttribute('data-code');
    const shown = await error.innerText();
    check(code === '40160', `publish error code is ${code}: ${shown}`);
    report.observations.viewerPublishError = shown;
  });

  await step("the viewer sees the poll (a late joiner: the whole state synced) but Herald refuses the viewer's vote", async () => {
    const votes = { alice: 'Ship it', bob: 'Ship it' };
    await pollShows(victor, 'victor', votes);
    await vote(victor, 'Rewrite it in Rust');
    const error = victor.getByTestId('poll-error');
    await error.waitFor({ timeout: 10000 });
    const shown = await error.innerText();
    check(/code (40160|40024)/.test(shown), `the viewer's vote was refused: ${shown}`);
    await pollShows(alice, 'alice', votes);
    await pollShows(victor, 'victor', votes);
    report.observations.viewerVoteError = shown;
  });

  await step('a TokenRequest tampered with in the browser (capability widened) is refused by Herald', async () => {
    await victor.getByTestId('tamper-button').click();
    const result = victor.getByTestId('tamper-result');
    await result.waitFor({ timeout: 10000 });
    const shown = await result.innerText();
    const code = Number(await result.getAttribute('data-code'));
    check(shown.startsWith('Refused by Herald') && code >= 40100 && code < 40200, `tamper result: ${shown} (code ${code})`);
    report.observations.tamperResult = shown;
  });

  await step(`ada (admin) signs in to a demo backend whose tokens live ${job.inbandTtlSeconds} s (renewed in-band)`, async () => {
    ada = await openUser('ada', 'authUrl', job.inbandDemoUrl);
    await signIn(ada, 'ada', job.users.ada);
    const a = await connected(ada, 'ada');
    check(a.clientId === 'ada' && a.capability === '{"*":["*"]}', `ada's token: ${JSON.stringify(a)}`);
    report.observations.ada = a;
  });

  await step(`with a ${job.ttlSeconds} s ttl, tokens renew at least ${job.minRenewals}x, same connectionId, no message lost`, async () => {
    // Meanwhile victor's session ends behind his SDK's back: his next renewal gets 401 and the SDK shows it.
    const signOut = await victor.evaluate(async () => (await fetch('/api/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    check(signOut === 204, `victor's background sign-out answered ${signOut}`);
    const startA = await panel(alice);
    const startB = await panel(bob);
    const sent = [];
    let n = 0;
    const deadline = Date.now() + (job.ttlSeconds * (job.minRenewals + 2) + 20) * 1000;
    while (Date.now() < deadline) {
      n += 1;
      const m = `tick ${n}`;
      await send(alice, m);
      sent.push(m);
      await new Promise((r) => setTimeout(r, 700));
      if ((await num(alice, 'renewals')) >= job.minRenewals && (await num(bob, 'renewals')) >= job.minRenewals) break;
    }
    n += 1;
    await send(alice, `tick ${n}`);
    sent.push(`tick ${n}`);
    const a = await panel(alice);
    const b = await panel(bob);
    report.observations.renewal = { start: { alice: startA, bob: startB }, end: { alice: a, bob: b }, ticks: sent.length };
    check(Number(a.renewals) >= job.minRenewals, `alice renewed ${a.renewals}x: ${JSON.stringify(a)}`);
    check(Number(b.renewals) >= job.minRenewals, `bob renewed ${b.renewals}x: ${JSON.stringify(b)}`);
    // a renewal storm (a REST call retried with its expired token, renewing without end) would show here
    const most = job.minRenewals + 4;
    check(Number(a.renewals) <= most && Number(b.renewals) <= most, `no renewal storm: alice ${a.renewals}, bob ${b.renewals} renewals (at most ${most})`);
    check(a.connectionId === report.observations.alice.connectionId && a.connectionIdChanges === '0',
      `alice's connectionId stayed ${report.observations.alice.connectionId}: ${JSON.stringify(a)}`);
    check(b.connectionId === report.observations.bob.connectionId && b.connectionIdChanges === '0',
      `bob's connectionId stayed ${report.observations.bob.connectionId}: ${JSON.stringify(b)}`);
    for (const [who, page] of [['bob', bob], ['alice', alice]]) {
      await until(`${who} to have every tick`, async () => {
        const got = (await messages(page)).filter((m) => m.from === 'alice' && m.text.startsWith('tick ')).map((m) => m.text);
        return JSON.stringify(got) === JSON.stringify(sent);
      }, 15000, async () => `sent ${sent.length}, ${who} has ${JSON.stringify((await messages(page)).filter((m) => m.text.startsWith('tick ')).map((m) => m.text))}`);
    }
    check((await text(alice, 'conn-state')) === 'connected' && (await text(bob, 'conn-state')) === 'connected', 'both still connected');
    // every later message arrived, so the viewer's refused one would have too: it was never published
    check(!(await messages(alice)).some((m) => m.text === 'can a viewer speak?'), 'the refused message did not reach alice');
  });

  await step(`ada's ${job.inbandTtlSeconds} s tokens were renewed in-band (AUTH), never reconnecting`, async () => {
    const a = await until(`ada to have ${job.minRenewals} in-band renewals`, async () => {
      const p = await panel(ada);
      return Number(p.inBand) >= job.minRenewals ? p : null;
    }, job.inbandTtlSeconds * 1000, async () => JSON.stringify(await panel(ada)));
    const updates = await num(ada, 'updates');
    report.observations.adaInBand = { ...a, updates };
    check(a.resumed === '0' && a.connectionIdChanges === '0' && a.connectionId === report.observations.ada.connectionId
      && a.state === 'connected', `ada renewed without reconnecting: ${JSON.stringify(a)}`);
    check(updates >= job.minRenewals, `ada's connection emitted ${updates} update events (one per in-band renewal)`);
  });

  await step("victor's signed-out session: his SDK's next renewal gets 401 and the failure is shown", async () => {
    await until("victor's panel to show the failed renewal", async () => {
      const p = await panel(victor);
      return p.state !== 'connected' && p.reason && /not authorized|401/i.test(p.reason) ? p : null;
    }, job.ttlSeconds * 1000 + 15000, async () => JSON.stringify(await panel(victor)));
    report.observations.victorAfterSignOut = await panel(victor);
  });

  await step('signing out: the UI returns to sign-in, the token endpoint answers 401, presence drops bob', async () => {
    await bob.getByTestId('sign-out').click();
    await bob.getByTestId('username').waitFor({ timeout: 10000 });
    const r = await bob.evaluate(async () => {
      const res = await fetch('/api/ably/token');
      return { status: res.status, body: await res.text() };
    });
    check(r.status === 401 && r.body === '{"error":"User is not authorized"}', `token endpoint after sign-out: ${JSON.stringify(r)}`);
    // (ada, signed in on the other demo backend, shares Herald and so the room)
    await until("alice's presence list to drop bob", async () => {
      const members = await presence(alice);
      return members.includes('alice') && !members.includes('bob');
    }, 10000,
      async () => JSON.stringify(await presence(alice)));
    report.observations.afterSignOut = r;
  });

  await step('switching auth mode reconnects with the other mode and the same identity', async () => {
    await alice.getByTestId('auth-mode-authCallback').check();
    await until('alice to reconnect with authCallback', async () => (await text(alice, 'live-auth-mode')) === 'authCallback'
      && (await text(alice, 'conn-state')) === 'connected' && (await text(alice, 'client-id')) === 'alice', 15000,
      async () => JSON.stringify(await panel(alice)));
    await send(alice, 'sent after switching to authCallback');
    await sees(alice, 'alice', 'alice', 'sent after switching to authCallback');
  });

  await step('no response body, header or WebSocket frame contained the secret key', async () => {
    check(leaks.length === 0, `the secret appeared in: ${leaks.join('; ')}`);
  });

}, async (page) => JSON.stringify(await panel(page)));
