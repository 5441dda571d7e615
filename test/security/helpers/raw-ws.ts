import { randomBytes } from 'node:crypto';
import { RawConnection } from './raw-http';

/** Options of a raw WebSocket opening handshake. */
export interface UpgradeOptions {
  path?: string;
  httpVersion?: string;
  host?: string | null;
  headers?: Record<string, string>;
}

/** The opening handshake as bytes, with every part a test may want to get wrong. */
export function upgradeRequest(options: UpgradeOptions = {}): string {
  const { path = '/ws', httpVersion = '1.1', host = '127.0.0.1', headers = {} } = options;
  let text = `GET ${path} HTTP/${httpVersion}\r\n`;
  if (host !== null) text += `Host: ${host}\r\n`;
  text += 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n';
  text += `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n`;
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

/** Build one frame; `mask` false sends it unmasked (a protocol error from a client). */
export function frame(
  opcode: number,
  payload: Buffer | string = Buffer.alloc(0),
  options: { fin?: boolean; mask?: boolean; rsv?: number; declaredLength?: bigint } = {},
): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const { fin = true, mask = true, rsv = 0 } = options;
  const length = options.declaredLength ?? BigInt(data.length);
  const head: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) head.push(maskBit | 126, Number(length >> 8n) & 0xff, Number(length) & 0xff);
  else {
    head.push(maskBit | 127);
    for (let shift = 56n; shift >= 0n; shift -= 8n) head.push(Number((length >> shift) & 0xffn));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i % 4];
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/** A server frame read back: opcode and payload. */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** Parse the unmasked frames a server sent (after the handshake response). */
export function parseFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at] & 0x0f;
    let length = bytes[at + 1] & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > bytes.length) break;
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(offset, offset + length) });
    at = offset + length;
  }
  return frames;
}

/** A raw WebSocket client: handshake, raw frames out, the server's close frame (if any) back. */
export class RawWebSocket {
  private constructor(
    readonly conn: RawConnection,
    /** The HTTP status of the handshake answer. */
    readonly status: number,
    /** The handshake answer's head and body (for refusals). */
    readonly answer: string,
    private readonly headEnd: number,
  ) {}

  /** Open a connection and send the handshake; resolves with the answer (101 or a refusal). */
  static async open(port: number, options: UpgradeOptions = {}): Promise<RawWebSocket> {
    const conn = await new RawConnection(port).ready();
    conn.write(upgradeRequest(options));
    await conn.until(() => conn.bytes.includes('\r\n\r\n'));
    const headEnd = conn.bytes.indexOf('\r\n\r\n') + 4;
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(conn.text)?.[1] ?? 0);
    if (status !== 101) await conn.closed;
    return new RawWebSocket(conn, status, conn.text, headEnd);
  }

  /** Frames received after the handshake. */
  frames(): ServerFrame[] {
    return parseFrames(this.conn.bytes.subarray(this.headEnd));
  }

  /** Send raw bytes (frames). */
  send(bytes: Buffer): void {
    this.conn.write(bytes);
  }

  /**
   * Wait for the server's close frame (answering it, as a client must, so the server ends the TCP connection) or for
   * the connection to drop; the code and reason, or null when the server dropped the connection without a close frame.
   */
  async closeFrame(): Promise<{ code: number; reason: string } | null> {
    const findClose = (): ServerFrame | undefined => this.frames().find((f) => f.opcode === 0x8);
    await this.conn.until(() => this.conn.length > this.headEnd && findClose() !== undefined).catch(() => undefined);
    const close = findClose();
    if (close === undefined) return null;
    if (!this.conn.socket.destroyed) this.conn.write(frame(0x8, close.payload.subarray(0, 2)));
    await this.conn.closed;
    return { code: close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005, reason: close.payload.subarray(2).toString('utf8') };
  }

  /** Drop the connection. */
  destroy(): void {
    this.conn.destroy();
  }
}
