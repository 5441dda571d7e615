'use strict';
/**
 * Peer (opt-in, `--peers`) of the rooms benchmark: socket.io with every `?role=member` socket in room `bench` and
 * `io.to('bench').emit('m', data)` for each `pub` event, WebSocket transport only and no compression. With
 * `--redis URL` it runs @socket.io/redis-adapter over node-redis (the `redis` of scripts/bench/package.json: the
 * adapter documents node-redis 4.6+, and 5.x is the version Serv's broker uses), so two such processes form one cluster.
 * Prints `Bench listening on http://HOST:PORT`.
 * Usage: node socketio-rooms.js [--port N] [--redis URL --key PREFIX]
 */

const http = require('node:http');
const { Server } = require('socket.io');

const flag = (name) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};

async function main() {
  const server = http.createServer();
  const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, maxHttpBufferSize: 1024 * 1024, serveClient: false });
  const redisUrl = flag('--redis');
  const clients = [];
  if (redisUrl !== undefined) {
    const { createAdapter } = require('@socket.io/redis-adapter');
    const { createClient } = require('redis');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    // node-redis emits 'error' on every failed reconnect: print it (an unhandled 'error' event would end the process).
    for (const client of [pub, sub]) client.on('error', (error) => console.error(`redis: ${error.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    clients.push(pub, sub);
    io.adapter(createAdapter(pub, sub, { key: flag('--key') || 'socket.io' }));
  }
  io.on('connection', (socket) => {
    if (socket.handshake.query.role === 'member') socket.join('bench');
    socket.on('pub', (data) => io.to('bench').emit('m', data));
  });
  server.listen(Number(flag('--port') || 0), '127.0.0.1', () => {
    console.log(`Bench listening on http://127.0.0.1:${server.address().port}`);
  });
  process.on('SIGTERM', () => {
    io.close(() => Promise.all(clients.map((c) => c.close())).finally(() => process.exit(0)));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
