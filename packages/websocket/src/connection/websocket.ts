import { CloseCode } from './close-codes';
import type { Connection } from './connection';
import { publicState } from './connection-state';
import type { FrameType, WebSocketState } from './frame-type';
import { WANT_ANY, WANT_BYTES, WANT_TEXT } from './inbox';
import { parseSubprotocols } from './handshake';
import { headersFromText, parseQuery } from './request-info';

/** The peer address of a connection, captured at the handshake (it is gone from the socket once closed). */
export interface WebSocketClient {
  readonly host: string;
  readonly port: number;
}

/**
 * The `Connection` behind a `WebSocket`, for the package's own code and tests.
 * @internal
 */
export let connectionOf: (ws: WebSocket) => Connection;

/**
 * One WebSocket connection as a handler sees it: accept or refuse the handshake, send, receive, iterate.
 * Created by `WebSocketHub.handle()`; handlers receive it through dependency injection. A thin face: the state
 * machine, the inbound queue (`Inbox`) and the sending half (`Outbox`) all live in the connection.
 * @example
 * await ws.accept();
 * for await (const message of ws) await ws.send(`Echo: ${message}`);
 */
export class WebSocket {
  static {
    connectionOf = (ws) => ws.#c;
  }

  readonly #c: Connection;

  /** @internal Created by the connection it fronts. */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /** Route parameters (`/ws/{room_id}` → `{ room_id: '42' }`), set by the routing layer. */
  get params(): Record<string, unknown> {
    return this.#c.params;
  }

  set params(params: Record<string, unknown>) {
    this.#c.params = params;
  }

  /** The request path, as sent (not percent-decoded), without the query. */
  get path(): string {
    return this.#c.path;
  }

  /** The raw query string without `?` (not decoded); use `new URLSearchParams(ws.queryString)` for repeats. */
  get queryString(): string {
    return this.#c.queryString;
  }

  /** Decoded query parameters; for a repeated name the last value wins. */
  get query(): Readonly<Record<string, string>> {
    return parseQuery(this.#c.queryString);
  }

  /**
   * Handshake request headers with lower-cased names; repeated headers are joined with ", " ("; " for Cookie).
   * `connection`, `upgrade`, `sec-websocket-key` and `sec-websocket-version` only carried the handshake and are not kept.
   */
  get headers(): Readonly<Record<string, string>> {
    const c = this.#c;
    const headers = c.headers;
    return typeof headers === 'string' ? (c.headers = headersFromText(headers)) : headers;
  }

  /** The client's address and port: the TCP peer's, or the forwarded client's when the app's `trust_proxy` trusts the peer. */
  get client(): WebSocketClient {
    return { host: this.#c.host, port: this.#c.port };
  }

  /** The handshake's request id (sent as `x-request-id` on the 101 response, `reqId` in the close log line); '' outside an app. */
  get requestId(): string {
    return this.#c.requestId;
  }

  /** Subprotocols the client offered in `Sec-WebSocket-Protocol`, in its order. */
  get requestedSubprotocols(): string[] {
    return parseSubprotocols(this.headers['sec-websocket-protocol']) ?? [];
  }

  /** The subprotocol chosen in `accept()`, or null. */
  get subprotocol(): string | null {
    const raw = this.#c.raw;
    return raw === null || raw.protocol === '' ? null : raw.protocol;
  }

  /** The route's frame type: TEXT hands text frames over as strings, BINARY hands everything over as Buffers. */
  get frameType(): FrameType {
    return this.#c.options.frameType;
  }

  /** CONNECTING until accepted, CONNECTED while open, DISCONNECTED once closed or refused. */
  get state(): WebSocketState {
    return publicState(this.#c.word);
  }

  /** True while messages can be sent and received. */
  get isConnected(): boolean {
    return this.#c.open;
  }

  /** The close code once closed (ours if we closed first, the peer's otherwise, 1006 if dropped), else null. */
  get closeCode(): number | null {
    return this.#c.ending?.code ?? null;
  }

  /** The close reason once closed, else null. */
  get closeReason(): string | null {
    return this.#c.ending?.reason ?? null;
  }

  /** Bytes queued for sending but not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.#c.bufferedAmount;
  }

  /** @internal The integration layer's per-connection object (its `ConnectionContext`), for the `onEnd` hook. */
  get _scope(): unknown {
    return this.#c.scope;
  }

  /** @internal */
  set _scope(scope: unknown) {
    this.#c.scope = scope;
  }

  /** Complete the handshake, optionally choosing one of the client's subprotocols; only once. */
  accept(subprotocol?: string): Promise<void> {
    return this.#c.accept(subprotocol, subprotocol === undefined ? [] : this.requestedSubprotocols);
  }

  /** Close with `code` and `reason`; idempotent. Before `accept()` it refuses the handshake with an HTTP status. */
  close(code: number = CloseCode.NORMAL, reason = ''): Promise<void> {
    return this.#c.close(code, reason);
  }

  /**
   * Send a message: strings as text frames (binary when frameType is BINARY), bytes as binary frames. Resolves
   * once handed to the socket, or once it drains if more than `sendHighWaterBytes` are waiting.
   */
  send(data: string | Uint8Array): Promise<void> {
    return this.#c.send(data);
  }

  /** Send a text frame, whatever the frame type. */
  sendText(data: string): Promise<void> {
    return this.#c.sendText(data);
  }

  /** Send a binary frame; a string is sent as its UTF-8 bytes. */
  sendBytes(data: Uint8Array | string): Promise<void> {
    return this.#c.sendBytes(data);
  }

  /** Send `value` as JSON (a binary frame when frameType is BINARY); cyclic or BigInt values raise a TypeError. */
  sendJson(value: unknown): Promise<void> {
    return this.#c.sendJson(value);
  }

  /** Next message: `string` for text frames (`Buffer` when frameType is BINARY), `Buffer` for binary frames. */
  receive(): Promise<string | Buffer> {
    return this.#c.take(WANT_ANY) as Promise<string | Buffer>;
  }

  /** Next message, which must be a text frame; a binary frame is consumed and raises a TypeError. */
  receiveText(): Promise<string> {
    return this.#c.take(WANT_TEXT) as Promise<string>;
  }

  /** Next message as bytes; a text frame raises a TypeError unless frameType is BINARY. */
  receiveBytes(): Promise<Buffer> {
    return this.#c.take(WANT_BYTES) as Promise<Buffer>;
  }

  /** Next message parsed as JSON (text or binary frame); malformed JSON raises a WebSocketError naming the problem. */
  receiveJson<T = unknown>(): Promise<T> {
    return this.#c.takeJson<T>();
  }

  /** Messages in arrival order; the loop ends quietly when the connection closes (or was never accepted). */
  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    return this.#c;
  }
}
