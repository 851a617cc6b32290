// Browser test of the demo's "break it" panel: real headless Chromium (Debian's, driven by playwright-core), the demo
// backend (with Herald's control token) and Herald, all on this machine. Started by DemoBreakItIT with a JSON job on
// stdin: { demoUrl, plainDemoUrl, chromium, secrets: [...], outDir, users: { name: password } }.
// ada (admin) drops her connection, expires her token and fails her room's channel; after each her page must show
// the disruption the SDK reported and then the recovery, and a message each way between ada and alice must arrive
// live. alice (member) sees no panel and the route refuses her; ada on a backend without the token sees no panel.
// Progress goes to stderr; the report is the one JSON document on stdout. A failed check throws: the script then
// saves a screenshot of every page, prints the browsers' console and exits 1.
import { join } from 'node:path';
import { readJob, harness } from './browser-harness.mjs';

const job = await readJob();
const h = harness('breakit', job, { pollMs: 150 });
const { report, pages, leaks, log, check, step, until } = h;

async function panel(page) {
  return page.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const status = q('break-status');
    return {
      state: q('conn-state')?.textContent,
      connectionId: q('conn-id')?.textContent,
      connectionIdChanges: q('conn-id-changed')?.dataset.value,
      renewals: Number(q('renewals')?.dataset.value),
      room: q('room')?.dataset.status,
      breakPanel: !!q('break-it'),
      break: status ? {
        action: status.dataset.action,
        phase: status.dataset.phase,
        resumed: status.dataset.resumed,
        text: status.textContent,
        outcome: q('break-outcome')?.textContent ?? '',
      } : null,
    };
  });
}

async function messages(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="message"]')].map((li) => ({
    from: li.dataset.clientId,
    text: li.querySelector('.text')?.textContent ?? '',
  })));
}

async function presence(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="presence-member"]')].map((li) => li.dataset.clientId).sort());
}

async function bothPresent(what) {
  for (const [who, page] of Object.entries(pages).filter(([n]) => n === 'alice' || n === 'ada')) {
    await until(`${who}'s presence list to show ada and alice ${what}`,
      async () => JSON.stringify(await presence(page)) === JSON.stringify(['ada', 'alice']), 10000,
      async () => JSON.stringify(await presence(page)));
  }
}

async function openUser(name, url = job.demoUrl, label = name) {
  const page = await h.newPage(name, { width: 1280, height: 980 }, job.secrets, { requests: true });
  pages[label] = page;
  await page.goto(url);
  await page.getByTestId('username').waitFor();
  await page.getByTestId('username').fill(name);
  await page.getByTestId('password').fill(job.users[name]);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('current-user').filter({ hasText: name }).waitFor({ timeout: 15000 });
  await until(`${name} to be connected with the room attached`, async () => {
    const p = await panel(page);
    return p.state === 'connected' && p.room === 'attached';
  }, 20000, async () => JSON.stringify(await panel(page)));
  return page;
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

await h.run(async () => {
  let alice;
  let ada;
  await step('alice (member) signs in: no break-it panel, and the route answers her 403', async () => {
    alice = await openUser('alice');
    check(!(await panel(alice)).breakPanel, 'alice sees no break-it panel');
    const r = await alice.evaluate(async () => {
      const res = await fetch('/api/break/drop', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return { status: res.status, body: await res.text() };
    });
    check(r.status === 403 && r.body.includes('Only the admin role'), `alice's break request: ${JSON.stringify(r)}`);
    report.observations.memberBreakStatus = r.status;
  });

  await step('ada (admin) signs in and sees the panel', async () => {
    ada = await openUser('ada');
    check((await panel(ada)).breakPanel, 'ada sees the break-it panel');
    await bothPresent('before anything breaks');
    report.observations.adaStart = await panel(ada);
  });

  const expectations = {
    drop: { disruption: /\bdisconnected\b/, outcome: '(connection resumed, same connectionId)' },
    expire: { disruption: /disconnected 40142/, outcome: '(token renewed, connection resumed, same connectionId)' },
    'fail-channel': { disruption: /room failed 90000/, outcome: '(room failed → re-attached)' },
  };
  for (const [action, expected] of Object.entries(expectations)) {
    await step(`ada: ${action}; her page shows the disruption, then the recovery; messages flow both ways`, async () => {
      const before = await panel(ada);
      await ada.getByTestId(`break-${action}`).click();
      const after = await until(`ada's page to show ${action} recovered`, async () => {
        const p = await panel(ada);
        if (p.break?.action === action && p.break.phase === 'error') throw new Error(`the panel says: ${p.break.text}`);
        return p.break?.action === action && p.break.phase === 'recovered' ? p : null;
      }, 25000, async () => JSON.stringify(await panel(ada)));
      log(`${action}: ${after.break.text}`);
      check(expected.disruption.test(after.break.text), `the status line shows the disruption: ${after.break.text}`);
      check(after.break.outcome === expected.outcome, `the outcome is ${expected.outcome}: ${after.break.outcome}`);
      if (action !== 'fail-channel') {
        check(after.connectionId === before.connectionId, `same connectionId after ${action}: ${before.connectionId} → ${after.connectionId}`);
      }
      if (action === 'expire') {
        await until('the live panel to count the renewal', async () => (await panel(ada)).renewals > before.renewals, 5000,
          async () => JSON.stringify(await panel(ada)));
      }
      await until(`ada's room to be attached after ${action}`, async () => (await panel(ada)).room === 'attached', 15000,
        async () => JSON.stringify(await panel(ada)));
      check((await panel(alice)).state === 'connected', 'alice was not disturbed');
      await send(alice, `after ${action}: from alice`);
      await sees(ada, 'ada', 'alice', `after ${action}: from alice`);
      await send(ada, `after ${action}: from ada`);
      await sees(alice, 'alice', 'ada', `after ${action}: from ada`);
      await bothPresent(`after ${action} (ada is back in presence)`);
      report.observations[action] = { steps: after.break.text, outcome: after.break.outcome, before, after };
    });
  }

  await step('screenshot of ada\'s page after the recoveries', async () => {
    const file = join(job.outDir, 'demo-breakit.png');
    await ada.screenshot({ path: file, fullPage: true });
    report.observations.screenshot = file;
  });

  await step('ada on a demo backend without the control token sees no panel', async () => {
    const plain = await openUser('ada', job.plainDemoUrl, 'ada-without-control');
    check(!(await panel(plain)).breakPanel, 'no break-it panel without the control token');
  });

  await step('no response, request or WebSocket frame contained the API key secret or the control token', async () => {
    check(leaks.length === 0, `a secret appeared in: ${leaks.join('; ')}`);
  });

}, async (page) => JSON.stringify(await panel(page)));
