/** Close codes the layer itself sends, named so call sites read as intent. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
} as const;

/** Longest close reason a close frame can carry (125-byte control payload minus the 2-byte code). */
const MAX_REASON_BYTES = 123;

/** True for codes an endpoint may put in a close frame (RFC 6455 §7.4: 1000–1014 except 1004–1006, 3000–4999). */
export function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
      (code >= 3000 && code <= 4999))
  );
}

/** Throw a TypeError/RangeError naming the bad close code or reason, before any state changes. */
export function assertCloseArguments(code: number, reason: string): void {
  if (!isSendableCloseCode(code)) {
    throw new TypeError(
      `WebSocket close code must be 1000-1014 (except 1004-1006) or 3000-4999, got ${String(code)}`,
    );
  }
  if (typeof reason !== 'string') {
    throw new TypeError(`WebSocket close reason must be a string, got ${typeof reason}`);
  }
  const bytes = Buffer.byteLength(reason);
  if (bytes > MAX_REASON_BYTES) {
    throw new RangeError(`WebSocket close reason must be at most ${MAX_REASON_BYTES} bytes of UTF-8, got ${bytes}`);
  }
}

/**
 * The HTTP status that refuses a handshake closed before `accept()`: 4401 → 401, any 44xx → its 4xx, else 403.
 * @example closeCodeToHttpStatus(4429) // 429
 */
export function closeCodeToHttpStatus(code: number): number {
  if (code >= 4400 && code <= 4499) return code - 4000;
  return 403;
}
