// Loaded into the ably-js mocha process by `./herald conformance` (mocha --require). Two things, both needed because
// the suite was written for Ably's hosted sandbox:
//
// 1. A network guard. A conformance run must only ever talk to this machine: every outgoing TCP connection (http,
//    https, WebSocket, fetch all end in net.Socket#connect) to a host that is not loopback fails at once with
//    ECONNREFUSED. The suite's "unroutable" address, 10.255.255.1, instead never connects and never errors, which is
//    what the tests that use it wait for (a request that times out). The refused hosts are listed when mocha exits.
//
// 2. A stand-in for Ably's public echo service (JWT minting and echoed authUrl answers), listening on 127.0.0.1 at
//    HERALD_ECHO_PORT. The command rewrites the service's https URL in the extracted copies of rest/auth and
//    realtime/auth to point here. It answers only the paths the suite uses.
//
// 3. The same answers over TLS for the public hosts other tests reach by their https URL (Ably's echo service, its
//    connectivity check `internet-up.ably-realtime.com/is-the-internet-up.txt`, the sandbox's `/time`): a connection
//    to one of STAND_IN_HOSTS on port 443 goes to a local HTTPS server at HERALD_TLS_PORT instead, with the
//    self-signed certificate the command made (the command runs mocha with NODE_TLS_REJECT_UNAUTHORIZED=0; every
//    connection it allows is local anyway). So no test fails only because this machine has no internet.
'use strict';

const net = require('net');
const http = require('http');
const https = require('https');
const fs = require('fs');
const crypto = require('crypto');

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|::ffff:127\.\d+\.\d+\.\d+)$/i;
const BLACK_HOLE = '10.255.255.1';
const STAND_IN_HOSTS = new Set(['echo.ably.io', 'internet-up.ably-realtime.com', 'sandbox.realtime.ably-nonprod.net']);
const tlsPort = Number(process.env.HERALD_TLS_PORT || 0);
const refused = new Set();
const standIns = new Set();

function target(args) {
  // connect(options[, cb]) | connect(port[, host][, cb]) | connect(path[, cb]); http's agent passes [options, cb]
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') return { host: first.host, port: first.port, path: first.path };
  if (typeof first === 'string' && isNaN(Number(first))) return { path: first };
  return { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
}

const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const to = target(args);
  const host = to.host || 'localhost';
  if (to.path || LOOPBACK.test(host)) return realConnect.apply(this, args);
  const options = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (tlsPort > 0 && STAND_IN_HOSTS.has(host) && Number(to.port) === 443 && options && typeof options === 'object') {
    // rewritten in place: node marks the normalized argument array, which must stay the same array
    standIns.add(host);
    options.host = '127.0.0.1';
    options.port = tlsPort;
    return realConnect.apply(this, args);
  }
  refused.add(`${host}:${to.port}`);
  this.connecting = true; // looks like a connection in progress to whoever holds the socket
  if (host !== BLACK_HOLE) {
    const err = new Error(`connect ECONNREFUSED ${host}:${to.port} (herald conformance: loopback only)`);
    Object.assign(err, { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: host, port: to.port });
    process.nextTick(() => this.destroy(err));
  }
  return this;
};

process.on('exit', () => {
  if (standIns.size > 0) {
    process.stderr.write(`[herald conformance] answered locally over TLS: ${[...standIns].sort().join(', ')}\n`);
  }
  if (refused.size > 0) {
    process.stderr.write(`[herald conformance] refused non-loopback connections: ${[...refused].sort().join(', ')}\n`);
  }
});

// ---- the echo stand-in ---------------------------------------------------------------------------------------------

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

// HS256 JWT for an Ably key: kid is the key name, signed with the key secret; the claims the tests ask for
function mintJwt(params) {
  const issuedAt = Math.floor(Date.now() / 1000);
  const claims = { iat: issuedAt, exp: issuedAt + (Number(params.expiresIn) || 3600) };
  if (params.innerToken) {
    claims['x-ably-token'] = params.innerToken; // an Ably token embedded in the JWT
  } else {
    claims['x-ably-capability'] = params.capability || '{"*":["*"]}';
  }
  if (params.clientId) claims['x-ably-clientId'] = params.clientId;
  const signingInput = `${base64url({ typ: 'JWT', alg: 'HS256', kid: params.keyName })}.${base64url(claims)}`;
  const signature = crypto.createHmac('sha256', params.keySecret || '').update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

function parameters(url, headers, body) {
  const params = Object.fromEntries(url.searchParams);
  const type = headers['content-type'] || '';
  if (body.length > 0 && type.includes('application/x-www-form-urlencoded')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  } else if (body.length > 0 && type.includes('json')) {
    try {
      Object.assign(params, JSON.parse(body));
    } catch (e) {
      // not JSON after all: answered from the query string alone
    }
  }
  return params;
}

function answer(req, body) {
  const url = new URL(req.url, 'http://echo.local');
  const params = parameters(url, req.headers, body);
  switch (url.pathname) {
    case '/createJWT':
      return { status: 200, type: params.returnType === 'jwt' ? 'application/jwt' : 'text/plain', text: mintJwt(params) };
    case '/respondwith':
      return { status: Number(params.status) || 200, type: 'text/plain', text: '' };
    case '/qs_to_body':
      return { status: 200, type: 'application/json', text: JSON.stringify(params) };
    case '/methods': // rest.request(method, '/methods') against the echo host: which method arrived
      return { status: 200, type: 'application/json', text: JSON.stringify([{ method: req.method.toLowerCase() }]) };
    case '/is-the-internet-up.txt': // the SDKs' connectivity check
      return { status: 200, type: 'text/plain', text: 'yes\n' };
    case '/time':
      return { status: 200, type: 'application/json', text: JSON.stringify([Date.now()]) };
    default: {
      if (req.socket.encrypted && url.pathname === '/' && url.search === '') {
        // the echo host's bare root over https is not a page (a connectivity check against it must fail)
        return { status: 404, type: 'text/plain', text: 'Not found' };
      }
      // "/": answers `body` with the given status and type, or without a body every other parameter as JSON
      const { type, status, body: given, ...rest } = params;
      return {
        status: Number(status) || 200,
        // with a charset, as the real echo service answers: ably-js parses an error body only for exactly
        // `application/json`, so `authUrl_403_custom_error` sees a plain 403 there
        type: type === 'json' ? 'application/json; charset=utf-8' : 'text/plain',
        text: given !== undefined ? given : JSON.stringify(rest),
      };
    }
  }
}

function handler(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const out = answer(req, Buffer.concat(chunks).toString());
    res.writeHead(out.status, { 'Content-Type': out.type });
    res.end(out.text);
  });
}

function serve(server, port, what) {
  server.on('error', (e) => process.stderr.write(`[herald conformance] ${what}: ${e.message}\n`));
  server.listen(port, '127.0.0.1');
  server.unref();
}

const echoPort = Number(process.env.HERALD_ECHO_PORT || 0);
if (echoPort > 0) {
  serve(http.createServer(handler), echoPort, 'echo stand-in');
}
if (tlsPort > 0) {
  const tls = { cert: fs.readFileSync(process.env.HERALD_TLS_CERT), key: fs.readFileSync(process.env.HERALD_TLS_KEY) };
  serve(https.createServer(tls, handler), tlsPort, 'TLS stand-in');
}
