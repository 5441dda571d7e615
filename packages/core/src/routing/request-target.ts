import { normalizePath } from './path-pattern';

/** A request target split for routing: the normalised path (still percent-encoded) and the raw query string. */
export interface RequestTarget {
  /** The path with one leading `/` and no trailing `/`, not decoded: routes match on it segment by segment. */
  readonly path: string;
  /** The query string without `?`, not decoded. */
  readonly queryString: string;
}

/** Why a request target is refused with 400 before any route is matched. */
export interface BadRequestTarget {
  readonly error: string;
}

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
const QUESTION = 0x3f;
const PERCENT = 0x25;
const DOT = 0x2e;

/**
 * Split and check a request target (`req.url`). A NUL byte anywhere (raw or `%00`) and a `.` or `..` segment in the
 * path (raw or encoded as `%2e`) are refused: browsers resolve dot segments before sending, so only a client probing
 * for traversal sends them, and refusing is simpler to reason about than resolving them differently from a proxy.
 * @example parseRequestTarget('/files/a.txt?x=1') // { path: '/files/a.txt', queryString: 'x=1' }
 */
export function parseRequestTarget(url: string): RequestTarget | BadRequestTarget {
  // One pass finds the query's start and whether the checks below are needed at all: the common request has no NUL,
  // no '%' and no '.' in its path, and one loop over its characters costs less than a builtin scan for each of them.
  let q = -1;
  let nul = false;
  let percent = false;
  let dotOrPercentInPath = false;
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c > QUESTION) continue; // letters and most punctuation: the four characters looked for all sort before '?'
    if (c === QUESTION) {
      if (q < 0) q = i;
    } else if (c === PERCENT) {
      percent = true;
      if (q < 0) dotOrPercentInPath = true;
    } else if (c === DOT) {
      if (q < 0) dotOrPercentInPath = true;
    } else if (c === 0) {
      nul = true;
    }
  }
  if (nul || (percent && /%00/i.test(url))) return { error: 'Request target contains a NUL byte' };
  const rawPath = q < 0 ? url : url.slice(0, q);
  if (dotOrPercentInPath && DOT_SEGMENT.test(rawPath)) {
    return { error: `Request path ${JSON.stringify(rawPath)} contains a "." or ".." segment` };
  }
  return { path: normalizePath(rawPath), queryString: q < 0 ? '' : url.slice(q + 1) };
}
