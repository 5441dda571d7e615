import { directFrameSocket } from '../internals/ws-internals';
import { corkForFrame, flushPast } from './fanout-cork';
import type { OwnedRawSocket } from './raw-socket';

/** FIN bit + opcode of a complete text / binary message frame (RFC 6455 §5.2). */
export const TEXT_FRAME = 0x81;
export const BINARY_FRAME = 0x82;

/**
 * Largest payload written as one buffer: frames up to this size come from Node's shared Buffer pool (no backing
 * store of their own). Larger payloads go through `ws`, which writes them without a copy (bytes) or encodes them
 * inside its `writev` (text), with no per-message allocation for the GC to account for.
 */
export const MAX_DIRECT_PAYLOAD_BYTES = 4 * 1024 - 4;

/**
 * Write one unfragmented, unmasked, uncompressed message frame to the raw socket as a single buffer, header and
 * payload together, instead of `ws`'s corked header + payload pair (which goes through the stream's `writev` path).
 * For small messages this is most of the sending cost, so the echo chat answers as cheaply as a bare `ws` server.
 * Returns false, writing nothing, when the frame must go through `ws` instead: permessage-deflate negotiated, the
 * sender busy (its queue keeps frames in order), `ws`'s internals not in use (ws-internals.ts), or a payload above
 * the direct limits.
 */
export function writeFrameDirect(raw: OwnedRawSocket, opcode: number, data: string | Uint8Array): boolean {
  const socket = directFrameSocket(raw);
  if (socket === null) return false;
  let length: number;
  if (typeof data === 'string') {
    // A UTF-16 unit is at least one UTF-8 byte: skip the exact count when the string cannot fit anyway.
    if (data.length > MAX_DIRECT_PAYLOAD_BYTES) return false;
    length = Buffer.byteLength(data);
  } else {
    length = data.byteLength;
  }
  if (length > MAX_DIRECT_PAYLOAD_BYTES) return false;
  // Payloads this small need the 7-bit length or the 16-bit extended length, never the 64-bit one.
  const headerLength = length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = opcode;
  if (headerLength === 2) {
    frame[1] = length;
  } else {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  }
  if (typeof data === 'string') frame.write(data, headerLength, length, 'utf8');
  else frame.set(data, headerLength);
  socket.write(frame);
  return true;
}

/**
 * Write a complete frame built once for many connections (rooms). With `corkLimit` > 0 the frame may wait in the
 * corked socket until the end of the tick, holding at most `corkLimit` bytes (fanout-cork.ts). Returns null, writing
 * nothing, when it must go through `ws` instead (permessage-deflate, the sender busy, `ws`'s internals not in use);
 * otherwise what the socket's `write()` said (false: past its high-water mark, so the caller checks the backlog).
 */
export function writePreframed(raw: OwnedRawSocket, frame: Buffer, corkLimit: number): boolean | null {
  const socket = directFrameSocket(raw);
  if (socket === null) return null;
  if (corkLimit === 0 || !corkForFrame(socket, frame.length, corkLimit)) return socket.write(frame);
  const below = socket.write(frame);
  flushPast(socket, corkLimit);
  return below;
}
