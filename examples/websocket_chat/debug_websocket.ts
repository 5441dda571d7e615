/**
 * Step-by-step trace of one echo round trip, for when something is wrong: every event (handshake response,
 * open, send, message, close, error) is logged with a timestamp, the time since start and the connection state.
 * Gives up after 10 s, printing the state it was stuck in, and always closes the connection.
 *
 *   npm run debug:websocket [-- ws://host:port/ws]      (or SERV_URL=ws://… npm run debug:websocket)
 *
 * Exit code 0 when the echo arrived, 1 otherwise.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

const DEFAULT_URL = 'ws://127.0.0.1:8000/ws';
const MESSAGE = 'Hello, WebSocket!';
const TIMEOUT_MS = 10_000;
const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

/** The URL from argv[2], then SERV_URL, then the example's default address. */
const url = process.argv[2] ?? process.env.SERV_URL ?? DEFAULT_URL;
const startedAt = Date.now();
let step = 0;
let echoed = false;
let aborted = false;

/** Prints one numbered step: wall-clock time, milliseconds since start, socket state, message. */
function log(message: string): void {
  step += 1;
  const elapsed = String(Date.now() - startedAt).padStart(5);
  const state = STATE_NAMES[ws.readyState] ?? `state ${ws.readyState}`;
  console.log(`[${new Date().toISOString()}] +${elapsed} ms  #${String(step).padStart(2)}  ${state.padEnd(10)}  ${message}`);
}

const ws = new WebSocket(url, { handshakeTimeout: TIMEOUT_MS });
log(`connecting to ${url}`);

const timer = setTimeout(() => {
  log(`TIMEOUT: nothing conclusive after ${TIMEOUT_MS / 1000} s; closing`);
  shutDown();
}, TIMEOUT_MS);

/** Closes the connection whatever state it is in; the 'close' event then ends the run. */
function shutDown(): void {
  clearTimeout(timer);
  if (ws.readyState === WebSocket.OPEN) {
    log('closing with 1000 "Debug session finished"');
    ws.close(1000, 'Debug session finished');
  } else if (ws.readyState === WebSocket.CONNECTING) {
    log('aborting the handshake');
    aborted = true;
    ws.terminate();
  }
}

ws.on('upgrade', (response: IncomingMessage) => {
  log(`handshake answered: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd());
  for (const name of ['upgrade', 'connection', 'sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions']) {
    const value = response.headers[name];
    if (value !== undefined) log(`  ${name}: ${String(value)}`);
  }
});

// Registering this listener makes ws hand over refused handshakes (403, 401, 503 …) instead of only erroring.
ws.on('unexpected-response', (request, response: IncomingMessage) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8').trim().slice(0, 500);
    log(`handshake refused: HTTP ${response.statusCode} ${response.statusMessage ?? ''}${body ? ` — ${body}` : ''}`);
    request.destroy();
    shutDown();
  });
});

ws.on('open', () => {
  log(`open (subprotocol: ${ws.protocol || 'none'}, extensions: ${ws.extensions || 'none'})`);
  log(`sending text ${JSON.stringify(MESSAGE)} (${Buffer.byteLength(MESSAGE)} bytes)`);
  ws.send(MESSAGE, (error) => log(error ? `send failed: ${error.message}` : 'send flushed to the socket'));
});

ws.on('message', (data: Buffer, isBinary) => {
  const shown = isBinary ? `<${data.length} bytes: ${data.subarray(0, 32).toString('hex')}>` : JSON.stringify(data.toString('utf8'));
  log(`received ${isBinary ? 'binary' : 'text'} frame: ${shown}`);
  echoed = !isBinary && data.toString('utf8').includes('Echo:') && data.toString('utf8').includes(MESSAGE);
  log(echoed ? 'echo matches what was sent' : `unexpected reply: expected "Echo:" and ${JSON.stringify(MESSAGE)}`);
  shutDown();
});

ws.on('ping', () => log('ping from server (pong sent automatically)'));
ws.on('pong', () => log('pong from server'));

ws.on('error', (error: Error & { code?: string }) => {
  if (aborted) return; // the abort above already explained itself; ws reports it again as an error
  const hint = error.code === 'ECONNREFUSED' ? ' (no server is listening there; start it with: npx serv launch)' : '';
  log(`error: ${error.message}${error.code ? ` [${error.code}]` : ''}${hint}`);
});

ws.on('close', (code, reason) => {
  clearTimeout(timer);
  log(`closed: code ${code}, reason ${JSON.stringify(String(reason)) || '""'}`);
  log(echoed ? 'RESULT: OK, the server echoed the message' : 'RESULT: FAILED, no matching echo');
  process.exitCode = echoed ? 0 : 1;
});
