'use strict';
// Shared plumbing for the end-to-end scenarios driven by io.herald.server.e2e.support.NodeScript.
// Protocol: the first stdin line is the scenario input (JSON); later stdin lines are commands (JSON) a
// scenario may wait for with nextCommand(). Every event goes to stdout as one line "@@{json}"; anything
// else (ably-js logs, stray output) goes to stderr. The scenario ends with a "result" event (exit 0) or
// an "error" event with diagnostics (exit 1); the watchdog ends it with an "error" event (exit 2).
let Ably;
try {
  Ably = require('ably');
} catch (e) {
  process.stdout.write('@@' + JSON.stringify({ event: 'error', message:
    'the ably npm package is not installed: run testing/install-node-deps.sh (' + e.message + ')' }) + '\n');
  process.exit(3);
}

const started = Date.now();
const trail = [];          // recent notes and SDK log lines, printed on failure
function note(...parts) {
  const line = '+' + (Date.now() - started) + 'ms ' + parts.map(p => typeof p === 'string' ? p : safe(p)).join(' ');
  trail.push(line);
  if (trail.length > 200) trail.shift();
  process.stderr.write(line + '\n');
}
function safe(v) {
  try { return JSON.stringify(v); } catch (e) { return String(v); }
}

function emit(event, data) {
  process.stdout.write('@@' + JSON.stringify(Object.assign({ event }, data || {})) + '\n');
}

function errorInfo(err) {
  if (!err) return null;
  return { message: String(err.message || err), code: err.code, statusCode: err.statusCode,
    cause: err.cause ? errorInfo(err.cause) : undefined };
}

const commands = [];
const commandWaiters = [];
let stdinBuffer = '';
let inputResolve;
const inputPromise = new Promise(r => { inputResolve = r; });
let gotInput = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => {
  stdinBuffer += chunk;
  let i;
  while ((i = stdinBuffer.indexOf('\n')) >= 0) {
    const line = stdinBuffer.slice(0, i).trim();
    stdinBuffer = stdinBuffer.slice(i + 1);
    if (!line) continue;
    const value = JSON.parse(line);
    if (!gotInput) { gotInput = true; inputResolve(value); continue; }
    const w = commandWaiters.shift();
    if (w) w(value); else commands.push(value);
  }
});

/** The next command line from the JUnit side. */
function nextCommand() {
  if (commands.length) return Promise.resolve(commands.shift());
  return new Promise(r => commandWaiters.push(r));
}

/** Runs scenario(input) with a watchdog; emits "result" with its value or "error" with diagnostics. */
function run(timeoutMs, scenario) {
  const watchdog = setTimeout(() => {
    emit('error', { message: 'node scenario timed out after ' + timeoutMs + ' ms', trail });
    process.exit(2);
  }, timeoutMs);
  inputPromise.then(input => scenario(input)).then(value => {
    clearTimeout(watchdog);
    emit('result', { value: value === undefined ? null : value });
    process.exit(0);
  }, err => {
    clearTimeout(watchdog);
    emit('error', { message: String(err && err.message || err), error: errorInfo(err),
      stack: err && err.stack, trail });
    process.exit(1);
  });
}

/** ably-js client options for the Herald under test: endpoint/port/tls plus SDK logs to stderr. */
function options(input, extra) {
  return Object.assign({
    endpoint: input.host || 'localhost',
    port: input.port,
    tls: false,
    useBinaryProtocol: !!input.binary,
    logLevel: input.logLevel === undefined ? 1 : input.logLevel,
    logHandler: msg => note('[ably-js] ' + msg),
  }, extra || {});
}

/** Rejects after ms with a message naming what was awaited. */
function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out after ' + ms + ' ms waiting for ' + what)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** Waits for a connection state (resolves at once if already there); rejects on failed unless waiting for it. */
function connectionState(realtime, state, ms) {
  return within(ms || 15000, 'connection state ' + state, new Promise((resolve, reject) => {
    if (realtime.connection.state === state) { resolve(null); return; }
    const listener = change => {
      if (change.current === state) { realtime.connection.off(listener); resolve(change); }
      else if (change.current === 'failed') { realtime.connection.off(listener);
        reject(Object.assign(new Error('connection failed while waiting for ' + state + ': ' + safe(errorInfo(change.reason))), { code: change.reason && change.reason.code })); }
    };
    realtime.connection.on(listener);
  }));
}

function closeQuietly(...clients) {
  for (const c of clients) {
    try { if (c && c.close) c.close(); } catch (e) { /* ignore */ }
  }
}

module.exports = { Ably, run, emit, note, options, within, connectionState, nextCommand, errorInfo, closeQuietly };
