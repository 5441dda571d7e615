'use strict';
/**
 * Baseline of the rooms broadcast benchmark: a bare `ws` server holding one room. Members connect with `?role=member`;
 * every message a publisher (`?role=pub`) sends is framed once (`Sender.frame`) and the same bytes are written to
 * every member's socket: the cheapest correct broadcast `ws` allows. Prints `Bench listening on http://HOST:PORT`.
 * Usage: node rooms-ws.js [--port N]
 */

const { WebSocketServer, WebSocket } = require('ws');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);

const members = new Set();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 1024 * 1024, clientTracking: false });
wss.on('connection', (ws, req) => {
  const role = new URL(req.url, 'http://x').searchParams.get('role');
  if (role === 'member') {
    members.add(ws);
    ws.on('close', () => members.delete(ws));
    return;
  }
  ws.on('message', (data, isBinary) => {
    const parts = WebSocket.Sender.frame(data, { fin: true, rsv1: false, opcode: isBinary ? 2 : 1, mask: false, readOnly: true });
    const frame = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    for (const member of members) member._socket.write(frame);
  });
});
wss.on('listening', () => console.log(`Bench listening on http://127.0.0.1:${wss.address().port}`));
process.on('SIGTERM', () => process.exit(0));
