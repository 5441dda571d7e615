import { randomBytes } from 'node:crypto';

// A per-process random prefix and a counter: unique across workers and restarts for all practical purposes, and a
// string concatenation per request rather than a random draw.
const PREFIX = randomBytes(5).toString('base64url');
let counter = 0;

/** A fresh request id, e.g. `q3Xk9Aw-31` (decimal: V8 turns a small integer into text far faster than in base 36). */
export function nextRequestId(): string {
  return `${PREFIX}-${++counter}`;
}

/** Whether an incoming `x-request-id` may be kept: 1 to 128 visible ASCII characters (no spaces, no controls). */
export function isSaneRequestId(value: string | string[] | undefined): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 128 && /^[\x21-\x7e]+$/.test(value);
}
