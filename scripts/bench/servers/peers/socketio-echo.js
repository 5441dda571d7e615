'use strict';
/**
 * Peer (opt-in, `--peers`): a socket.io server echoing `echo` events, WebSocket transport only and no compression,
 * the fastest way socket.io can be set up. Prints `Bench listening on http://HOST:PORT`.
 * Needs `npm install --prefix scripts/bench` (socket.io is a dev dependency of the bench package only).
 */

const http = require('node:http');
const { Server } = require('socket.io');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);

const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, maxHttpBufferSize: 1024 * 1024, serveClient: false });
io.on('connection', (socket) => {
  socket.on('echo', (data) => socket.emit('echo', data));
});
server.listen(port, '127.0.0.1', () => {
  console.log(`Bench listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => {
  io.close(() => process.exit(0));
});
