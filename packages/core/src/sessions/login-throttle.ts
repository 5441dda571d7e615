import { HttpError } from '../errors/http-errors';

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failed attempts allowed per key within `windowS` before it is locked (default 5). */
  maxFailures?: number;
  /** The window in seconds; a key's failures are forgotten this long after its first one (default 900). */
  windowS?: number;
}

/**
 * Limits failed logins per key — call it with the user name and the client address, so that neither guessing one
 * account's password nor spraying many accounts from one address gets far. Counts live in this process's memory
 * (behind several instances, each counts its own).
 *
 * @example
 * ```ts
 * const throttle = new LoginThrottle({ maxFailures: 5, windowS: 900 });
 * const keys = [`user:${form.name}`, `ip:${ctx.req.socket.remoteAddress}`];
 * throttle.check(keys);                                        // 429 with Retry-After when locked
 * if (!(await verifyPassword(form.password, user.hash))) { throttle.fail(keys); throw new UnauthorizedError(); }
 * throttle.succeed(keys);
 * ```
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = (options.windowS ?? 900) * 1000;
    if (!Number.isSafeInteger(this.maxFailures) || this.maxFailures < 1) throw new TypeError(`LoginThrottle: maxFailures must be a positive integer, got ${options.maxFailures}`);
    if (!(this.windowMs > 0)) throw new TypeError(`LoginThrottle: windowS must be a positive number, got ${options.windowS}`);
  }

  /** Throw a 429 (with `Retry-After`) when any of `keys` has used up its failures. */
  check(keys: readonly string[]): void {
    const now = Date.now();
    for (const key of keys) {
      const entry = this.live(key, now);
      if (entry !== undefined && entry.count >= this.maxFailures) {
        const retryAfterS = Math.ceil((entry.resetAt - now) / 1000);
        throw new HttpError(429, 'Too many failed logins; try again later', { headers: { 'retry-after': String(retryAfterS) } });
      }
    }
  }

  /** Count one failed attempt against each of `keys`. */
  fail(keys: readonly string[]): void {
    const now = Date.now();
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) this.live(key, now);
    for (const key of keys) {
      const entry = this.live(key, now);
      if (entry === undefined) this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
      else entry.count += 1;
    }
  }

  /** Forget the failures of `keys` (after a successful login). */
  succeed(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private live(key: string, now: number): { count: number; resetAt: number } | undefined {
    const entry = this.failures.get(key);
    if (entry !== undefined && entry.resetAt <= now) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
