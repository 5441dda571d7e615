'use strict';
/**
 * Startup measurement helpers: a free port to launch on, and a bounded poll-connect loop that retries only while the
 * port refuses connections (the server is not listening yet) and stops on the first accepted WebSocket handshake.
 */

const net = require('node:net');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');

const RETRY_DELAY_MS = 2;

/** A port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tryOnce(url) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 5000 });
    ws.once('open', () => {
      const at = performance.now();
      ws.terminate();
      resolve({ ok: true, at });
    });
    ws.once('error', (error) => {
      ws.terminate();
      resolve({ ok: false, error });
    });
  });
}

/**
 * Resolves with performance.now() of the first accepted connection to `url`; retries on ECONNREFUSED at most
 * `maxAttempts` times and `deadlineMs` in all; rejects at once on any other error or when `child` exits.
 */
async function pollConnect(url, { child, maxAttempts = 5000, deadlineMs = 20000 }) {
  const deadline = performance.now() + deadlineMs;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (child.exited) throw new Error(`${child.name} exited before accepting a connection; last output:\n${child.tailText()}`);
    const outcome = await tryOnce(url);
    if (outcome.ok) return { at: outcome.at, attempts: attempt };
    if (outcome.error.code !== 'ECONNREFUSED') throw new Error(`connecting to ${url} failed: ${outcome.error.message}`);
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
  throw new Error(`${url} refused every connection for ${deadlineMs} ms (${maxAttempts} attempts at most); last output:\n${child.tailText()}`);
}

module.exports = { freePort, pollConnect };
