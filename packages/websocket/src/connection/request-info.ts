/** The path and raw query of a request target: `/ws?a=1` → `['/ws', 'a=1']`. */
export function splitRequestTarget(url: string): [path: string, queryString: string] {
  const index = url.indexOf('?');
  return index === -1 ? [url, ''] : [url.slice(0, index), url.slice(index + 1)];
}

// One query parser for HTTP and WebSocket requests (null-prototype, last value wins), owned by @serv/core.
export { parseQuery } from '@serv/core';

/**
 * Headers that only carry the handshake itself, not kept with the connection: `Connection` and `Upgrade` are
 * hop-by-hop (a proxy sends its own), `Sec-WebSocket-Key` is a nonce the handshake used up, and `Sec-WebSocket-Version`
 * can only be 13 once `ws` has accepted it. Dropping them keeps ~100 bytes less per idle connection.
 */
const HANDSHAKE_ONLY = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version']);

/**
 * Node's `rawHeaders` pairs as the flat "name\nvalue\n…" text a connection keeps (one string instead of Node's array of
 * small strings; HTTP forbids newlines in names and values), without the handshake-only headers.
 */
export function keptHeaderText(rawHeaders: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!HANDSHAKE_ONLY.has(name.toLowerCase())) kept.push(name, rawHeaders[i + 1] as string);
  }
  return kept.join('\n');
}

/**
 * Build a lower-cased header record from Node's `rawHeaders` pairs joined with "\n" (HTTP forbids newlines in
 * header names and values); repeats are joined with ", " ("; " for Cookie), as HTTP allows, so no value is lost.
 */
export function headersFromText(headerText: string): Record<string, string> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  if (headerText === '') return headers;
  const parts = headerText.split('\n');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = (parts[i] as string).toLowerCase();
    const value = parts[i + 1] as string;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}

/**
 * A dotted-quad IPv4 address as one 32-bit integer, which V8 keeps inside the field (the address as a string is
 * 32 bytes more per idle connection); anything else (IPv6, a name a trusted proxy forwarded, '') stays as it is.
 * Only the canonical form is packed (no leading zeros), so `hostText(compactHost(host)) === host` always.
 */
export function compactHost(host: string): string | number {
  let value = 0;
  let part = -1; // the current part's value, -1 before its first digit
  let dots = 0;
  for (let i = 0; i < host.length; i += 1) {
    const c = host.charCodeAt(i);
    if (c === 46 /* . */) {
      if (part < 0 || dots === 3) return host;
      value = value * 256 + part;
      part = -1;
      dots += 1;
    } else if (c >= 48 && c <= 57 && part !== 0) {
      part = part < 0 ? c - 48 : part * 10 + c - 48;
      if (part > 255) return host;
    } else {
      return host; // not a digit, or a digit after a leading zero
    }
  }
  return dots === 3 && part >= 0 ? (value * 256 + part) | 0 : host;
}

/** The text of a host kept by `compactHost`. */
export function hostText(host: string | number): string {
  return typeof host === 'string' ? host : `${host >>> 24}.${(host >>> 16) & 255}.${(host >>> 8) & 255}.${host & 255}`;
}

/**
 * Hands back the previous string when the next one is equal, so that equal strings from successive connections
 * (the peer address behind a proxy or load balancer, the path of a busy route) are kept once rather than once per
 * idle connection. The string each connection brought becomes garbage at once.
 */
export class RepeatedString {
  private last = '';

  /** `value`, or the equal string handed out before. */
  share(value: string): string {
    if (value === this.last) return this.last;
    this.last = value;
    return value;
  }
}
