import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

/** A TCP connection to 127.0.0.1:`port` that records everything the server sends and when it closes. */
export class RawConnection {
  readonly socket: Socket;
  private chunks: Buffer[] = [];
  private cached: Buffer | null = Buffer.alloc(0);
  /** Bytes received so far. */
  length = 0;
  private waiters: (() => void)[] = [];
  /** Resolves when the server closed (or reset) the connection. */
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.cached = null; // joined again only when someone reads `bytes`: a peer that receives megabytes stays cheap
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.socket.on('error', () => undefined); // a reset is an answer too: `closed` reports it
    // Not events.once(): it rejects when 'error' (a reset) comes before 'close', and a reset is a close here.
    this.closed = new Promise<void>((resolve) => {
      this.socket.once('close', () => {
        for (const wake of this.waiters.splice(0)) wake();
        resolve();
      });
    });
  }

  /** Wait until connected. */
  async ready(): Promise<this> {
    if (this.socket.connecting) await once(this.socket, 'connect');
    return this;
  }

  /** Everything received so far, as Latin-1 text. */
  get text(): string {
    return this.bytes.toString('latin1');
  }

  /** Everything received so far. */
  get bytes(): Buffer {
    if (this.cached === null) {
      this.cached = Buffer.concat(this.chunks);
      this.chunks = [this.cached];
    }
    return this.cached;
  }

  /** Write raw bytes. */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Resolves once `predicate()` holds (checked on every chunk received), or rejects when the connection closed first. */
  async until(predicate: () => boolean): Promise<void> {
    for (;;) {
      if (predicate()) return;
      if (this.socket.destroyed) throw new Error(`connection closed; received ${JSON.stringify(this.text.slice(0, 300))}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Destroy the connection. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** Send raw bytes on a fresh connection and return everything the server sent before it closed the connection. */
export async function rawExchange(port: number, data: string | Buffer): Promise<string> {
  const conn = await new RawConnection(port).ready();
  conn.write(data);
  conn.socket.end();
  await conn.closed;
  return conn.text;
}

/** The status codes of every HTTP response in a raw byte stream, in order. */
export function statusLines(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

/** A plain GET through Node's client on a fresh connection: the status and body. */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
