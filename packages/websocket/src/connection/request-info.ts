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
