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

/**
 * Split and check a request target (`req.url`). A NUL byte anywhere (raw or `%00`) and a `.` or `..` segment in the
 * path (raw or encoded as `%2e`) are refused: browsers resolve dot segments before sending, so only a client probing
 * for traversal sends them, and refusing is simpler to reason about than resolving them differently from a proxy.
 * @example parseRequestTarget('/files/a.txt?x=1') // { path: '/files/a.txt', queryString: 'x=1' }
 */
export function parseRequestTarget(url: string): RequestTarget | BadRequestTarget {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  // The common request has neither '%' nor '/.' nor NUL: one scan each, no regex.
  if (url.includes('%') || url.includes('\0')) {
    if (url.includes('\0') || /%00/i.test(url)) return { error: 'Request target contains a NUL byte' };
  }
  if ((rawPath.includes('.') || rawPath.includes('%')) && DOT_SEGMENT.test(rawPath)) {
    return { error: `Request path ${JSON.stringify(rawPath)} contains a "." or ".." segment` };
  }
  return { path: normalizePath(rawPath), queryString: q < 0 ? '' : url.slice(q + 1) };
}
