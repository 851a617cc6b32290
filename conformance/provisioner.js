// The ably-js suite's provisioner (ABLY_LOCAL_SANDBOX_URL, see docs/protocol.md §14) for a Herald cluster: POST /apps
// creates the app on the first node, replicates it (same keys) to the others, and points the clients at the
// balancer; DELETE /apps/{id} deletes it everywhere (with the caller's Authorization: a full-capability key of the
// app); POST /stats (fixtures) goes to the first node with the caller's Authorization.
// `./herald conformance --cluster` starts it. Usage: node provisioner.js LISTEN_PORT BALANCER_PORT NODE_PORT...
'use strict';
const http = require('http');
const [listen, balancer, ...nodes] = process.argv.slice(2).map(Number);
if (!listen || !balancer || nodes.length === 0) {
  console.error('usage: node provisioner.js LISTEN_PORT BALANCER_PORT NODE_PORT...');
  process.exit(2);
}

function call(port, method, path, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, method, path,
      headers: { ...(headers || {}), ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

http.createServer(async (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const text = Buffer.concat(chunks).toString();
      if (req.method === 'POST' && req.url.startsWith('/apps')) {
        const created = await call(nodes[0], 'POST', '/apps', text ? JSON.parse(text) : {});
        if (created.status >= 300) throw new Error('node ' + nodes[0] + ': ' + created.status + ' ' + created.body);
        const app = JSON.parse(created.body);
        // a node that already has this app replaces it only for a full-capability key of the app (Basic auth)
        const owner = { authorization: 'Basic ' + Buffer.from(app.keys[0].keyStr).toString('base64') };
        for (const port of nodes.slice(1)) {
          const r = await call(port, 'POST', '/apps', { ...app, replica: true }, owner);
          if (r.status >= 300) throw new Error('node ' + port + ': ' + r.status + ' ' + r.body);
        }
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...app, endpoint: '127.0.0.1', port: balancer, tls: false }));
      } else if (req.method === 'DELETE' && req.url.startsWith('/apps/')) {
        for (const port of nodes) await call(port, 'DELETE', req.url, undefined, { authorization: req.headers.authorization || '' });
        res.writeHead(204);
        res.end();
      } else if (req.method === 'POST' && req.url.startsWith('/stats')) {
        // fixtures go to one node: the Redis engine's stats store is shared, so every node reads them back
        const r = await call(nodes[0], 'POST', req.url, text ? JSON.parse(text) : [],
          { authorization: req.headers.authorization || '' });
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(r.body);
      } else {
        res.writeHead(404);
        res.end();
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
}).listen(listen, '127.0.0.1', () => console.log(`provisioner: 127.0.0.1:${listen} (nodes ${nodes.join(', ')}, balancer ${balancer})`));
