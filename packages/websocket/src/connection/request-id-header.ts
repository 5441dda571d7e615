/**
 * The `x-request-id` of the handshake being completed. `ws` builds the 101 response inside a synchronous
 * `handleUpgrade()` call and lets listeners of its 'headers' event add lines, so the id is parked here for exactly
 * the duration of that call (as the subprotocol choice is, in subprotocol-choice.ts).
 */
let pending = '';

/** Run `upgrade` (a synchronous `handleUpgrade()` call) with `requestId` to be sent on the 101 response. */
export function withRequestId<T>(requestId: string, upgrade: () => T): T {
  pending = requestId;
  try {
    return upgrade();
  } finally {
    pending = '';
  }
}

/** The 'headers' listener of every hub server: adds the parked id, when there is one. */
export function addRequestIdHeader(headers: string[]): void {
  if (pending !== '') headers.push(`x-request-id: ${pending}`);
}
