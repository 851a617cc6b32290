// A round-robin TCP balancer for conformance runs against several Herald nodes: every new TCP connection (a REST
// keep-alive connection or a WebSocket) goes to the next node. `./herald conformance --cluster` starts it.
// Usage: node lb.js LISTEN_PORT NODE_PORT...
'use strict';
const net = require('net');
const [listen, ...nodes] = process.argv.slice(2).map(Number);
if (!listen || nodes.length === 0) {
  console.error('usage: node lb.js LISTEN_PORT NODE_PORT...');
  process.exit(2);
}
let next = 0;
net.createServer((client) => {
  const port = nodes[next++ % nodes.length];
  const upstream = net.connect(port, '127.0.0.1');
  client.pipe(upstream).pipe(client);
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
}).listen(listen, '127.0.0.1', () => console.log(`lb: 127.0.0.1:${listen} -> ${nodes.join(', ')}`));
