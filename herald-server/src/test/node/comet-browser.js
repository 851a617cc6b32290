'use strict';
// CometIT: ably-js's browser bundle in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core)
// with WebSocket removed from the page, so it falls back to xhr_polling. The page is served from another origin
// (a loopback HTTP server of this script), so every Comet request is a CORS one. It connects, attaches,
// publishes and receives; then its Comet requests are refused while its transport is dropped, messages are
// published over REST meanwhile, and once requests go through again it resumes the same connection and
// receives them all.
// input: { port, key, channel, chromium }
const path = require('path');
const http = require('http');
const fs = require('fs');
const { Ably, run, note, within, closeQuietly } = require('./lib');
const { chromium } = require('playwright-core');

run(120000, async input => {
  const bundle = fs.readFileSync(path.join(path.dirname(require.resolve('ably')), 'ably.js'), 'utf8');
  const rest = new Ably.Rest({ key: input.key, endpoint: '127.0.0.1', port: input.port, tls: false,
    useBinaryProtocol: false });
  // the page's own origin: a loopback server of this script, another port than Herald's
  const site = http.createServer((req, res) => {
    if (req.url === '/ably.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      res.end(bundle);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html><head><script src="/ably.js"></script></head><body>comet</body></html>');
  });
  await new Promise(resolve => site.listen(0, '127.0.0.1', resolve));
  const pageUrl = 'http://127.0.0.1:' + site.address().port + '/';
  const browser = await chromium.launch({
    executablePath: input.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', m => note('page ' + m.type() + ': ' + m.text()));
    page.on('pageerror', e => note('pageerror: ' + e.message));
    const cometRequests = [];
    let wsRequests = 0;
    page.on('request', r => {
      if (r.url().includes('/comet/')) cometRequests.push(r.method() + ' ' + new URL(r.url()).pathname);
    });
    page.on('websocket', () => { wsRequests++; });
    page.on('requestfailed', r => note('request failed', r.method(), r.url(), r.failure() && r.failure().errorText));
    page.on('response', r => {
      if (r.url().includes('/comet/')) note('response', r.request().method(), new URL(r.url()).pathname, r.status());
    });
    await page.addInitScript(() => { window.WebSocket = undefined; });
    await page.goto(pageUrl);

    const first = await page.evaluate(async ({ key, port, channel, logLevel }) => {
      const got = window.got = [];
      const rt = window.rt = new Ably.Realtime({ key, endpoint: '127.0.0.1', port, tls: false,
        disconnectedRetryTimeout: 1000, logLevel });
      window.reconnected = new Promise(resolve => {
        let dropped = false;
        rt.connection.on(change => {
          console.log('connection ' + change.previous + ' -> ' + change.current
            + (change.reason ? ' ' + change.reason.code : ''));
          if (change.current === 'disconnected') dropped = true;
          if (change.current === 'connected' && dropped) resolve(rt.connection.id);
        });
      });
      await rt.connection.once('connected');
      const ch = rt.channels.get(channel);
      await ch.subscribe(m => got.push(m.data));
      for (let i = 0; i < 3; i++) await ch.publish('m', 'm' + i);
      const t0 = Date.now();
      while (got.length < 3 && Date.now() - t0 < 10000) await new Promise(r => setTimeout(r, 50));
      const p = rt.connection.connectionManager.activeProtocol;
      return { connectionId: rt.connection.id, transport: p.getTransport().shortName, got: got.slice() };
    }, { key: input.key, port: input.port, channel: input.channel, logLevel: input.logLevel || 1 });
    note('first', first);

    // cut: every Comet request fails at the network level, and the transport is dropped
    await page.route('**/comet/**', route => route.abort('connectionreset'));
    await page.evaluate(() => window.rt.connection.connectionManager.activeProtocol.getTransport().disconnect());
    await within(10000, 'disconnected', page.waitForFunction(() => window.rt.connection.state !== 'connected'));
    const channel = rest.channels.get(input.channel);
    for (let i = 0; i < 5; i++) await channel.publish('r', 'r' + i);
    await page.unroute('**/comet/**');
    const againId = await within(30000, 'reconnected', page.evaluate(() => window.reconnected));
    await channel.publish('r', 'end');
    await within(20000, 'the "end" message', page.waitForFunction(() => window.got.includes('end')));
    const got = await page.evaluate(() => window.got.slice());
    const transport = await page.evaluate(() =>
      window.rt.connection.connectionManager.activeProtocol.getTransport().shortName);
    await page.evaluate(() => window.rt.close());
    return { first, againId, got, transport, wsRequests, cometRequests: cometRequests.slice(0, 50) };
  } finally {
    closeQuietly(rest);
    await browser.close();
    site.close();
  }
});
