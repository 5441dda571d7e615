/** FIN bit + opcode of a complete text / binary message frame (RFC 6455 §5.2). */
const TEXT = 0x81;
const BINARY = 0x82;

/**
 * One complete, unmasked server frame for `payload`, built once per message per instance: every local member of a
 * room gets these same bytes (a server never masks, so the frame does not depend on the receiver).
 */
export function frameMessage(payload: Buffer, binary: boolean): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = binary ? BINARY : TEXT;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}
