import type { IncomingMessage } from 'node:http';
import { WebSocket as WsClient, type RawData } from 'ws';
import { disconnectedError, type WebSocketConnectionError } from '../connection/errors';
import { Inbox, WANT_ANY, WANT_BYTES, WANT_TEXT } from '../connection/inbox';
import { resolveWebSocketOptions } from '../connection/options';

/** Options for `connectTestWebSocket()`. */
export interface TestWebSocketOptions {
  /** Extra handshake request headers (e.g. `Origin`, `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Subprotocols to offer, in order of preference. */
  readonly subprotocols?: readonly string[];
  /** Answer server pings automatically (default true); false simulates a dead peer. */
  readonly autoPong?: boolean;
  /** Offer permessage-deflate (default false). */
  readonly perMessageDeflate?: boolean;
}

/** How a connection was closed: the close code and reason as this client saw them. */
export interface TestWebSocketClose {
  readonly code: number;
  readonly reason: string;
}

/** The server refused the WebSocket handshake with an HTTP response; `status` and `body` are that response's. */
export class WebSocketHandshakeError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`WebSocket handshake to ${url} was refused with HTTP ${status}: ${body}`);
    this.name = 'WebSocketHandshakeError';
  }
}

// The client never limits what it is sent; tests want to see exactly what the server does.
const CLIENT_OPTIONS = resolveWebSocketOptions({}, { maxMessageBytes: Number.MAX_SAFE_INTEGER });

/** The test client's inbound queue: the reading half a server-side connection has, on the client's socket. */
class ClientInbox extends Inbox {
  readonly options = CLIENT_OPTIONS;

  constructor(private readonly client: TestWebSocket) {
    super();
  }

  readError(): WebSocketConnectionError | null {
    const code = this.client.closeCode;
    return code === null ? null : disconnectedError(code, this.client.closeReason ?? '');
  }

  setBacklogged(paused: boolean): void {
    if (paused) this.client.raw.pause();
    else this.client.raw.resume();
  }
}

/**
 * A WebSocket client for tests: every message is queued from the moment the connection opens, and is read with
 * the same `receive*()` calls a handler uses (text → string, binary → Buffer).
 */
export class TestWebSocket {
  /** Resolves with the close code and reason once the connection is closed, whoever closed it. */
  readonly closed: Promise<TestWebSocketClose>;
  #closeCode: number | null = null;
  #closeReason: string | null = null;
  /** The same inbound queue a server-side connection reads from. */
  readonly #inbox = new ClientInbox(this);

  /** @internal Use `connectTestWebSocket()`. */
  constructor(readonly raw: WsClient) {
    raw.on('message', (data: RawData, isBinary: boolean) => this.#inbox.push(data as Buffer, isBinary));
    this.closed = new Promise((resolve) => {
      raw.once('close', (code: number, reason: Buffer) => {
        this.#closeCode = code;
        this.#closeReason = reason.toString();
        this.#inbox.end();
        resolve({ code, reason: this.#closeReason });
      });
    });
  }

  /** The close code once closed, else null. */
  get closeCode(): number | null {
    return this.#closeCode;
  }

  /** The close reason once closed, else null. */
  get closeReason(): string | null {
    return this.#closeReason;
  }

  /** Next message: `string` for text frames, `Buffer` for binary frames; rejects once the connection is closed. */
  receive(): Promise<string | Buffer> {
    return this.#inbox.take(WANT_ANY) as Promise<string | Buffer>;
  }

  /** Next message, which must be a text frame. */
  receiveText(): Promise<string> {
    return this.#inbox.take(WANT_TEXT) as Promise<string>;
  }

  /** Next message, which must be a binary frame. */
  receiveBytes(): Promise<Buffer> {
    return this.#inbox.take(WANT_BYTES) as Promise<Buffer>;
  }

  /** Next message parsed as JSON. */
  receiveJson<T = unknown>(): Promise<T> {
    return this.#inbox.takeJson<T>();
  }

  /** Messages in arrival order; the loop ends quietly when the connection closes. */
  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    return this.#inbox;
  }

  /** The subprotocol the server accepted, or null. */
  get subprotocol(): string | null {
    return this.raw.protocol === '' ? null : this.raw.protocol;
  }

  /** Send a text (string) or binary (bytes) frame; resolves once written to the socket. */
  send(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Send `value` as a JSON text frame. */
  sendJson(value: unknown): Promise<void> {
    return this.send(JSON.stringify(value));
  }

  /** Start the closing handshake (default 1000, no reason) and wait until the connection is closed. */
  close(code = 1000, reason = ''): Promise<TestWebSocketClose> {
    if (this.#closeCode === null) this.raw.close(code, reason);
    return this.closed;
  }

  /** Drop the connection without a closing handshake and wait until it is closed. */
  terminate(): Promise<TestWebSocketClose> {
    this.raw.terminate();
    return this.closed;
  }
}

/**
 * Open a WebSocket to `url` (e.g. `ws://127.0.0.1:${port}/ws`) and resolve once the handshake completes; a refused
 * handshake rejects with `WebSocketHandshakeError` carrying the HTTP status and body.
 * @example
 * const ws = await connectTestWebSocket(`ws://127.0.0.1:${port}/ws`);
 * await ws.send('hi');
 * expect(await ws.receive()).toBe('Echo: hi');
 */
export function connectTestWebSocket(url: string, options: TestWebSocketOptions = {}): Promise<TestWebSocket> {
  const raw = new WsClient(url, [...(options.subprotocols ?? [])], {
    headers: { ...options.headers },
    autoPong: options.autoPong ?? true,
    perMessageDeflate: options.perMessageDeflate ?? false,
    // A test client talks to the app under test, often with a self-signed certificate.
    rejectUnauthorized: false,
  });
  const client = new TestWebSocket(raw);
  return new Promise<TestWebSocket>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    raw.on('error', onError);
    raw.once('open', () => {
      raw.removeListener('error', onError);
      // After the handshake, errors surface as the close code (1006 etc.) rather than as rejections.
      raw.on('error', () => undefined);
      resolve(client);
    });
    raw.once('unexpected-response', (_req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', onError);
      res.on('end', () => {
        reject(new WebSocketHandshakeError(url, res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        raw.removeListener('error', onError);
        raw.on('error', () => undefined);
        raw.terminate();
      });
    });
  });
}
