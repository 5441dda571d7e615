/** The formats Serv's default error handler can answer with. */
export type ErrorFormat = 'html' | 'json' | 'text';

const CANDIDATES: ReadonlyArray<[string, ErrorFormat]> = [
  ['text/html', 'html'],
  ['application/json', 'json'],
  ['text/plain', 'text'],
];

/**
 * Pick html, json or text from an `Accept` header by quality and specificity;
 * a missing header or a bare wildcard gets text, like Starlette and curl users expect.
 */
export function negotiateFormat(accept: string | undefined): ErrorFormat {
  if (accept === undefined || accept.trim() === '' || accept.trim() === '*/*') return 'text';
  let best: ErrorFormat = 'text';
  let bestQ = 0;
  let bestSpecific = -1;
  for (const part of accept.split(',')) {
    const [rawType, ...rawParams] = part.trim().toLowerCase().split(';');
    const type = rawType.trim();
    let q = 1;
    for (const p of rawParams) {
      const [k, v] = p.trim().split('=');
      if (k === 'q') q = Number(v);
    }
    if (!(q > 0)) continue;
    for (const [mime, format] of CANDIDATES) {
      const specific = type === mime ? 2 : type === `${mime.split('/')[0]}/*` ? 1 : type === '*/*' ? 0 : -1;
      if (specific < 0) continue;
      if (q > bestQ || (q === bestQ && specific > bestSpecific)) {
        best = format;
        bestQ = q;
        bestSpecific = specific;
      }
    }
  }
  return best;
}
