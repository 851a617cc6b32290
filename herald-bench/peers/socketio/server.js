// Socket.IO 4 peer for herald-bench: the same broadcast as Herald's channels, nothing more.
// Usage: node --expose-gc server.js PORT
//   join:  emit("join", room, ack)      -> socket.join(room), then ack()
//   pub:   emit("pub", room, data)      -> io.to(room).emit("msg", data)  (encoded once per broadcast)
//   GET /health/ready                   -> 200 once listening
//   GET /stats                          -> forces a GC, then heap and RSS in bytes
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 3001);
const json = (res, body) => res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
const httpServer = http.createServer((req, res) => {
  if (req.url === "/health/ready") return json(res, '{"status":"ready"}');
  if (req.url === "/stats") {
    if (global.gc) { global.gc(); global.gc(); }
    const m = process.memoryUsage();
    return json(res, JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss, external: m.external, connections: io.engine.clientsCount }));
  }
  res.writeHead(404).end();
});
const io = new Server(httpServer, { transports: ["websocket"], serveClient: false, perMessageDeflate: false });
io.on("connection", (socket) => {
  socket.on("join", (room, ack) => { socket.join(room); if (typeof ack === "function") ack(); });
  socket.on("pub", (room, data) => io.to(room).emit("msg", data));
});
httpServer.listen(port, "127.0.0.1", () => console.log(`socket.io peer listening on ${port}`));
