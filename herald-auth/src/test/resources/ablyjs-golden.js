// Drives the official ably-js SDK (npm ably@2.26.0) for herald-auth's golden vector tests.
// Reads one JSON job on stdin and writes one JSON result on stdout. Modes:
//   {"mode":"tokenRequests","key":K,"cases":[{ttl?,capability?,clientId?,timestamp,nonce}...]}
//       -> {"version":V,"requests":["<JSON.stringify(tokenRequest)>",...]}
//   {"mode":"random","key":K,"count":N,"seed":S}
//       -> {"version":V,"cases":[{"capabilityInput":"<json>"|null,"request":"<JSON.stringify(tokenRequest)>"}...]}
//   {"mode":"jwt","key":K,"iat":s,"exp":s,"capability":"<json>"|null,"clientId":s|null}
//       -> {"jwt":"..."}   (built with node:crypto, like the ably-js test echo server's /createJWT)
'use strict';
const crypto = require('crypto');

function readStdin() {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => (data += c));
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

function rest(key) {
  const Ably = require('ably');
  return new Ably.Rest({ key, autoConnect: false, logLevel: 0, queryTime: false });
}

// Small seeded PRNG (mulberry32) so a failing random case can be replayed from its seed.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPS = ['subscribe', 'publish', 'presence', 'history', 'stats', 'channel-metadata', 'push-subscribe',
  'push-admin', 'privileged-headers', 'object-subscribe', 'object-publish', 'annotation-subscribe',
  'annotation-publish', 'message-update-own', 'message-update-any', 'message-delete-own', 'message-delete-any'];
// Characters JSON.stringify escapes, ones Gson escapes but JSON.stringify does not, separators, non-ASCII.
const CHARS = ['a', 'b', 'Z', '0', '9', ':', '*', '-', '_', '[', ']', '?', '=', '<', '>', '&', "'", '"', '\\',
  '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', 'ß', '\u2028', '\u00a0', '日', '😀', ' ', '/', '.'];

function randomString(rnd, min, max) {
  const n = min + Math.floor(rnd() * (max - min + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += CHARS[Math.floor(rnd() * CHARS.length)];
  return s;
}

function randomResource(rnd) {
  const r = rnd();
  if (r < 0.1) return String(Math.floor(rnd() * 20)); // array-index keys sort first in JSON.stringify
  if (r < 0.15) return '*';
  if (r < 0.2) return '[*]*';
  return randomString(rnd, 1, 8);
}

function randomCapability(rnd) {
  const cap = {};
  const n = 1 + Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.15) {
      cap[randomResource(rnd)] = ['*'];
      continue;
    }
    const ops = OPS.filter(() => rnd() < 0.3);
    if (ops.length === 0) ops.push(OPS[Math.floor(rnd() * OPS.length)]);
    ops.sort(() => rnd() - 0.5);
    cap[randomResource(rnd)] = ops;
  }
  return JSON.stringify(cap);
}

async function main() {
  const job = JSON.parse(await readStdin());
  const pkg = require('path').join(process.env.NODE_PATH || 'node_modules', 'ably', 'package.json');
  const out = { version: JSON.parse(require('fs').readFileSync(pkg, 'utf8')).version };
  if (job.mode === 'tokenRequests') {
    const client = rest(job.key);
    out.requests = [];
    for (const c of job.cases) {
      const params = {};
      for (const f of ['ttl', 'capability', 'clientId', 'timestamp', 'nonce']) if (f in c) params[f] = c[f];
      out.requests.push(JSON.stringify(await client.auth.createTokenRequest(params)));
    }
  } else if (job.mode === 'random') {
    const client = rest(job.key);
    const rnd = prng(job.seed);
    out.cases = [];
    for (let i = 0; i < job.count; i++) {
      const params = {};
      let capabilityInput = null;
      if (rnd() < 0.85) params.capability = capabilityInput = randomCapability(rnd);
      if (rnd() < 0.7) params.clientId = rnd() < 0.1 ? '*' : randomString(rnd, 1, 12);
      if (rnd() < 0.6) params.ttl = 1 + Math.floor(rnd() * 86400000);
      // timestamp and nonce are left to the SDK (its clock and Math.random nonce)
      out.cases.push({ capabilityInput, request: JSON.stringify(await client.auth.createTokenRequest(params)) });
    }
  } else if (job.mode === 'jwt') {
    const [keyName, secret] = job.key.split(':');
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { iat: job.iat, exp: job.exp };
    if (job.capability != null) claims['x-ably-capability'] = job.capability;
    if (job.clientId != null) claims['x-ably-clientId'] = job.clientId;
    const signingInput = b64({ typ: 'JWT', alg: 'HS256', kid: keyName }) + '.' + b64(claims);
    out.jwt = signingInput + '.' + crypto.createHmac('sha256', secret).update(signingInput).digest('base64url');
  } else {
    throw new Error('unknown mode ' + job.mode);
  }
  // stdout is a pipe: exit only once the write has been flushed, or the output gets cut short
  await new Promise((resolve) => process.stdout.write(JSON.stringify(out), resolve));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e));
    process.exit(1);
  },
);
