import type { IncomingMessage } from 'node:http';

/** Why an upgrade request cannot become a WebSocket, as the HTTP answer to send. */
export interface HandshakeRefusal {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
const TOKEN_PATTERN = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;

// The one writer of refused upgrades lives in @serv/core (the core refuses upgrades too: 400, 503).
export { rejectUpgrade as writeHandshakeRejection } from '@serv/core';

/**
 * Check the parts of an upgrade request that `ws` would otherwise refuse at `accept()` time, so a handler never
 * runs for a request that cannot be upgraded. Returns null when the request is a valid WebSocket handshake.
 */
export function checkUpgradeRequest(req: IncomingMessage): HandshakeRefusal | null {
  if (req.method !== 'GET') {
    return { status: 405, body: `WebSocket handshake must use GET, got ${String(req.method)}`, headers: { Allow: 'GET' } };
  }
  // RFC 6455 §4.1: the opening handshake is an HTTP/1.1 (or later) GET with a Host header.
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
    return { status: 400, body: `WebSocket handshake needs HTTP/1.1, got HTTP/${req.httpVersion}` };
  }
  if (req.headers.host === undefined || req.headers.host === '') {
    return { status: 400, body: 'WebSocket handshake needs a Host header' };
  }
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') {
    return { status: 400, body: `Invalid Upgrade header: expected "websocket", got ${JSON.stringify(upgrade ?? null)}` };
  }
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY_PATTERN.test(key)) {
    return { status: 400, body: 'Missing or invalid Sec-WebSocket-Key header' };
  }
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return {
      status: 400,
      body: 'Missing or invalid Sec-WebSocket-Version header',
      headers: { 'Sec-WebSocket-Version': '13, 8' },
    };
  }
  if (parseSubprotocols(req.headers['sec-websocket-protocol']) === null) {
    return { status: 400, body: 'Invalid Sec-WebSocket-Protocol header' };
  }
  return null;
}

/** The subprotocols a client offered, in its order; [] when none, null when the header is malformed. */
export function parseSubprotocols(header: string | undefined): string[] | null {
  if (header === undefined) return [];
  const names = header.split(',').map((name) => name.trim());
  if (names.some((name) => !TOKEN_PATTERN.test(name)) || new Set(names).size !== names.length) return null;
  return names;
}

/** True when `origin` may open a connection: empty list or `'*'` = any; a missing Origin (non-browser) is allowed. */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || allowed.length === 0) return true;
  const wanted = normaliseOrigin(origin);
  return allowed.some((entry) => entry === '*' || normaliseOrigin(entry) === wanted);
}

function normaliseOrigin(origin: string): string {
  const lower = origin.trim().toLowerCase();
  return lower.endsWith('/') ? lower.slice(0, -1) : lower;
}
