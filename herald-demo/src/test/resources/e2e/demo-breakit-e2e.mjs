// Browser test of the demo's "break it" panel: real headless Chromium (Debian's, driven by playwright-core), the demo
// backend (with Herald's control token) and Herald, all on this machine. Started by DemoBreakItIT with a JSON job on
// stdin: { demoUrl, plainDemoUrl, chromium, secrets: [...], outDir, users: { name: password } }.
// ada (admin) drops her connection, expires her token and fails her room's channel; after each her page must show
// the disruption the SDK reported and then the recovery, and a message each way between ada and alice must arrive
// live. alice (member) sees no panel and the route refuses her; ada on a backend without the token sees no panel.
// Progress goes to stderr; the report is the one JSON document on stdout. A failed check throws: the script then
// saves a screenshot of every page, prints the browsers' console and exits 1.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json')); // cwd = testing/node
const { chromium } = require('playwright-core');

const job = JSON.parse(await new Promise((resolve) => {
  let s = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => resolve(s));
}));

const t0 = Date.now();
const log = (...a) => console.error(`[breakit +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const report = { steps: [], observations: {} };
const pages = {};
const consoleLines = [];
const leaks = [];
let browser;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function step(name, fn) {
  const start = Date.now();
  log(`step: ${name}`);
  await fn();
  report.steps.push({ name, ms: Date.now() - start });
}

/** Polls fn until it returns a truthy value; fails with describe()'s text after timeoutMs. */
async function until(what, fn, timeoutMs = 15000, describe = async () => '') {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)} ${await describe()}`);
}

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
  const context = await browser.newContext({ viewport: { width: 1280, height: 980 } });
  const page = await context.newPage();
  pages[label] = page;
  page.on('console', (m) => consoleLines.push(`[${name} console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[${name} pageerror] ${e.message}`));
  const leaked = (s) => job.secrets.some((secret) => s.includes(secret));
  page.on('response', async (res) => {
    try {
      const body = await res.body();
      if (leaked(body.toString('latin1')) || leaked(JSON.stringify(await res.allHeaders()))) {
        leaks.push(`${name}: ${res.request().method()} ${res.url()}`);
      }
    } catch {
      /* redirects and aborted requests have no body */
    }
  });
  page.on('request', (req) => {
    if (leaked(req.url()) || leaked(req.postData() || '')) leaks.push(`${name}: request ${req.method()} ${req.url()}`);
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => leaked(String(f.payload)) && leaks.push(`${name}: WebSocket frame from ${ws.url()}`));
    ws.on('framesent', (f) => leaked(String(f.payload)) && leaks.push(`${name}: WebSocket frame to ${ws.url()}`));
  });
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

try {
  mkdirSync(job.outDir, { recursive: true });
  browser = await chromium.launch({
    executablePath: job.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  log(`chromium ${browser.version()}`);

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

  report.ok = true;
  report.ms = Date.now() - t0;
  writeFileSync(join(job.outDir, 'browser-console.log'), consoleLines.join('\n'));
  process.stdout.write(JSON.stringify(report));
  await browser.close();
  process.exit(0);
} catch (e) {
  log(`FAILED: ${e.stack || e}`);
  for (const [name, page] of Object.entries(pages)) {
    try {
      const file = join(job.outDir, `failure-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      log(`screenshot of ${name}'s page: ${file}; panel: ${JSON.stringify(await panel(page))}`);
    } catch {
      /* the page may be gone */
    }
  }
  log(`browser console (${consoleLines.length} lines):\n${consoleLines.slice(-200).join('\n')}`);
  try {
    writeFileSync(join(job.outDir, 'browser-console.log'), consoleLines.join('\n'));
  } catch {
    /* best effort */
  }
  report.ok = false;
  report.error = String(e.message || e);
  process.stdout.write(JSON.stringify(report));
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
}
