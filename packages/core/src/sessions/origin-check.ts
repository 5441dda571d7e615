import type { BaseContext } from '../http/base-context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Whether `origin` is in `list`, compared as WebSocket `origins` are: case-insensitive, trailing `/` ignored, `'*'` any. */
export function isListedOrigin(origin: string, list: readonly string[]): boolean {
  const wanted = normalise(origin);
  return list.some((entry) => entry === '*' || normalise(entry) === wanted);
}

function normalise(origin: string): string {
  const lower = origin.toLowerCase();
  return lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/** Whether `origin` (an `Origin` header value) names the host the request was sent to (`ctx.host`, scheme aside), or is trusted. */
export function isSameOrTrustedOrigin(origin: string, host: string | undefined, trusted: readonly string[]): boolean {
  if (isListedOrigin(origin, trusted)) return true;
  if (host === undefined || origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  return originHost.toLowerCase() === host.toLowerCase();
}

/**
 * CSRF for cookie sessions: why an unsafe request (POST, PUT, PATCH, DELETE …) from another site must be refused,
 * or null when it may pass. Browsers say where a request comes from (`Sec-Fetch-Site`, else `Origin`); a request
 * with neither header is not a browser's cross-site request (curl, server to server) and passes.
 */
export function crossSiteRequestProblem(ctx: BaseContext, method: string, trusted: readonly string[]): string | null {
  if (SAFE_METHODS.has(method)) return null;
  const origin = ctx.header('origin');
  if (origin !== undefined && isListedOrigin(origin, trusted)) return null;
  const site = ctx.header('sec-fetch-site');
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return null;
    return `Cross-site ${method} refused (Sec-Fetch-Site: ${site}); sessions accept unsafe methods from the same origin or settings.sessions.trusted_origins`;
  }
  if (origin === undefined || isSameOrTrustedOrigin(origin, ctx.host, trusted)) return null;
  return `Cross-origin ${method} from ${origin} refused; sessions accept unsafe methods from the same origin or settings.sessions.trusted_origins`;
}

/**
 * Cross-site WebSocket hijacking: a handshake that carries the session cookie must come from the page's own origin,
 * from the route's `origins` or from `trusted_origins`; returns why not, or null. Browsers always send `Origin` on
 * a WebSocket handshake, so a handshake without one is not a browser's and passes.
 */
export function crossSiteHandshakeProblem(ctx: BaseContext, routeOrigins: readonly string[], trusted: readonly string[]): string | null {
  const origin = ctx.header('origin');
  if (origin === undefined) return null;
  if (isListedOrigin(origin, routeOrigins) || isSameOrTrustedOrigin(origin, ctx.host, trusted)) return null;
  return `Origin ${origin} may not open a WebSocket with this site's session cookie (cross-site WebSocket hijacking); ` +
    'add it to the route\'s origins or to settings.sessions.trusted_origins if it is yours';
}
