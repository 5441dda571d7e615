/** Query values by name; a repeated name keeps its last value (the raw string has them all). */
export type QueryValues = Record<string, string>;

/**
 * Decode a raw query string (without `?`) into name → last value, for HTTP requests and WebSocket handshakes alike.
 * The record has no prototype, so a name such as `__proto__` or `constructor` is just a name.
 */
export function parseQuery(raw: string): QueryValues {
  const out: QueryValues = Object.create(null) as QueryValues;
  if (raw === '') return out;
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}
