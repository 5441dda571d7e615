import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { wsInternalsStatus } from '../internals/ws-internals';
import { CloseCode } from './close-codes';
import { monotonicMs } from './clock';
import { ConnectionRoutes } from './connection-route';
import { Connection, type ConnectionOwner } from './connection';
import { HANDLER_DONE, SOCKET_GONE } from './connection-state';
import { checkUpgradeRequest, isOriginAllowed, writeHandshakeRejection } from './handshake';
import { PerIpLimit } from './per-ip-limit';
import { HeartbeatTimer } from './heartbeat';
import type { WebSocketEndInfo, WebSocketHandlerHooks, WebSocketLog, WebSocketOrigin, WebSocketRunner } from './hooks';
import type { ResolvedWebSocketOptions } from './options';
import { chooseSubprotocol } from './subprotocol-choice';
import { OwnedRawSocket, type RawSocketServer } from './raw-socket';
import { addRequestIdHeader } from './request-id-header';
import { splitRequestTarget } from './request-info';
import { UNCOUNTED, type WebSocketRouteCounters } from '../metrics/route-counters';

export type { WebSocketEndInfo, WebSocketHandlerHooks, WebSocketLog, WebSocketOrigin, WebSocketRunner } from './hooks';

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
  /** Open connections allowed per client address before new handshakes get HTTP 503 (default 0: no limit). */
  readonly maxConnectionsPerIp?: number;
}


/** The matched route as the hub needs it: its resolved limits and its path parameters. */
export interface WebSocketRouteMatch {
  readonly options: ResolvedWebSocketOptions;
  readonly params: Record<string, unknown>;
  /** The request target split once by whoever matched the route (`splitRequestTarget`); split here when absent. */
  readonly target?: readonly [path: string, queryString: string];
  /** Client, scheme, host and request id; absent: the TCP peer, no id. */
  readonly origin?: WebSocketOrigin;
  /** The route's counters for `/metrics`; absent, nothing is counted. */
  readonly counters?: WebSocketRouteCounters;
}

/**
 * The hub's heartbeat timer, for tests.
 * @internal
 */
export let heartbeatTimerOf: (hub: WebSocketHub) => HeartbeatTimer;

/** A shutdown in progress: its promise's resolve, the grace timer, and whether the grace period is over. */
interface Shutdown {
  resolve: () => void;
  timer: NodeJS.Timeout | null;
  graceMs: number;
  abandoning: boolean;
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
export class WebSocketHub {
  static {
    heartbeatTimerOf = (hub) => hub.#heartbeat;
  }

  readonly #connections = new Set<Connection>();
  readonly #servers = new Map<number, RawSocketServer>();
  readonly #heartbeat = new HeartbeatTimer(this.#connections);
  readonly #maxConnections: number;
  readonly #perMessageDeflate: boolean;
  readonly #log: WebSocketLog;
  readonly #debug: boolean;
  readonly #defaultHeartbeat: [intervalMs: number, timeoutMs: number];
  readonly #perIp: PerIpLimit;
  /** What a route's connections share, the hub's callbacks (its `ConnectionOwner`) among them. */
  readonly #routes: ConnectionRoutes;
  #closing: Promise<void> | null = null;
  #shutdown: Shutdown | null = null;

  constructor(options: WebSocketHubOptions = {}) {
    this.#maxConnections = options.maxConnections ?? 1000;
    this.#perMessageDeflate = options.perMessageDeflate ?? false;
    this.#log = options.log ?? consoleLog;
    this.#debug = options.debug ?? false;
    this.#defaultHeartbeat = [options.heartbeatIntervalMs ?? 30_000, options.heartbeatTimeoutMs ?? 10_000];
    this.#perIp = new PerIpLimit(options.maxConnectionsPerIp ?? 0);
    const internals = wsInternalsStatus();
    if (!internals.usingInternals) this.#debugLine(`WebSocket frames go through ws's public API only: ${internals.reason}`);
    // What the hub's connections call back: one object per hub, so the hub's own surface stays public-only.
    const owner: ConnectionOwner = {
      serverFor: (maxPayloadBytes) => this.#serverFor(maxPayloadBytes),
      opened: (conn) => this.#opened(conn),
      settled: (conn, fact) => {
        if (fact === SOCKET_GONE) this.#socketGone(conn);
        if (conn.ended) this.#finish(conn);
        else this.#checkShutdown();
      },
      debug: (message) => this.#debugLine(message),
      error: (message, error) => this.#log.error(message, error),
    };
    this.#routes = new ConnectionRoutes(owner);
  }

  /** Connections whose socket is open or whose handler is still running. */
  get size(): number {
    return this.#connections.size;
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
    const [path, queryString] = route.target ?? splitRequestTarget(req.url ?? '/');
    const refusal =
      this.#closing !== null
        ? { status: 503, body: 'Server is shutting down' }
        : (checkUpgradeRequest(req) ??
          (!isOriginAllowed(req.headers.origin, route.options.origins)
            ? { status: 403, body: `Origin ${String(req.headers.origin)} is not allowed` }
            : this.#connections.size >= this.#maxConnections
              ? { status: 503, body: `Server is at max_connections (${this.#maxConnections})` }
              : null));
    if (refusal !== null) {
      this.#debugLine(`WebSocket ${path} refused with HTTP ${refusal.status}: ${refusal.body}`);
      writeHandshakeRejection(socket, refusal.status, refusal.body, 'headers' in refusal ? refusal.headers : undefined);
      return;
    }
    const address = this.#perIp.max === 0 ? '' : (route.origin?.client?.host ?? req.socket.remoteAddress ?? '');
    if (this.#perIp.isFull(address)) {
      this.#debugLine(`WebSocket ${path} refused with HTTP 503: ${address} is at max_connections_per_ip`);
      writeHandshakeRejection(socket, 503, `Too many connections from your address (max_connections_per_ip is ${this.#perIp.max})`);
      return;
    }
    const shared = this.#routes.get(route.options, route.counters ?? UNCOUNTED, hooks);
    const conn = new Connection(shared, req, socket, head, path, queryString, route.params, route.origin);
    this.#connections.add(conn);
    this.#perIp.add(address, conn);
    let result: Promise<void> | void;
    try {
      result = run(conn.ws);
    } catch (err) {
      conn.handlerSettled(true, err);
      return;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      // Bound to the connection: two small bound functions per connection instead of two closures and a context.
      result.then(handlerFulfilled.bind(conn), handlerRejected.bind(conn));
    } else {
      conn.handlerSettled(false, undefined);
    }
  }

  /** Refuse a handshake with a plain-text HTTP response and drop the socket (e.g. 403 when no route matches). */
  reject(socket: Duplex, status: number, body: string, headers?: Readonly<Record<string, string>>): void {
    this.#debugLine(`WebSocket handshake refused with HTTP ${status}: ${body}`);
    writeHandshakeRejection(socket, status, body, headers);
  }

  /**
   * Shut down: new handshakes get 503, open connections get close 1001 "Server shutting down" (ending their
   * `for await` loops), handlers get `graceMs` to finish, then remaining sockets are terminated. Resolves when
   * every socket is closed and every handler settled — or, for a handler still running once its socket was
   * terminated after the grace period, when it has been logged and abandoned.
   */
  close(graceMs = 5000): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#heartbeat.stop();
    this.#closing = new Promise<void>((resolve) => {
      this.#shutdown = { resolve, timer: null, graceMs, abandoning: false };
    });
    for (const conn of [...this.#connections]) conn.shutdown();
    const shutdown = this.#shutdown as unknown as Shutdown;
    if (this.#connections.size > 0) shutdown.timer = setTimeout(() => this.#abandon(), graceMs);
    this.#checkShutdown();
    return this.#closing;
  }

  #serverFor(maxPayloadBytes: number): RawSocketServer {
    let server = this.#servers.get(maxPayloadBytes);
    if (server === undefined) {
      server = new WebSocketServer({
        WebSocket: OwnedRawSocket,
        noServer: true,
        clientTracking: false,
        // Connections answer pings themselves (Connection.ping): ws's automatic pong keeps a closure and its context
        // on every socket (~100 bytes per idle connection).
        autoPong: false,
        maxPayload: maxPayloadBytes,
        perMessageDeflate: this.#perMessageDeflate,
        handleProtocols: chooseSubprotocol,
      });
      server.on('headers', addRequestIdHeader);
      this.#servers.set(maxPayloadBytes, server);
    }
    return server;
  }

  #opened(conn: Connection): void {
    conn.counters.open += 1;
    if (this.#debug) {
      const sub = conn.ws.subprotocol === null ? '' : ` subprotocol ${conn.ws.subprotocol}`;
      this.#log.debug(`WebSocket ${conn.path} open from ${conn.host}:${conn.port}${sub}`);
    }
    const [interval, timeout] = this.#defaultHeartbeat;
    this.#heartbeat.watch(interval, timeout);
    this.#heartbeat.watch(conn.options.heartbeatIntervalMs, conn.options.heartbeatTimeoutMs);
    // The same tick checks for half-received messages, so it must come often enough for the message timeout too.
    this.#heartbeat.watch(conn.options.messageTimeoutMs, conn.options.messageTimeoutMs);
  }

  /** The socket closed, the handler maybe still running: the `onClose` hook (rooms drop the connection here). */
  #socketGone(conn: Connection): void {
    if (conn.wasOpen) conn.counters.closed(conn.ending?.code ?? CloseCode.ABNORMAL);
    const onClose = conn.route.hooks?.onClose;
    if (onClose === undefined) return;
    try {
      onClose(conn.ws);
    } catch (err) {
      this.#log.error(`WebSocket onClose hook for ${conn.path} threw`, err);
    }
  }

  #finish(conn: Connection): void {
    if (!this.#connections.delete(conn)) return;
    this.#perIp.release(conn);
    const durationMs = monotonicMs() - conn.startedAt;
    const code = conn.ending?.code ?? CloseCode.ABNORMAL;
    const reason = conn.ending?.reason ?? '';
    if (conn.wasOpen) {
      this.#debugLine(`WebSocket ${conn.path} closed ${code}${reason === '' ? '' : ` ${reason}`} after ${durationMs} ms`);
    }
    const hooks = conn.route.hooks;
    if (hooks?.onEnd !== undefined) {
      const error = conn.ending?.error;
      const info: WebSocketEndInfo =
        error === undefined ? { code, reason, durationMs } : { code, reason, durationMs, error };
      try {
        hooks.onEnd(conn.ws, info);
      } catch (err) {
        this.#log.error(`WebSocket onEnd hook for ${conn.path} threw`, err);
      }
    }
    if (this.#connections.size === 0) this.#heartbeat.stop();
    this.#checkShutdown();
  }

  #abandon(): void {
    const shutdown = this.#shutdown;
    if (shutdown === null) return;
    shutdown.timer = null;
    shutdown.abandoning = true;
    for (const conn of this.#connections) if ((conn.word & SOCKET_GONE) === 0) conn.terminate();
    this.#checkShutdown();
  }

  #checkShutdown(): void {
    const shutdown = this.#shutdown;
    if (shutdown === null) return;
    if (this.#connections.size > 0) {
      if (!shutdown.abandoning) return;
      for (const conn of this.#connections) if ((conn.word & SOCKET_GONE) === 0) return;
      for (const conn of [...this.#connections]) {
        if (!this.#connections.has(conn)) continue; // finished by an earlier turn of this loop
        this.#log.error(
          `WebSocket handler for ${conn.path} was still running ${shutdown.graceMs} ms after shutdown began; ` +
            'its socket is closed and the handler is abandoned (make it return when receive() ends)',
        );
        conn.settle(HANDLER_DONE);
      }
      return;
    }
    if (shutdown.timer !== null) clearTimeout(shutdown.timer);
    this.#shutdown = null;
    shutdown.resolve();
  }

  #debugLine(message: string): void {
    if (this.#debug) this.#log.debug(message);
  }
}

/** A connection's handler promise fulfilled (`this` is the connection). */
function handlerFulfilled(this: Connection): void {
  this.handlerSettled(false, undefined);
}

/** A connection's handler promise rejected (`this` is the connection). */
function handlerRejected(this: Connection, error: unknown): void {
  this.handlerSettled(true, error);
}
