import { performance } from 'node:perf_hooks';

/** Whole milliseconds on the monotonic clock: small integers stay unboxed in the per-connection fields. */
export function monotonicMs(): number {
  return Math.floor(performance.now());
}
