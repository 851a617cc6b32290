// The balancer in front of several Herald nodes for `./herald conformance --cluster`: round-robin, as a load balancer
// without session affinity would be, except where Ably's protocol needs one node.
// - A WebSocket (an HTTP upgrade) goes to the next node and stays there for its life.
// - Every other HTTP request (REST, /comet/connect, SSE) goes to the next node, request by request, even on one
//   keep-alive connection.
// - A Comet connection lives on the node that answered its /comet/connect; its later requests
//   (/comet/<connectionKey>/send|recv|close) must reach that node. A real deployment gets this from sticky sessions
//   (docs/redis.md); here every client is 127.0.0.1, so the balancer reads the connection key Herald returns in the
//   CONNECTED message (`<connectionId>!<secret>`, in JSON or msgpack) and routes by the connectionId in the path.
// Usage: node lb.js LISTEN_PORT NODE_PORT...
'use strict';
const http = require('http');
const net = require('net');

const [listen, ...nodes] = process.argv.slice(2).map(Number);
if (!listen || nodes.length === 0) {
  console.error('usage: node lb.js LISTEN_PORT NODE_PORT...');
  process.exit(2);
}
let next = 0;
const nextNode = () => nodes[next++ % nodes.length];
const cometOwners = new Map(); // connectionId -> node port, for connections whose CONNECTED passed through here
const MAX_OWNERS = 100000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const KEY = /([A-Za-z0-9]{6,32})![A-Za-z0-9_-]{6,64}/;

function cometConnectionId(url) {
  const m = /^\/comet\/([^/?]+)\/(send|recv|close)/.exec(url);
  if (!m) return null;
  const key = decodeURIComponent(m[1]);
  const bang = key.indexOf('!');
  return bang > 0 ? key.slice(0, bang) : key;
}

function remember(connectionId, port) {
  if (cometOwners.size >= MAX_OWNERS) cometOwners.delete(cometOwners.keys().next().value);
  cometOwners.set(connectionId, port);
}

const server = http.createServer((req, res) => {
  const owned = cometConnectionId(req.url);
  const port = (owned && cometOwners.get(owned)) || nextNode();
  const isConnect = /^\/comet\/connect(\?|$)/.test(req.url);
  const headers = Object.assign({}, req.headers);
  delete headers.connection;
  delete headers['keep-alive'];
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent }, up => {
    const out = Object.assign({}, up.headers);
    delete out.connection;
    delete out['keep-alive'];
    delete out['transfer-encoding'];
    res.writeHead(up.statusCode, out);
    if (isConnect) {
      let seen = '';
      up.on('data', chunk => {
        if (seen === null) return;
        seen += chunk.toString('latin1');
        const m = KEY.exec(seen);
        if (m) { remember(m[1], port); seen = null; } else if (seen.length > 65536) { seen = null; }
      });
    }
    up.pipe(res);
    up.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (!res.headersSent) { res.writeHead(502, { 'content-type': 'text/plain' }); res.end('lb: node ' + port + ' unreachable'); }
    else res.destroy();
  });
  req.on('aborted', () => upstream.destroy());
  res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
  req.pipe(upstream);
});

server.on('upgrade', (req, client, head) => {
  const port = nextNode();
  const upstream = net.connect(port, '127.0.0.1', () => {
    let lines = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    upstream.write(lines + '\r\n');
    if (head && head.length) upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
});

server.requestTimeout = 0;
server.headersTimeout = 60000;
server.keepAliveTimeout = 65000;
server.listen(listen, '127.0.0.1', () => console.log(`lb: 127.0.0.1:${listen} -> ${nodes.join(', ')}`));
