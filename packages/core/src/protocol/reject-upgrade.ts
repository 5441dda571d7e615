import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The one writer of refused upgrades (the core's 400/503 and every protocol's handshake refusals): a plain-text
 * HTTP/1.1 answer, then the socket is dropped. Safe on a socket that is already gone; `body` defaults to the
 * status's reason phrase.
 */
export function rejectUpgrade(socket: Duplex, status: number, body?: string, headers?: Readonly<Record<string, string>>): void {
  if (socket.destroyed) return;
  // The peer may reset the connection while we answer; that must never surface as an unhandled 'error'.
  socket.on('error', destroyOnError);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const statusText = STATUS_CODES[status] ?? 'Unknown';
  const text = body === undefined || body === '' ? statusText : body;
  let head =
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\n` +
    `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n`;
  if (headers !== undefined) for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  socket.once('finish', destroySelf);
  socket.end(`${head}\r\n${text}`);
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

function destroySelf(this: Duplex): void {
  this.destroy();
}
