import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode } from './close-codes';
import { WebSocketConnectionError } from './errors';
import { WebSocketState } from './frame-type';
import { checkUpgradeRequest, isOriginAllowed, writeHandshakeRejection } from './handshake';
import { HeartbeatTimer } from './heartbeat';
import type { ResolvedWebSocketOptions } from './options';
import { chooseSubprotocol } from './subprotocol-choice';
import { WebSocket, type ConnectionOwner } from './websocket';

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

interface ConnectionRecord {
  readonly startedAt: number;
  readonly hooks: WebSocketHandlerHooks | undefined;
  handlerDone: boolean;
  socketClosed: boolean;
  opened: boolean;
  error: unknown;
}

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
  private readonly _records = new Map<WebSocket, ConnectionRecord>();
  private readonly _servers = new Map<number, WebSocketServer>();
  private readonly _heartbeat = new HeartbeatTimer(() => this._records.keys());
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
    return this._records.size;
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
    const path = (req.url ?? '/').split('?', 1)[0] as string;
    const refusal =
      this._closing !== null
        ? { status: 503, body: 'Server is shutting down' }
        : (checkUpgradeRequest(req) ??
          (!isOriginAllowed(req.headers.origin, route.options.origins)
            ? { status: 403, body: `Origin ${String(req.headers.origin)} is not allowed` }
            : this._records.size >= this._maxConnections
              ? { status: 503, body: `Server is at max_connections (${this._maxConnections})` }
              : null));
    if (refusal !== null) {
      this._debugLine(`WebSocket ${path} refused with HTTP ${refusal.status}: ${refusal.body}`);
      writeHandshakeRejection(socket, refusal.status, refusal.body, 'headers' in refusal ? refusal.headers : undefined);
      return;
    }
    const ws = new WebSocket(this, req, socket, head, route.options, route.params);
    const record: ConnectionRecord = {
      startedAt: performance.now(),
      hooks,
      handlerDone: false,
      socketClosed: false,
      opened: false,
      error: undefined,
    };
    this._records.set(ws, record);
    let result: Promise<void> | void;
    try {
      result = run(ws);
    } catch (err) {
      this._handlerSettled(ws, true, err);
      return;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      result.then(
        () => this._handlerSettled(ws, false, undefined),
        (err: unknown) => this._handlerSettled(ws, true, err),
      );
    } else {
      this._handlerSettled(ws, false, undefined);
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
    for (const ws of [...this._records.keys()]) {
      if (ws.state === WebSocketState.CONNECTING) {
        ws._refuse(503, 'Server is shutting down', CloseCode.GOING_AWAY, 'Server shutting down');
      } else if (ws.state === WebSocketState.CONNECTED) {
        void ws.close(CloseCode.GOING_AWAY, 'Server shutting down');
      }
    }
    const shutdown = this._shutdown as NonNullable<WebSocketHub['_shutdown']>;
    if (this._records.size > 0) shutdown.timer = setTimeout(() => this._abandon(), graceMs);
    this._checkShutdown();
    return this._closing;
  }

  /** @internal */
  serverFor(maxPayloadBytes: number): WebSocketServer {
    let server = this._servers.get(maxPayloadBytes);
    if (server === undefined) {
      server = new WebSocketServer({
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
    const record = this._records.get(ws);
    if (record !== undefined) record.opened = true;
    const sub = ws.subprotocol === null ? '' : ` subprotocol ${ws.subprotocol}`;
    this._debugLine(`WebSocket ${ws.path} open from ${ws.client.host}:${ws.client.port}${sub}`);
    const [interval, timeout] = this._defaultHeartbeat;
    this._heartbeat.watch(interval, timeout);
    const options = ws._limits;
    this._heartbeat.watch(options.heartbeatIntervalMs, options.heartbeatTimeoutMs);
  }

  /** @internal */
  socketClosed(ws: WebSocket): void {
    const record = this._records.get(ws);
    if (record === undefined || record.socketClosed) return;
    record.socketClosed = true;
    if (record.handlerDone) this._finish(ws, record);
    else this._checkShutdown();
  }

  private _handlerSettled(ws: WebSocket, threw: boolean, error: unknown): void {
    const record = this._records.get(ws);
    if (record === undefined || record.handlerDone) return; // abandoned at shutdown
    record.handlerDone = true;
    if (threw) {
      record.error = error;
      if (error instanceof WebSocketConnectionError && ws.state === WebSocketState.DISCONNECTED) {
        this._debugLine(`WebSocket ${ws.path} handler ended by the closed connection: ${error.message}`);
      } else {
        const action = ws.state === WebSocketState.CONNECTING ? 'refused the handshake with HTTP 500' : 'closed with 1011';
        this._log.error(`WebSocket handler for ${ws.path} threw; ${action}`, error);
      }
      if (ws.state === WebSocketState.CONNECTING) {
        ws._refuse(500, 'Internal Server Error', CloseCode.INTERNAL_ERROR, 'Internal server error');
      } else if (ws.state === WebSocketState.CONNECTED) {
        void ws.close(CloseCode.INTERNAL_ERROR, 'Internal server error');
      }
    } else if (ws.state === WebSocketState.CONNECTING) {
      this._debugLine(`WebSocket handler for ${ws.path} returned without calling accept() or close(); refusing`);
      ws._refuse(403, '', 4403, 'Handler returned without accepting the connection');
    } else if (ws.state === WebSocketState.CONNECTED) {
      void ws.close(CloseCode.NORMAL);
    }
    if (record.socketClosed) this._finish(ws, record);
  }

  private _finish(ws: WebSocket, record: ConnectionRecord): void {
    if (!this._records.delete(ws)) return;
    const durationMs = Math.round(performance.now() - record.startedAt);
    const code = ws.closeCode ?? CloseCode.ABNORMAL;
    const reason = ws.closeReason ?? '';
    if (record.opened) {
      this._debugLine(`WebSocket ${ws.path} closed ${code}${reason === '' ? '' : ` ${reason}`} after ${durationMs} ms`);
    }
    if (record.hooks?.onEnd !== undefined) {
      const info: WebSocketEndInfo =
        record.error === undefined ? { code, reason, durationMs } : { code, reason, durationMs, error: record.error };
      try {
        record.hooks.onEnd(ws, info);
      } catch (err) {
        this._log.error(`WebSocket onEnd hook for ${ws.path} threw`, err);
      }
    }
    if (this._records.size === 0) this._heartbeat.stop();
    this._checkShutdown();
  }

  private _abandon(): void {
    const shutdown = this._shutdown;
    if (shutdown === null) return;
    shutdown.timer = null;
    shutdown.abandoning = true;
    for (const [ws, record] of this._records) if (!record.socketClosed) ws._terminate();
    this._checkShutdown();
  }

  private _checkShutdown(): void {
    const shutdown = this._shutdown;
    if (shutdown === null) return;
    if (this._records.size > 0) {
      if (!shutdown.abandoning) return;
      for (const record of this._records.values()) if (!record.socketClosed) return;
      for (const [ws, record] of [...this._records]) {
        this._log.error(
          `WebSocket handler for ${ws.path} was still running ${shutdown.graceMs} ms after shutdown began; ` +
            'its socket is closed and the handler is abandoned (make it return when receive() ends)',
        );
        record.handlerDone = true;
        this._finish(ws, record);
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
