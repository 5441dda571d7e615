import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { assertCloseArguments, closeCodeOfWsError, closeCodeToHttpStatus, CloseCode } from './close-codes';
import { WebSocketConnectionError, WebSocketError } from './errors';
import { FrameType, WebSocketState } from './frame-type';
import { parseSubprotocols } from './handshake';
import type { WebSocketHandlerHooks } from './hub';
import { failed, MessageOutbox, RESOLVED } from './outbox';
import type { ResolvedWebSocketOptions } from './options';
import { listenToRawSocket, type OwnedRawSocket, type RawSocketOwner, type RawSocketServer } from './raw-socket';
import { headersFromText, parseQuery, splitRequestTarget } from './request-info';
import { withSubprotocol } from './subprotocol-choice';

/** @internal What a connection needs from the hub that owns it. */
export interface ConnectionOwner {
  /** The `ws` server (noServer mode) that upgrades sockets with this payload limit. */
  serverFor(maxPayloadBytes: number): RawSocketServer;
  /** Answer the handshake with an HTTP error and drop the socket. */
  refuse(ws: WebSocket, socket: Duplex, status: number, body: string): void;
  /** The handshake completed. */
  opened(ws: WebSocket): void;
  /** The connection's handler returned (`threw` false) or threw `error`. */
  handlerSettled(ws: WebSocket, threw: boolean, error: unknown): void;
  /** The underlying socket is gone; called exactly once per connection. */
  socketClosed(ws: WebSocket): void;
}

/** The peer address of a connection, captured at the handshake (it is gone from the socket once closed). */
export interface WebSocketClient {
  readonly host: string;
  readonly port: number;
}

/** What only exists between the upgrade request and `accept()`/refusal. */
interface PendingHandshake {
  readonly req: IncomingMessage;
  readonly head: Buffer;
  readonly onClose: () => void;
}

const noop = (): void => undefined;

/**
 * The peer's address and port, read from the socket's handle without `socket.remoteAddress`, which caches a
 * `_peername` object on every socket for its whole life (one object more per idle connection). TLS sockets proxy
 * `getpeername` to the TCP handle; anything else falls back to the public getters.
 */
function peerAddress(socket: Duplex): { address?: string; port?: number } {
  const handle = (socket as { _handle?: { getpeername?(out: object): number } })._handle;
  if (handle !== undefined && handle !== null && typeof handle.getpeername === 'function') {
    const out: { address?: string; port?: number } = {};
    if (handle.getpeername(out) === 0) return out;
  }
  const net = socket as Partial<Socket>;
  return { address: net.remoteAddress, port: net.remotePort };
}

/** Whole milliseconds on the monotonic clock: small integers stay unboxed in the per-connection fields. */
export function monotonicMs(): number {
  return Math.floor(performance.now());
}

/**
 * One WebSocket connection as a handler sees it: accept or refuse the handshake, send, receive, iterate.
 * Created by `WebSocketHub.handle()`; handlers receive it through dependency injection.
 * @example
 * await ws.accept();
 * for await (const message of ws) await ws.send(`Echo: ${message}`);
 */
export class WebSocket extends MessageOutbox implements RawSocketOwner {
  /** Route parameters (`/ws/{room_id}` → `{ room_id: '42' }`), set by the routing layer. */
  params: Record<string, unknown>;

  // Every idle connection carries these fields, so they are kept few and small (see the hub's memory target).
  private _pending: PendingHandshake | null;
  private readonly _url: string;
  /** Handshake headers as "name\nvalue\n…": one flat string instead of Node's array of small strings. */
  private readonly _headerText: string;
  private _headers: Record<string, string> | null = null;
  private readonly _host: string;
  private readonly _port: number;
  private _windowStart = 0;
  private _windowCount = 0;
  /** @internal Heartbeat: peer activity (message or pong) since the last ping. */
  _seen = true;
  /** @internal Heartbeat: `monotonicMs()` of the last ping (or of the handshake). */
  _pingAt = 0;
  /** @internal Hub bookkeeping: `monotonicMs()` when the upgrade request arrived. */
  _startedAt = monotonicMs();
  /** @internal Hub bookkeeping: the hooks passed to `handle()`. */
  _hooks: WebSocketHandlerHooks | undefined = undefined;
  /** @internal The integration layer's per-connection object (its `ConnectionContext`), for the `onEnd` hook. */
  _scope: unknown = undefined;
  /** @internal Hub bookkeeping: what the handler threw, if it did. */
  _handlerError: unknown = undefined;
  /** @internal Hub bookkeeping: bit set of the hub's phase flags (handler done, socket closed, opened). */
  _phase = 0;

  /** @internal Created by the hub for one upgrade request. */
  constructor(
    /** @internal The hub that owns this connection. */
    readonly _owner: ConnectionOwner,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    options: ResolvedWebSocketOptions,
    params: Record<string, unknown>,
  ) {
    super(options, socket);
    this.params = params;
    this._url = req.url ?? '/';
    this._headerText = req.rawHeaders.join('\n');
    const peer = peerAddress(socket);
    this._host = peer.address ?? '';
    this._port = peer.port ?? 0;
    // Until accept() hands the socket to ws, a vanished peer or a socket error is ours to notice.
    this._pending = { req, head, onClose: () => this._socketGone() };
    socket.on('close', this._pending.onClose);
    socket.on('error', noop);
  }

  /** The request path, as sent (not percent-decoded), without the query. */
  get path(): string {
    return splitRequestTarget(this._url)[0];
  }

  /** The raw query string without `?` (not decoded); use `new URLSearchParams(ws.queryString)` for repeats. */
  get queryString(): string {
    return splitRequestTarget(this._url)[1];
  }

  /** Decoded query parameters; for a repeated name the last value wins. */
  get query(): Readonly<Record<string, string>> {
    return parseQuery(this.queryString);
  }

  /** Handshake request headers with lower-cased names; repeated headers are joined with ", " ("; " for Cookie). */
  get headers(): Readonly<Record<string, string>> {
    return (this._headers ??= headersFromText(this._headerText));
  }

  /** The peer's address and port. */
  get client(): WebSocketClient {
    return { host: this._host, port: this._port };
  }

  /** Subprotocols the client offered in `Sec-WebSocket-Protocol`, in its order. */
  get requestedSubprotocols(): string[] {
    return parseSubprotocols(this.headers['sec-websocket-protocol']) ?? [];
  }

  /** The subprotocol chosen in `accept()`, or null. */
  get subprotocol(): string | null {
    const raw = this._raw;
    return raw === null || raw.protocol === '' ? null : raw.protocol;
  }

  /** The route's frame type: TEXT hands text frames over as strings, BINARY hands everything over as Buffers. */
  get frameType(): FrameType {
    return this._opts.frameType;
  }

  /** @internal The route's resolved limits (read by the hub's heartbeat). */
  get _limits(): ResolvedWebSocketOptions {
    return this._opts;
  }

  /** Complete the handshake, optionally choosing one of the client's subprotocols; only once. */
  accept(subprotocol?: string): Promise<void> {
    if (this._raw !== null) {
      return failed(
        new WebSocketConnectionError('WebSocket connection already established', {
          errorCode: 'SERV_WS_ALREADY_ESTABLISHED',
        }),
      );
    }
    const pending = this._pending;
    if (this._state === WebSocketState.DISCONNECTED || pending === null) return failed(this._closedError());
    if (subprotocol !== undefined && !this.requestedSubprotocols.includes(subprotocol)) {
      const offered = this.requestedSubprotocols.map((p) => `"${p}"`).join(', ') || 'none';
      return failed(
        new WebSocketError(
          `Cannot accept subprotocol ${JSON.stringify(subprotocol)} on ${this.path}: the client offered ${offered}`,
          { errorCode: 'SERV_WS_SUBPROTOCOL' },
        ),
      );
    }
    const server = this._owner.serverFor(this._opts.maxMessageBytes);
    withSubprotocol(subprotocol ?? null, () =>
      server.handleUpgrade(pending.req, this._socket, pending.head, (raw) => this._attach(raw)),
    );
    if (this._raw === null) {
      // ws destroyed the socket instead of upgrading it: the client was already gone.
      this._markClosed(CloseCode.ABNORMAL, 'Client went away before the handshake completed');
      return failed(this._closedError());
    }
    this._owner.opened(this);
    return RESOLVED;
  }

  /** Close with `code` and `reason`; idempotent. Before `accept()` it refuses the handshake with an HTTP status. */
  close(code: number = CloseCode.NORMAL, reason = ''): Promise<void> {
    assertCloseArguments(code, reason);
    if (this._state === WebSocketState.CONNECTING) {
      this._refuse(closeCodeToHttpStatus(code), reason, code, reason);
    } else if (this._state === WebSocketState.CONNECTED) {
      this._markClosed(code, reason);
      (this._raw as OwnedRawSocket).close(code, reason);
    }
    return RESOLVED;
  }

  private _attach(raw: OwnedRawSocket): void {
    // Listeners go on inside the upgrade callback, before any frame can be parsed (ws issue #1322).
    listenToRawSocket(raw, this);
    this._raw = raw;
    this._state = WebSocketState.CONNECTED;
    this._pingAt = monotonicMs();
    this._dropPending();
  }

  /** @internal A message from ws: heartbeat bookkeeping, rate limit, then the inbox. */
  _onMessage(data: Buffer, isBinary: boolean): void {
    if (this._state !== WebSocketState.CONNECTED) return; // we already closed; the handler is done reading
    this._seen = true;
    const limit = this._opts.rateLimitMessages;
    if (limit !== 0) {
      const now = monotonicMs();
      if (now - this._windowStart >= this._opts.rateLimitIntervalMs) {
        this._windowStart = now;
        this._windowCount = 1;
      } else if (++this._windowCount > limit) {
        void this.close(CloseCode.POLICY_VIOLATION, 'Rate limit exceeded');
        return;
      }
    }
    this._push(data, isBinary);
  }

  /** @internal A pong: the peer is alive. */
  _onPong(): void {
    this._seen = true;
  }

  /** @internal ws reported the connection closed (after our close, the peer's, an error or a terminate). */
  _onRawClose(code: number, reason: Buffer): void {
    if (this._state !== WebSocketState.DISCONNECTED) this._markClosed(code, reason.toString());
    this._owner.socketClosed(this);
  }

  /** @internal ws hit a protocol error (1007 bad UTF-8, 1009 too big…) and is closing with its code. */
  _onRawError(error: Error): void {
    if (this._state === WebSocketState.CONNECTED) this._markClosed(closeCodeOfWsError(error), error.message);
  }

  /**
   * @internal One heartbeat check: ping when `heartbeatIntervalMs` has passed, terminate a peer that stayed silent
   * for `heartbeatTimeoutMs` after a ping. Paused (backlogged) connections are skipped: the stall is ours.
   */
  _heartbeat(now: number): void {
    const raw = this._raw;
    const interval = this._opts.heartbeatIntervalMs;
    if (raw === null || interval === 0 || this._state !== WebSocketState.CONNECTED || this._backlogged) return;
    if (!this._seen) {
      if (now - this._pingAt >= this._opts.heartbeatTimeoutMs) {
        this._markClosed(CloseCode.ABNORMAL, 'Heartbeat timeout');
        raw.terminate();
      }
    } else if (now - this._pingAt >= interval) {
      this._seen = false;
      this._pingAt = now;
      raw.ping();
    }
  }

  /** @internal Refuse the handshake with an HTTP status (used by close() before accept and by the hub). */
  _refuse(status: number, body: string, code: number, reason: string): void {
    if (this._state !== WebSocketState.CONNECTING) return;
    this._markClosed(code, reason);
    this._owner.refuse(this, this._socket, status, body === '' ? (STATUS_CODES[status] ?? '') : body);
  }

  /** @internal Drop the connection without a closing handshake (shutdown grace period over). */
  _terminate(): void {
    if (this._state !== WebSocketState.DISCONNECTED) this._markClosed(CloseCode.ABNORMAL, 'Terminated');
    if (this._raw !== null) this._raw.terminate();
    else this._socket.destroy();
  }

  private _socketGone(): void {
    if (this._state === WebSocketState.CONNECTING) {
      this._markClosed(CloseCode.ABNORMAL, 'Client went away before the handshake completed');
    }
    this._dropPending();
    this._owner.socketClosed(this);
  }

  private _dropPending(): void {
    const pending = this._pending;
    if (pending === null) return;
    this._pending = null;
    this._socket.removeListener('close', pending.onClose);
    this._socket.removeListener('error', noop);
  }

  protected _readError(): WebSocketConnectionError | null {
    if (this._state === WebSocketState.CONNECTED) return null;
    return this._raw === null ? this._notActive() : this._closedError();
  }

  protected _setBacklogged(paused: boolean): void {
    const raw = this._raw;
    if (raw === null) return;
    if (paused) raw.pause();
    else raw.resume();
  }

}
