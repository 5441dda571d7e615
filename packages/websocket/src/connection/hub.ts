import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode } from './close-codes';
import { WebSocketConnectionError } from './errors';
import { WebSocketState } from './frame-type';
import { checkUpgradeRequest, isOriginAllowed, writeHandshakeRejection } from './handshake';
import { HeartbeatTimer } from './heartbeat';
import type { ResolvedWebSocketOptions } from './options';
import { chooseSubprotocol } from './subprotocol-choice';
import { OwnedRawSocket, type RawSocketServer } from './raw-socket';
import { monotonicMs, WebSocket, type ConnectionOwner } from './websocket';

/** Where the hub reports: `debug` lines only when the hub's `debug` option is on; `error` always. */
export interface WebSocketLog {
  debug(message: string): void;
  error(message: string, error?: unknown): void;
}

/** App-wide settings of a hub; per-route limits come with each `handle()` call. */
export interface WebSocketHubOptions {
  /** Open connections allowed before new handshakes get HTTP 503 (default 1000). */
  readonly maxConnections?: number;
  /** Negotiate permessage-deflate with clients that offer it (default false). */
  readonly perMessageDeflate?: boolean;
  /** App default ping interval, used to size the heartbeat timer before any route asks (default 30000, 0 = off). */
  readonly heartbeatIntervalMs?: number;
  /** App default silence allowed after a ping (default 10000). */
  readonly heartbeatTimeoutMs?: number;
  /** Where to log (default: the console). */
  readonly log?: WebSocketLog;
  /** Log one line per connection open, close and refusal (default false). */
  readonly debug?: boolean;
}

/** The matched route as the hub needs it: its resolved limits and its path parameters. */
export interface WebSocketRouteMatch {
  readonly options: ResolvedWebSocketOptions;
  readonly params: Record<string, unknown>;
}

/** How a connection ended, reported once its handler settled and its socket closed. */
export interface WebSocketEndInfo {
  readonly code: number;
  readonly reason: string;
  readonly durationMs: number;
  /** What the handler threw, if it did. */
  readonly error?: unknown;
}

/** Callbacks around one connection's life (the integration layer disposes its DI scope in `onEnd`). */
export interface WebSocketHandlerHooks {
  onEnd?(ws: WebSocket, info: WebSocketEndInfo): void;
}

/** Runs the route handler for one connection. */
export type WebSocketRunner = (ws: WebSocket) => Promise<void> | void;

/** Bits of `WebSocket._phase`: the hub's bookkeeping lives on the connection, not in a side table. */
const HANDLER_DONE = 1;
const SOCKET_CLOSED = 2;
const OPENED = 4;

const consoleLog: WebSocketLog = {
  debug: (message) => console.debug(message),
  error: (message, error) => (error === undefined ? console.error(message) : console.error(message, error)),
};

/**
 * Every WebSocket connection of one app: admits handshakes (origin, capacity, shutdown), runs handlers, closes
 * what they leave open (1000 / 1011), drives the heartbeat, and shuts everything down with a grace period.
 * @example
 * const hub = new WebSocketHub({ maxConnections: 1000 });
 * server.on('upgrade', (req, socket, head) => hub.handle(req, socket, head, { options, params: {} }, handler));
 */
export class WebSocketHub implements ConnectionOwner {
  private readonly _connections = new Set<WebSocket>();
  private readonly _servers = new Map<number, RawSocketServer>();
  private readonly _heartbeat = new HeartbeatTimer(this._connections);
  private readonly _maxConnections: number;
  private readonly _perMessageDeflate: boolean;
  private readonly _log: WebSocketLog;
  private readonly _debug: boolean;
  private readonly _defaultHeartbeat: [intervalMs: number, timeoutMs: number];
  private _closing: Promise<void> | null = null;
  private _shutdown: { resolve: () => void; timer: NodeJS.Timeout | null; graceMs: number; abandoning: boolean } | null =
    null;

  constructor(options: WebSocketHubOptions = {}) {
    this._maxConnections = options.maxConnections ?? 1000;
    this._perMessageDeflate = options.perMessageDeflate ?? false;
    this._log = options.log ?? consoleLog;
    this._debug = options.debug ?? false;
    this._defaultHeartbeat = [options.heartbeatIntervalMs ?? 30_000, options.heartbeatTimeoutMs ?? 10_000];
  }

  /** Connections whose socket is open or whose handler is still running. */
  get size(): number {
    return this._connections.size;
  }

  /** Take over one upgrade request for a matched route: admit or refuse it, then run `run(ws)` to completion. */
  handle(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    route: WebSocketRouteMatch,
    run: WebSocketRunner,
    hooks?: WebSocketHandlerHooks,
  ): void {
    // A client that vanished before its upgrade reached us has nothing left to answer, and its 'close' is gone.
    if (socket.destroyed) return;
    const path = (req.url ?? '/').split('?', 1)[0] as string;
    const refusal =
      this._closing !== null
        ? { status: 503, body: 'Server is shutting down' }
        : (checkUpgradeRequest(req) ??
          (!isOriginAllowed(req.headers.origin, route.options.origins)
            ? { status: 403, body: `Origin ${String(req.headers.origin)} is not allowed` }
            : this._connections.size >= this._maxConnections
              ? { status: 503, body: `Server is at max_connections (${this._maxConnections})` }
              : null));
    if (refusal !== null) {
      this._debugLine(`WebSocket ${path} refused with HTTP ${refusal.status}: ${refusal.body}`);
      writeHandshakeRejection(socket, refusal.status, refusal.body, 'headers' in refusal ? refusal.headers : undefined);
      return;
    }
    const ws = new WebSocket(this, req, socket, head, route.options, route.params);
    ws._hooks = hooks;
    this._connections.add(ws);
    let result: Promise<void> | void;
    try {
      result = run(ws);
    } catch (err) {
      this.handlerSettled(ws, true, err);
      return;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      // Bound to the connection: two small bound functions per connection instead of two closures and a context.
      result.then(handlerFulfilled.bind(ws), handlerRejected.bind(ws));
    } else {
      this.handlerSettled(ws, false, undefined);
    }
  }

  /** Refuse a handshake with a plain-text HTTP response and drop the socket (e.g. 403 when no route matches). */
  reject(socket: Duplex, status: number, body: string, headers?: Readonly<Record<string, string>>): void {
    this._debugLine(`WebSocket handshake refused with HTTP ${status}: ${body}`);
    writeHandshakeRejection(socket, status, body, headers);
  }

  /**
   * Shut down: new handshakes get 503, open connections get close 1001 "Server shutting down" (ending their
   * `for await` loops), handlers get `graceMs` to finish, then remaining sockets are terminated. Resolves when
   * every socket is closed and every handler settled — or, for a handler still running once its socket was
   * terminated after the grace period, when it has been logged and abandoned.
   */
  close(graceMs = 5000): Promise<void> {
    if (this._closing !== null) return this._closing;
    this._heartbeat.stop();
    this._closing = new Promise<void>((resolve) => {
      this._shutdown = { resolve, timer: null, graceMs, abandoning: false };
    });
    for (const ws of [...this._connections]) {
      if (ws.state === WebSocketState.CONNECTING) {
        ws._refuse(503, 'Server is shutting down', CloseCode.GOING_AWAY, 'Server shutting down');
      } else if (ws.state === WebSocketState.CONNECTED) {
        void ws.close(CloseCode.GOING_AWAY, 'Server shutting down');
      }
    }
    const shutdown = this._shutdown as NonNullable<WebSocketHub['_shutdown']>;
    if (this._connections.size > 0) shutdown.timer = setTimeout(() => this._abandon(), graceMs);
    this._checkShutdown();
    return this._closing;
  }

  /** @internal */
  serverFor(maxPayloadBytes: number): RawSocketServer {
    let server = this._servers.get(maxPayloadBytes);
    if (server === undefined) {
      server = new WebSocketServer({
        WebSocket: OwnedRawSocket,
        noServer: true,
        clientTracking: false,
        maxPayload: maxPayloadBytes,
        perMessageDeflate: this._perMessageDeflate,
        handleProtocols: chooseSubprotocol,
      });
      this._servers.set(maxPayloadBytes, server);
    }
    return server;
  }

  /** @internal */
  refuse(ws: WebSocket, socket: Duplex, status: number, body: string): void {
    this._debugLine(`WebSocket ${ws.path} refused with HTTP ${status}: ${body} (close ${ws.closeCode})`);
    writeHandshakeRejection(socket, status, body);
  }

  /** @internal */
  opened(ws: WebSocket): void {
    ws._phase |= OPENED;
    if (this._debug) {
      const sub = ws.subprotocol === null ? '' : ` subprotocol ${ws.subprotocol}`;
      this._log.debug(`WebSocket ${ws.path} open from ${ws.client.host}:${ws.client.port}${sub}`);
    }
    const [interval, timeout] = this._defaultHeartbeat;
    this._heartbeat.watch(interval, timeout);
    const options = ws._limits;
    this._heartbeat.watch(options.heartbeatIntervalMs, options.heartbeatTimeoutMs);
  }

  /** @internal */
  socketClosed(ws: WebSocket): void {
    if (!this._connections.has(ws) || (ws._phase & SOCKET_CLOSED) !== 0) return;
    ws._phase |= SOCKET_CLOSED;
    if ((ws._phase & HANDLER_DONE) !== 0) this._finish(ws);
    else this._checkShutdown();
  }

  /** @internal */
  handlerSettled(ws: WebSocket, threw: boolean, error: unknown): void {
    if (!this._connections.has(ws) || (ws._phase & HANDLER_DONE) !== 0) return; // abandoned at shutdown
    ws._phase |= HANDLER_DONE;
    if (threw) {
      ws._handlerError = error;
      if (error instanceof WebSocketConnectionError && ws.state === WebSocketState.DISCONNECTED) {
        this._debugLine(`WebSocket ${ws.path} handler ended by the closed connection: ${error.message}`);
      }
      // An HTTP error thrown before accept() (a bad query value, a failed auth check) keeps its 4xx status.
      const status = handshakeStatus(error);
      if (ws.state !== WebSocketState.CONNECTING || status >= 500) {
        const action = ws.state === WebSocketState.CONNECTING ? `refused the handshake with HTTP ${status}` : 'closed with 1011';
        if (!(error instanceof WebSocketConnectionError && ws.state === WebSocketState.DISCONNECTED)) {
          this._log.error(`WebSocket handler for ${ws.path} threw; ${action}`, error);
        }
      }
      if (ws.state === WebSocketState.CONNECTING) {
        const message = status < 500 && error instanceof Error ? error.message : 'Internal Server Error';
        ws._refuse(status, message, CloseCode.INTERNAL_ERROR, 'Internal server error');
      } else if (ws.state === WebSocketState.CONNECTED) {
        void ws.close(CloseCode.INTERNAL_ERROR, 'Internal server error');
      }
    } else if (ws.state === WebSocketState.CONNECTING) {
      this._debugLine(`WebSocket handler for ${ws.path} returned without calling accept() or close(); refusing`);
      ws._refuse(403, '', 4403, 'Handler returned without accepting the connection');
    } else if (ws.state === WebSocketState.CONNECTED) {
      void ws.close(CloseCode.NORMAL);
    }
    if ((ws._phase & SOCKET_CLOSED) !== 0) this._finish(ws);
  }

  private _finish(ws: WebSocket): void {
    if (!this._connections.delete(ws)) return;
    const durationMs = monotonicMs() - ws._startedAt;
    const code = ws.closeCode ?? CloseCode.ABNORMAL;
    const reason = ws.closeReason ?? '';
    if ((ws._phase & OPENED) !== 0) {
      this._debugLine(`WebSocket ${ws.path} closed ${code}${reason === '' ? '' : ` ${reason}`} after ${durationMs} ms`);
    }
    const hooks = ws._hooks;
    ws._hooks = undefined;
    if (hooks?.onEnd !== undefined) {
      const error = ws._handlerError;
      const info: WebSocketEndInfo =
        error === undefined ? { code, reason, durationMs } : { code, reason, durationMs, error };
      try {
        hooks.onEnd(ws, info);
      } catch (err) {
        this._log.error(`WebSocket onEnd hook for ${ws.path} threw`, err);
      }
    }
    if (this._connections.size === 0) this._heartbeat.stop();
    this._checkShutdown();
  }

  private _abandon(): void {
    const shutdown = this._shutdown;
    if (shutdown === null) return;
    shutdown.timer = null;
    shutdown.abandoning = true;
    for (const ws of this._connections) if ((ws._phase & SOCKET_CLOSED) === 0) ws._terminate();
    this._checkShutdown();
  }

  private _checkShutdown(): void {
    const shutdown = this._shutdown;
    if (shutdown === null) return;
    if (this._connections.size > 0) {
      if (!shutdown.abandoning) return;
      for (const ws of this._connections) if ((ws._phase & SOCKET_CLOSED) === 0) return;
      for (const ws of [...this._connections]) {
        this._log.error(
          `WebSocket handler for ${ws.path} was still running ${shutdown.graceMs} ms after shutdown began; ` +
            'its socket is closed and the handler is abandoned (make it return when receive() ends)',
        );
        ws._phase |= HANDLER_DONE;
        this._finish(ws);
      }
      return;
    }
    if (shutdown.timer !== null) clearTimeout(shutdown.timer);
    this._shutdown = null;
    shutdown.resolve();
  }

  private _debugLine(message: string): void {
    if (this._debug) this._log.debug(message);
  }
}

/** A connection's handler promise fulfilled (`this` is the connection). */
function handlerFulfilled(this: WebSocket): void {
  this._owner.handlerSettled(this, false, undefined);
}

/** A connection's handler promise rejected (`this` is the connection). */
function handlerRejected(this: WebSocket, error: unknown): void {
  this._owner.handlerSettled(this, true, error);
}

/** The HTTP status a handshake refused by a thrown error gets: the error's own 4xx `status`, else 500. */
function handshakeStatus(error: unknown): number {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : 500;
}
