// What both browser tests of the demo share (demo-e2e.mjs, demo-breakit-e2e.mjs): the job read from stdin, progress
// on stderr, steps and checks, polling until a condition holds, Debian's Chromium, pages watched for console lines
// and for leaked secrets, and the ending: the report as the one JSON document on stdout, or on a failure a
// screenshot of every page, the browsers' console and exit 1.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json')); // cwd = testing/node
const { chromium } = require('playwright-core');

export async function readJob() {
  return JSON.parse(await new Promise((resolve) => {
    let s = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => (s += d));
    process.stdin.on('end', () => resolve(s));
  }));
}

/** The shared state and helpers of one browser test; `label` prefixes its progress lines. */
export function harness(label, job, { pollMs: defaultPollMs = 200 } = {}) {
  const t0 = Date.now();
  const h = {
    t0,
    report: { steps: [], observations: {} },
    pages: {},
    consoleLines: [],
    leaks: [],
    browser: undefined,
    log: (...a) => console.error(`[${label} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a),

    check(condition, message) {
      if (!condition) throw new Error(`check failed: ${message}`);
    },

    async step(name, fn) {
      const start = Date.now();
      h.log(`step: ${name}`);
      await fn();
      h.report.steps.push({ name, ms: Date.now() - start });
    },

    /** Polls fn every pollMs until it returns a truthy value; fails with describe()'s text after timeoutMs. */
    async until(what, fn, timeoutMs = 15000, describe = async () => '', pollMs = defaultPollMs) {
      const end = Date.now() + timeoutMs;
      let last;
      while (Date.now() < end) {
        try {
          last = await fn();
          if (last) return last;
        } catch (e) {
          last = e;
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)} ${await describe()}`);
    },

    /**
     * A new browser context and page for `name`: its console kept, and every response and WebSocket frame (and with
     * `requests`, every request) checked for the secrets.
     */
    async newPage(name, viewport, secrets, { requests = false } = {}) {
      const context = await h.browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('console', (m) => h.consoleLines.push(`[${name} console.${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => h.consoleLines.push(`[${name} pageerror] ${e.message}`));
      const leaked = (s) => secrets.some((secret) => s.includes(secret));
      page.on('response', async (res) => {
        try {
          const body = await res.body();
          if (leaked(body.toString('latin1')) || leaked(JSON.stringify(await res.allHeaders()))) {
            h.leaks.push(`${name}: ${res.request().method()} ${res.url()}`);
          }
        } catch {
          /* redirects and aborted requests have no body */
        }
      });
      if (requests) page.on('request', (req) => {
        if (leaked(req.url()) || leaked(req.postData() || '')) h.leaks.push(`${name}: request ${req.method()} ${req.url()}`);
      });
      page.on('websocket', (ws) => {
        ws.on('framereceived', (f) => leaked(String(f.payload)) && h.leaks.push(`${name}: WebSocket frame from ${ws.url()}`));
        ws.on('framesent', (f) => leaked(String(f.payload)) && h.leaks.push(`${name}: WebSocket frame to ${ws.url()}`));
      });
      return page;
    },

    /**
     * Launches Chromium, runs body, and ends the process: exit 0 with the report, or exit 1 after a screenshot of
     * every page (with describe(page), e.g. its live panel), the browsers' console and the report with the error.
     */
    async run(body, describe = async () => '') {
      try {
        mkdirSync(job.outDir, { recursive: true });
        // playwright-core gives every launch a fresh temporary profile (--user-data-dir) and removes it on close.
        h.browser = await chromium.launch({
          executablePath: job.chromium,
          headless: true,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
        });
        h.log(`chromium ${h.browser.version()}`);
        await body();
        h.report.ok = true;
        h.report.ms = Date.now() - t0;
        writeFileSync(join(job.outDir, 'browser-console.log'), h.consoleLines.join('\n'));
        process.stdout.write(JSON.stringify(h.report));
        await h.browser.close();
        process.exit(0);
      } catch (e) {
        h.log(`FAILED: ${e.stack || e}`);
        for (const [name, page] of Object.entries(h.pages)) {
          try {
            const file = join(job.outDir, `failure-${name}.png`);
            await page.screenshot({ path: file, fullPage: true });
            h.log(`screenshot of ${name}'s page: ${file}; live panel: ${await describe(page)}`);
          } catch {
            /* the page may be gone */
          }
        }
        h.log(`browser console (${h.consoleLines.length} lines):\n${h.consoleLines.slice(-200).join('\n')}`);
        try {
          writeFileSync(join(job.outDir, 'browser-console.log'), h.consoleLines.join('\n'));
        } catch {
          /* best effort */
        }
        h.report.ok = false;
        h.report.error = String(e.message || e);
        process.stdout.write(JSON.stringify(h.report));
        if (h.browser) await h.browser.close().catch(() => {});
        process.exit(1);
      }
    },
  };
  return h;
}
