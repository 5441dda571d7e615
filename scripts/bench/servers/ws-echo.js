'use strict';
/**
 * Baseline WebSocket echo: a bare `ws` server with the options a careful production user would pick.
 * Modes (one per process):
 * - default: echoes every message back as it came (raw Buffer: the transport's ceiling);
 * - `--app-work`: the same application work as Serv's echo chat, in a `'message'` callback: each text frame is decoded
 *   to a string and answered as `Echo: <text>` (binary frames as they came). Serv's contract hands text frames to
 *   handlers as strings, so this is the baseline the echo chat's targets are judged on;
 * - `--for-await` (control, `--controls`): the same app work written the way Serv's contract has handlers written,
 *   `for await (const message of inbox) await send(…)`, over the smallest inbox that can feed such a loop. It prices
 *   that programming model on bare `ws`, with no Serv code involved;
 * - `--for-await-drop` (control): the same loop, but the message is dropped before the handler suspends, so the
 *   suspended function does not keep the last message alive (see scripts/bench/results/2026-11-26-analysis.md).
 * Prints `Bench listening on http://HOST:PORT`.
 * Usage: node ws-echo.js [--port N] [--app-work | --for-await | --for-await-drop]
 */

const { WebSocketServer } = require('ws');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);
const mode = ['--app-work', '--for-await', '--for-await-drop'].find((flag) => process.argv.includes(flag)) || 'raw';

const RESOLVED = Promise.resolve();

/** The smallest async-iterable inbox: queue while nobody waits, resolve the waiting `next()` otherwise. */
class Inbox {
  constructor(wrap) {
    this.wrap = wrap;
    this.queue = [];
    this.waiting = null;
    this.ended = false;
  }

  /** The connection closed: a waiting loop ends, later reads end at once. */
  end() {
    this.ended = true;
    if (this.waiting === null) return;
    const resolve = this.waiting;
    this.waiting = null;
    resolve({ value: undefined, done: true });
  }

  push(data, isBinary) {
    const value = this.wrap(isBinary ? data : data.toString());
    if (this.waiting === null) {
      this.queue.push(value);
      return;
    }
    const resolve = this.waiting;
    this.waiting = null;
    resolve({ value, done: false });
  }

  next() {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift(), done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

function echoOf(message) {
  return typeof message === 'string' ? `Echo: ${message}` : message;
}

/** The contract's handler shape: the loop variable holds the message while the handler is suspended. */
async function forAwaitHandler(ws, inbox) {
  for await (const message of inbox) await send(ws, echoOf(message));
}

/** The same loop over boxes emptied before the handler suspends: nothing keeps the message alive. */
async function forAwaitDropHandler(ws, inbox) {
  for await (const box of inbox) await send(ws, takeEcho(box));
}

function takeEcho(box) {
  const message = box.message;
  box.message = null;
  return echoOf(message);
}

/** `ws.send` behind a promise, like Serv's `await ws.send()` on its fast path. */
function send(ws, data) {
  ws.send(data);
  return RESOLVED;
}

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  // The handler is chosen once per connection, so no variant pays a per-message branch on the mode.
  if (mode === '--app-work') {
    ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `Echo: ${data.toString()}`));
  } else if (mode === '--for-await' || mode === '--for-await-drop') {
    const drop = mode === '--for-await-drop';
    const inbox = new Inbox(drop ? (message) => ({ message }) : (message) => message);
    ws.on('message', (data, isBinary) => inbox.push(data, isBinary));
    ws.on('close', () => inbox.end());
    (drop ? forAwaitDropHandler : forAwaitHandler)(ws, inbox);
  } else {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  }
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
