'use strict';
/**
 * Client adapters of the load generators: one per wire protocol, all with the same tiny surface so the echo and idle
 * generators drive bare `ws`, Serv, a NestJS gateway and socket.io the same way.
 *
 * A client is `{ send(), onEcho(cb), close() }`; `cb(ok)` fires once per echo, `ok` false when the echo is not the
 * sent payload (optionally behind the server's fixed prefix, e.g. Serv's "Echo: ").
 */

const WebSocket = require('ws');

const TEXT = Object.freeze({ binary: false });
const CONNECT_TIMEOUT_MS = 15000;

function matchesEcho(data, payload, prefix) {
  if (data.length === payload.length) return data.equals(payload);
  if (prefix.length === 0 || data.length !== payload.length + prefix.length) return false;
  return data.subarray(0, prefix.length).equals(prefix) && data.subarray(prefix.length).equals(payload);
}

/** Plain WebSocket text echo (bare ws, Serv). */
function connectRaw(url, { payload, prefix, localAddress }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress, handshakeTimeout: CONNECT_TIMEOUT_MS });
    let onEcho = () => {};
    ws.on('message', (data, isBinary) => onEcho(!isBinary && matchesEcho(data, payload, prefix)));
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      resolve({
        send: () => ws.send(payload, TEXT),
        onEcho: (cb) => { onEcho = cb; },
        onClose: (cb) => ws.once('close', cb),
        isOpen: () => ws.readyState === WebSocket.OPEN,
        close: () => ws.terminate(),
      });
    });
    ws.once('error', reject);
  });
}

/** NestJS gateway on @nestjs/platform-ws: `{"event":"echo","data":…}` both ways. */
function connectNest(url, { payload, localAddress }) {
  const text = payload.toString('latin1');
  const frame = Buffer.from(JSON.stringify({ event: 'echo', data: text }));
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress, handshakeTimeout: CONNECT_TIMEOUT_MS });
    let onEcho = () => {};
    ws.on('message', (data) => {
      let ok = false;
      try {
        const parsed = JSON.parse(data.toString());
        ok = parsed.event === 'echo' && parsed.data === text;
      } catch {
        ok = false;
      }
      onEcho(ok);
    });
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      resolve({
        send: () => ws.send(frame, TEXT),
        onEcho: (cb) => { onEcho = cb; },
        onClose: (cb) => ws.once('close', cb),
        isOpen: () => ws.readyState === WebSocket.OPEN,
        close: () => ws.terminate(),
      });
    });
    ws.once('error', reject);
  });
}

/** socket.io over its WebSocket transport only (no long-polling), `emit('echo', text)` both ways. */
function connectSocketIo(url, { payload }) {
  // Resolved from scripts/bench so the opt-in install (`npm install --prefix scripts/bench`) is found.
  const { io } = require(require.resolve('socket.io-client', { paths: [__dirname] }));
  const text = payload.toString('latin1');
  const base = url.replace(/^ws/, 'http').replace(/\/socket\.io\/?$/, '');
  return new Promise((resolve, reject) => {
    const socket = io(base, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_TIMEOUT_MS });
    let onEcho = () => {};
    socket.on('echo', (data) => onEcho(data === text));
    socket.once('connect', () => {
      socket.off('connect_error', reject);
      resolve({
        send: () => socket.emit('echo', text),
        onEcho: (cb) => { onEcho = cb; },
        onClose: (cb) => socket.once('disconnect', cb),
        isOpen: () => socket.connected,
        close: () => socket.disconnect(),
      });
    });
    socket.once('connect_error', reject);
  });
}

const CONNECTORS = { raw: connectRaw, nest: connectNest, socketio: connectSocketIo };

/** Opens one client of `protocol` ('raw' | 'nest' | 'socketio') to `url`. */
function connect(protocol, url, options) {
  const connector = CONNECTORS[protocol];
  if (!connector) throw new Error(`unknown protocol "${protocol}" (expected one of ${Object.keys(CONNECTORS).join(', ')})`);
  return connector(url, options);
}

/**
 * Opens `count` clients with at most `concurrency` handshakes in flight (so the listen backlog never overflows),
 * cycling through `localAddresses`; resolves with the clients and the failures, bounded by `deadlineMs`.
 */
async function connectMany(protocol, url, { count, concurrency, deadlineMs, localAddresses, payload, prefix }) {
  const clients = [];
  const failures = [];
  const deadline = Date.now() + deadlineMs;
  let next = 0;
  async function worker() {
    while (next < count && Date.now() < deadline) {
      const index = next;
      next += 1;
      const localAddress = localAddresses.length > 0 ? localAddresses[index % localAddresses.length] : undefined;
      try {
        clients.push(await connect(protocol, url, { payload, prefix, localAddress }));
      } catch (error) {
        failures.push(error.code || error.message);
        // Connections that fail because a limit is reached keep failing: stop early instead of hammering.
        if (failures.length > Math.max(50, count / 100)) return;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, failures, timedOut: next < count && Date.now() >= deadline };
}

module.exports = { connect, connectMany, matchesEcho };
