import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answer an upgrade request with a plain HTTP response and close the socket. */
export function rejectUpgrade(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const text = Buffer.from(body, 'utf8');
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${text.length}\r\n${extra}\r\n${body}`,
  );
}
