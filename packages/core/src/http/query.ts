/** Query values by name; a repeated name keeps its last value (all values are in `queryAll`). */
export type QueryValues = Record<string, string>;

/** Parse a raw query string (without `?`) into name → last value. */
export function parseQuery(raw: string): QueryValues {
  const out: QueryValues = {};
  if (raw === '') return out;
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}
