'use strict';
/**
 * Baseline WebSocket echo: a bare `ws` server with the options a careful production user would pick, echoing every
 * message back in the frame kind it came in. Prints `Bench listening on http://HOST:PORT`.
 * Usage: node ws-echo.js [--port N]
 */

const { WebSocketServer } = require('ws');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => ws.terminate());
});
wss.on('listening', () => {
  const address = wss.address();
  console.log(`Bench listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
});
