/**
 * Smoke test for the running chat example: sends "Hello, WebSocket!" and passes when an echo containing "Echo:"
 * and the text arrives within 5 s.
 *
 *   npm run test:connection [-- ws://host:port/ws]      (or SERV_URL=ws://… npm run test:connection)
 *
 * Exit code 0 on success, 1 on any failure (no server, refused handshake, wrong or missing reply).
 */
import WebSocket from 'ws';

const DEFAULT_URL = 'ws://127.0.0.1:8000/ws';
const MESSAGE = 'Hello, WebSocket!';
const REPLY_TIMEOUT_MS = 5000;
const START_HINT = 'Start it with: cd examples/websocket_chat && npx serv launch';

/** The URL from argv[2], then SERV_URL, then the example's default address. */
const url = process.argv[2] ?? process.env.SERV_URL ?? DEFAULT_URL;

/** True when the error means nothing is listening at the address (also inside Node's AggregateError). */
function isRefused(error: Error & { code?: string; errors?: Array<{ code?: string }> }): boolean {
  return error.code === 'ECONNREFUSED' || (error.errors ?? []).some((inner) => inner.code === 'ECONNREFUSED');
}

function fail(message: string): void {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
}

console.log(`Connecting to ${url} ...`);
const ws = new WebSocket(url);
let settled = false;

/** Ends the run once: records the outcome, stops the timer and closes the socket so the process can exit. */
function finish(outcome: () => void): void {
  if (settled) return;
  settled = true;
  clearTimeout(timer);
  outcome();
  if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'Test finished');
  else ws.terminate();
}

const timer = setTimeout(() => {
  finish(() => fail(`no reply within ${REPLY_TIMEOUT_MS / 1000} s from ${url}`));
}, REPLY_TIMEOUT_MS);

ws.on('open', () => {
  console.log('Connected.');
  ws.send(MESSAGE);
  console.log(`Sent:     ${MESSAGE}`);
});

ws.on('message', (data, isBinary) => {
  const reply = isBinary ? `<${(data as Buffer).length} binary bytes>` : String(data);
  console.log(`Received: ${reply}`);
  finish(() => {
    if (!isBinary && reply.includes('Echo:') && reply.includes(MESSAGE)) console.log('PASS: the server echoed the message.');
    else fail(`expected a reply containing "Echo:" and "${MESSAGE}", got ${JSON.stringify(reply)}`);
  });
});

ws.on('error', (error: Error) => {
  finish(() => {
    if (isRefused(error)) fail(`no server is running at ${url} (connection refused). ${START_HINT}`);
    else fail(`could not talk to ${url}: ${error.message}`);
  });
});

ws.on('close', (code, reason) => {
  finish(() => fail(`the server closed the connection before replying (${code}): ${String(reason) || 'No reason provided'}`));
});
