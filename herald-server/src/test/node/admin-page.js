'use strict';
// The admin page in a real browser (AdminPageIT): an ably-js client connects and attaches, then headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core, never a downloaded browser) opens /admin, signs in with
// the admin token through the form, waits until the page counts the client and its channel, and takes a
// screenshot. It reports what the page showed and every summary request the page made.
// input: { port, key, adminToken, channel, chromium, screenshot }
const { Ably, run, options, connectionState, within, note, closeQuietly } = require('./lib');
const { chromium } = require('playwright-core');

run(120000, async input => {
  const realtime = new Ably.Realtime(options(input, { key: input.key, clientId: 'admin-page-it' }));
  let browser;
  try {
    await connectionState(realtime, 'connected', 15000);
    const channel = realtime.channels.get(input.channel);
    await within(10000, 'subscribe', channel.subscribe(() => {}));
    for (let i = 0; i < 5; i++) await within(10000, 'publish', channel.publish('tick', { i }));
    await within(10000, 'second channel', realtime.channels.get('chat:lobby').subscribe(() => {}));

    browser = await chromium.launch({
      executablePath: input.chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update'],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    const consoleLines = [];
    page.on('console', m => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', e => consoleLines.push(`pageerror: ${e.message}`));
    const requests = [];
    page.on('request', r => {
      if (r.url().includes('/admin')) {
        const entry = { url: r.url(), method: r.method(), authorization: null };
        requests.push(entry);
        r.allHeaders().then(h => { entry.authorization = h['authorization'] || null; }, () => {});
      }
    });
    const summaries = () => requests.filter(r => r.url.includes('/admin/api/summary'));

    const response = await page.goto(`http://127.0.0.1:${input.port}/admin`);
    note('GET /admin', response.status());
    const before = await page.getByTestId('login').isVisible();
    await page.getByTestId('token').fill(input.adminToken);
    await page.getByTestId('submit').click();
    await page.waitForFunction(channelName => {
      const q = id => document.querySelector(`[data-testid="${id}"]`);
      return Number(q('connections-total').dataset.value) >= 1
        && q('top-channels').textContent.includes(channelName);
    }, input.channel, { timeout: 20000 });
    // auto-refresh: a second summary request follows on its own
    const end = Date.now() + 10000;
    while (summaries().length < 2 && Date.now() < end) await page.waitForTimeout(200);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="rate-in"]').dataset.value) > 0,
      null, { timeout: 10000 }).catch(() => note('rate-in still 0'));

    const shown = await page.evaluate(() => {
      const q = id => document.querySelector(`[data-testid="${id}"]`);
      const rows = id => [...q(id).querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(c => c.textContent));
      return {
        connections: Number(q('connections-total').dataset.value),
        channels: Number(q('channels-total').dataset.value),
        apps: rows('apps'),
        top: rows('top-channels'),
        refusals: rows('refusals'),
        status: q('status').textContent,
        loginVisible: q('login').checkVisibility(),
        dashboardVisible: q('dashboard').checkVisibility(),
        tokenStored: sessionStorage.getItem('herald-admin-token') !== null,
        url: location.href,
      };
    });
    await page.screenshot({ path: input.screenshot, fullPage: true });
    return Object.assign(shown, { loginShownFirst: before, requests, console: consoleLines });
  } finally {
    if (browser) await browser.close().catch(() => {});
    closeQuietly(realtime);
  }
});
