'use strict';
/**
 * Baseline WebSocket echo doing the same application work as Serv's echo chat: a bare `ws` server (same options as
 * ws-echo.js) that decodes each text frame to a string and answers `Echo: <text>` as a new string, binary frames
 * echoed as they came. Serv's contract hands text frames to handlers as strings, so this is the fair baseline for the
 * echo chat; ws-echo.js (raw Buffer back, no decoding) stays beside it as the transport's ceiling.
 * Prints `Bench listening on http://HOST:PORT`.
 * Usage: node ws-echo-app.js [--port N]
 */

const { WebSocketServer } = require('ws');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `Echo: ${data.toString()}`));
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
