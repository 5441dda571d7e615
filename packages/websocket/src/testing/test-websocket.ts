import type { IncomingMessage } from 'node:http';
import { WebSocket as WsClient, type RawData } from 'ws';
import { disconnectedError, type WebSocketConnectionError } from '../connection/errors';
import { MessageInbox } from '../connection/inbox';
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

/**
 * A WebSocket client for tests: every message is queued from the moment the connection opens, and is read with
 * the same `receive*()` calls a handler uses (text → string, binary → Buffer).
 */
export class TestWebSocket extends MessageInbox {
  /** Resolves with the close code and reason once the connection is closed, whoever closed it. */
  readonly closed: Promise<TestWebSocketClose>;
  private _closeCode: number | null = null;
  private _closeReason: string | null = null;

  /** @internal Use `connectTestWebSocket()`. */
  constructor(readonly raw: WsClient) {
    super(CLIENT_OPTIONS);
    raw.on('message', (data: RawData, isBinary: boolean) => this._push(data as Buffer, isBinary));
    this.closed = new Promise((resolve) => {
      raw.once('close', (code: number, reason: Buffer) => {
        this._closeCode = code;
        this._closeReason = reason.toString();
        this._wakeReader();
        resolve({ code, reason: this._closeReason });
      });
    });
  }

  /** The close code once closed, else null. */
  get closeCode(): number | null {
    return this._closeCode;
  }

  /** The close reason once closed, else null. */
  get closeReason(): string | null {
    return this._closeReason;
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
    if (this._closeCode === null) this.raw.close(code, reason);
    return this.closed;
  }

  /** Drop the connection without a closing handshake and wait until it is closed. */
  terminate(): Promise<TestWebSocketClose> {
    this.raw.terminate();
    return this.closed;
  }

  protected _readError(): WebSocketConnectionError | null {
    return this._closeCode === null ? null : disconnectedError(this._closeCode, this._closeReason ?? '');
  }

  protected _setBacklogged(paused: boolean): void {
    if (paused) this.raw.pause();
    else this.raw.resume();
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
