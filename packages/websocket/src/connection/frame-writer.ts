import type { OwnedRawSocket } from './raw-socket';

/** FIN bit + opcode of a complete text / binary message frame (RFC 6455 §5.2). */
export const TEXT_FRAME = 0x81;
export const BINARY_FRAME = 0x82;

/**
 * Largest payloads written as one buffer. Text is encoded into the frame buffer either way (ws encodes it inside its
 * `writev` too), so strings go direct up to 64 KiB; bytes would be copied, which only pays for small messages.
 */
const MAX_DIRECT_TEXT_BYTES = 64 * 1024;
const MAX_DIRECT_BINARY_BYTES = 4 * 1024;

/** The `ws` 8 internals the direct path reads: its sender's state and extension table, and the socket. */
interface WsInternals {
  readonly _sender: { readonly _state: number } | null;
  readonly _extensions: Readonly<Record<string, unknown>>;
  readonly _socket: { write(chunk: Buffer): boolean };
}

/** `Sender` state in which it has nothing queued (not deflating, not reading a Blob). */
const SENDER_IDLE = 0;

/**
 * Write one unfragmented, unmasked, uncompressed message frame to the raw socket as a single buffer, header and
 * payload together, instead of `ws`'s corked header + payload pair (which goes through the stream's `writev` path).
 * For small messages this is most of the sending cost, so the echo chat answers as cheaply as a bare `ws` server.
 * Returns false, writing nothing, when the frame must go through `ws` instead: permessage-deflate negotiated, the
 * sender busy (its queue keeps frames in order), or a payload above the direct limits.
 */
export function writeFrameDirect(raw: OwnedRawSocket, opcode: number, data: string | Uint8Array): boolean {
  const ws = raw as unknown as WsInternals;
  const sender = ws._sender;
  if (sender === null || sender._state !== SENDER_IDLE || ws._extensions['permessage-deflate'] !== undefined) {
    return false;
  }
  let length: number;
  if (typeof data === 'string') {
    // UTF-8 is at most 3 bytes per UTF-16 unit: skip the exact count when the string cannot fit anyway.
    if (data.length > MAX_DIRECT_TEXT_BYTES) return false;
    length = Buffer.byteLength(data);
    if (length > MAX_DIRECT_TEXT_BYTES) return false;
  } else {
    length = data.byteLength;
    if (length > MAX_DIRECT_BINARY_BYTES) return false;
  }
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = opcode;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  if (typeof data === 'string') frame.write(data, headerLength, length, 'utf8');
  else frame.set(data, headerLength);
  ws._socket.write(frame);
  return true;
}
