'use strict';
/**
 * Baseline WebSocket echo: a bare `ws` server with the options a careful production user would pick.
 * By default it echoes every message back as it came (raw Buffer: the transport's ceiling). With `--app-work` it does
 * the same application work as Serv's echo chat: each text frame is decoded to a string and answered as
 * `Echo: <text>` (binary frames as they came) — Serv's contract hands text frames to handlers as strings, so this is
 * the fair baseline for the echo chat. Prints `Bench listening on http://HOST:PORT`.
 * Usage: node ws-echo.js [--port N] [--app-work]
 */

const { WebSocketServer } = require('ws');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);

const appWork = process.argv.includes('--app-work');

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  // The handler is chosen once per connection, so neither variant pays a per-message branch on the flag.
  if (appWork) ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `Echo: ${data.toString()}`));
  else ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
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
