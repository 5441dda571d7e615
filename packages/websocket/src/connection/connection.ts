import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { requestIdOf } from '@serv/core';
import { closeCodeOfWsError, peerAddress } from '../internals/ws-internals';
import { assertCloseArguments, closeCodeToHttpStatus, CloseCode } from './close-codes';
import { monotonicMs } from './clock';
import { ConnectionEnd } from './connection-end';
import type { ConnectionRoute } from './connection-route';
import * as S from './connection-state';
import { disconnectedError, notActiveError, WebSocketConnectionError, WebSocketError } from './errors';
import { applyHandlerOutcome } from './handler-outcome';
import { writeHandshakeRejection } from './handshake';
import type { WebSocketLog, WebSocketOrigin } from './hooks';
import type { ResolvedWebSocketOptions } from './options';
import { failed, Outbox, RESOLVED } from './outbox';
import { PendingHandshake } from './pending-handshake';
import { compactHost, hostText, keptHeaderText, RepeatedString } from './request-info';
import { listenToRawSocket, type OwnedRawSocket, type RawSocketOwner, type RawSocketServer } from './raw-socket';
import { WebSocket } from './websocket';
import type { WebSocketRouteCounters } from '../metrics/route-counters';

/** What a connection needs from the hub that owns it (one object per hub, not per connection). */
export interface ConnectionOwner extends WebSocketLog {
  /** The `ws` server (noServer mode) that upgrades sockets with this payload limit. */
  serverFor(maxPayloadBytes: number): RawSocketServer;
  /** The handshake completed. */
  opened(conn: Connection): void;
  /** The socket closed (`fact` SOCKET_GONE) or the handler settled (HANDLER_DONE); `conn.ended` says whether both have. */
  settled(conn: Connection, fact: number): void;
}

// Peers; request paths; Host values; the kept header text (clients of one kind send the same on every connection).
const [hosts, paths, requestHosts, headerTexts] = [new RepeatedString(), new RepeatedString(), new RepeatedString(), new RepeatedString()];

/**
 * One connection's state machine (connection-state.ts): the handshake, events from the `ws` socket, the rate limit,
 * closing, and what happens when the handler settles; the hub's heartbeat tick runs its liveness check
 * (heartbeat.ts). It is an `Outbox` (writes), which is an `Inbox` (reads): one object per connection rather than
 * three. Handlers see it through `WebSocket`.
 */
export class Connection extends Outbox implements RawSocketOwner {
  /** The public face handed to the handler. */
  readonly ws: WebSocket;
  /** Close code and reason, and what the handler threw: null while open and running. */
  ending: ConnectionEnd | null = null;
  /** Handshake headers as "name\nvalue\n…" (see keptHeaderText), parsed on first use. */
  headers: string | Record<string, string>;
  /** The peer's address, packed when it is IPv4 (see compactHost). */
  private readonly peer: string | number;
  /** The request path, as sent (not percent-decoded), split from the query once. */
  readonly path: string;
  readonly port: number;
  /** The handshake's request id ('' when none was given), or the app's counter it stands for (see WebSocketOrigin). */
  private readonly reqId: string | number;
  /** The host the client asked for. */
  readonly requestHost: string;
  /** Set by the integration layer: its per-connection object (its `ConnectionContext`), for the `onEnd` hook. */
  scope: unknown = undefined;
  /** `monotonicMs()` when the upgrade request arrived. */
  readonly startedAt = monotonicMs();
  private pending: PendingHandshake | null;
  private windowStart = 0;
  private windowCount = 0;
  /** Heartbeat: monotonicMs() of the last ping (or of the handshake); see heartbeat.ts. */
  pingAt = 0;
  /** Message timeout: monotonicMs() when a half-received message was first seen, 0 when none; see heartbeat.ts. */
  partialSince = 0;

  constructor(
    /** What this connection shares with the others of its route: the hub, limits, counters and hooks. */
    readonly route: ConnectionRoute,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    path: string,
    /** The raw query string without `?`. */
    readonly queryString: string,
    /** Route parameters, set by the routing layer. */
    public params: Record<string, unknown>,
    origin?: WebSocketOrigin,
  ) {
    super(socket);
    this.word = S.CONNECTING | S.PEER_SEEN; // the state word (connection-state.ts), declared by Inbox
    this.headers = headerTexts.share(keptHeaderText(req.rawHeaders));
    this.path = paths.share(path);
    const client = origin?.client ?? peerAddress(socket); // the app's resolved client, else the handle's peer
    this.peer = compactHost(hosts.share(('host' in client ? client.host : client.address) ?? ''));
    this.port = client.port ?? 0;
    this.reqId = origin?.requestId ?? '';
    const secure = origin === undefined ? (socket as { encrypted?: boolean }).encrypted === true : origin.scheme === 'https';
    if (secure) this.word |= S.SECURE;
    this.requestHost = requestHosts.share(origin === undefined ? (req.headers.host ?? '') : origin.host);
    this.ws = new WebSocket(this);
    this.pending = new PendingHandshake(socket, req, head, () => this.transportGone());
  }

  /** The route's resolved limits. */
  get options(): ResolvedWebSocketOptions {
    return this.route.options;
  }

  /** The route's metrics counters. */
  get counters(): WebSocketRouteCounters {
    return this.route.counters;
  }

  /** The client's address. */
  get host(): string {
    return hostText(this.peer);
  }

  /** The handshake's request id ('' when none was given). */
  get requestId(): string {
    const id = this.reqId;
    return typeof id === 'number' ? requestIdOf(id) : id;
  }

  /** True while the state machine is OPEN. */
  get connected(): boolean {
    return (this.word & S.STATE_MASK) === S.OPEN;
  }

  /** True once the socket is closed and the handler settled. */
  get ended(): boolean {
    return (this.word & S.ENDED) === S.ENDED;
  }

  /** Whether the client used TLS (https/wss), directly or as a trusted proxy says. */
  get secure(): boolean {
    return (this.word & S.SECURE) !== 0;
  }

  /** True if `accept()` ever completed. */
  get wasOpen(): boolean {
    return (this.word & S.WAS_OPEN) !== 0;
  }

  /** Complete the handshake, optionally choosing one of the client's subprotocols; only once. */
  accept(subprotocol: string | undefined, offered: readonly string[]): Promise<void> {
    if (this.raw !== null) {
      return failed(
        new WebSocketConnectionError('WebSocket connection already established', {
          errorCode: 'SERV_WS_ALREADY_ESTABLISHED',
        }),
      );
    }
    const pending = this.pending;
    if ((this.word & S.STATE_MASK) === S.CLOSED || pending === null) return failed(this.closedError());
    if (subprotocol !== undefined && !offered.includes(subprotocol)) {
      const list = offered.map((p) => `"${p}"`).join(', ') || 'none';
      return failed(
        new WebSocketError(
          `Cannot accept subprotocol ${JSON.stringify(subprotocol)} on ${this.path}: the client offered ${list}`,
          { errorCode: 'SERV_WS_SUBPROTOCOL' },
        ),
      );
    }
    const server = this.route.owner.serverFor(this.options.maxMessageBytes);
    pending.upgrade(server, subprotocol ?? null, this.requestId, (raw) => this.attach(raw));
    if (this.raw === null) {
      // ws destroyed the socket instead of upgrading it: the client was already gone.
      this.markClosed(CloseCode.ABNORMAL, 'Client went away before the handshake completed');
      return failed(this.closedError());
    }
    this.route.owner.opened(this);
    return RESOLVED;
  }

  /** Close with `code` and `reason`; idempotent. Before `accept()` it refuses the handshake with an HTTP status. */
  close(code: number, reason: string): Promise<void> {
    assertCloseArguments(code, reason);
    const state = this.word & S.STATE_MASK;
    if (state === S.CONNECTING) {
      this.refuse(closeCodeToHttpStatus(code), reason, code, reason);
    } else if (state === S.OPEN) {
      this.markClosed(code, reason);
      (this.raw as OwnedRawSocket).close(code, reason);
    }
    return RESOLVED;
  }

  /** Refuse the handshake with an HTTP status (`body` '' = the status text); only while CONNECTING. */
  refuse(status: number, body: string, code: number, reason: string): void {
    if ((this.word & S.STATE_MASK) !== S.CONNECTING) return;
    this.markClosed(code, reason);
    const text = body === '' ? (STATUS_CODES[status] ?? '') : body;
    this.route.owner.debug(`WebSocket ${this.path} refused with HTTP ${status}: ${text} (close ${code})`);
    writeHandshakeRejection(this.socket, status, text);
  }

  /** Server shutdown: refuse a pending handshake with 503, close an open connection with 1001. */
  shutdown(): void {
    const state = this.word & S.STATE_MASK;
    if (state === S.CONNECTING) this.refuse(503, 'Server is shutting down', CloseCode.GOING_AWAY, 'Server shutting down');
    else if (state === S.OPEN) void this.close(CloseCode.GOING_AWAY, 'Server shutting down');
  }

  /** Drop the connection without a closing handshake (shutdown grace period over). */
  terminate(): void {
    if ((this.word & S.STATE_MASK) !== S.CLOSED) this.markClosed(CloseCode.ABNORMAL, 'Terminated');
    const raw = this.raw;
    if (raw !== null) raw.terminate();
    else this.socket.destroy();
  }

  /** The handler returned (`threw` false) or threw `error`; ignored once abandoned at shutdown. */
  handlerSettled(threw: boolean, error: unknown): void {
    if ((this.word & S.HANDLER_DONE) !== 0) return;
    if (threw) (this.ending ??= new ConnectionEnd()).error = error;
    applyHandlerOutcome(this, this.route.owner, threw, error);
    this.settle(S.HANDLER_DONE);
  }

  /** Record one of the two end facts (`S.SOCKET_GONE`, `S.HANDLER_DONE`) once, and tell the owner. */
  settle(fact: number): void {
    if ((this.word & fact) !== 0) return;
    this.word |= fact;
    this.route.owner.settled(this, fact);
  }

  /** A message from ws: heartbeat bookkeeping, rate limit, then the inbox. */
  message(data: Buffer, isBinary: boolean): void {
    if ((this.word & S.STATE_MASK) !== S.OPEN) return; // we already closed; the handler is done reading
    this.counters.received++;
    this.word |= S.PEER_SEEN;
    this.partialSince = 0;
    const limit = this.options.rateLimitMessages;
    if (limit !== 0) {
      const now = monotonicMs();
      if (now - this.windowStart >= this.options.rateLimitIntervalMs) {
        this.windowStart = now;
        this.windowCount = 1;
      } else if (++this.windowCount > limit) {
        void this.close(CloseCode.POLICY_VIOLATION, 'Rate limit exceeded');
        return;
      }
    }
    this.push(data, isBinary);
  }

  /** A ping: the peer is alive; answer with its data (RFC 6455 5.5.2). Unread pongs count toward `maxBufferedBytes`. */
  ping(data: Buffer): void {
    const raw = this.raw;
    if (raw === null || (this.word & S.STATE_MASK) !== S.OPEN) return;
    this.word |= S.PEER_SEEN;
    raw.pong(data);
    if (raw.bufferedAmount > this.options.maxBufferedBytes) this.overflowed('Send buffer limit exceeded');
  }

  /** A pong: the peer is alive. */
  pong(): void {
    this.word |= S.PEER_SEEN;
  }

  /** ws reported the connection closed (after our close, the peer's, an error or a terminate). */
  rawClose(code: number, reason: Buffer): void {
    if ((this.word & S.STATE_MASK) !== S.CLOSED) this.markClosed(code, reason.toString());
    this.settle(S.SOCKET_GONE);
  }

  /** ws hit a protocol error (1007 bad UTF-8, 1009 too big…) and is closing with its code. */
  rawError(error: Error): void {
    if ((this.word & S.STATE_MASK) === S.OPEN) this.markClosed(closeCodeOfWsError(error), error.message);
  }

  /** The error a read gets when no message is queued: null while open. */
  readError(): WebSocketConnectionError | null {
    if ((this.word & S.STATE_MASK) === S.OPEN) return null;
    return this.raw === null ? this.notActive() : this.closedError();
  }

  /** Pause (true) or resume (false) reading from the peer. */
  setBacklogged(paused: boolean): void {
    const raw = this.raw;
    if (raw === null) return;
    if (paused) raw.pause();
    else raw.resume();
  }

  /** The peer is not reading (backlog past `maxBufferedBytes`, or a send waited `sendTimeoutMs`): close 1013 and drop it. */
  overflowed(reason: string): WebSocketConnectionError {
    this.markClosed(CloseCode.TRY_AGAIN_LATER, reason);
    this.dropOverflowed(reason);
    return this.closedError();
  }

  /** "WebSocket disconnected: <code> <reason>" for the way this connection closed. */
  closedError(): WebSocketConnectionError {
    return disconnectedError(this.ending?.code ?? CloseCode.ABNORMAL, this.ending?.reason ?? '');
  }

  /** "WebSocket connection is not active" for this connection (see notActiveError). */
  notActive(): WebSocketConnectionError {
    return notActiveError(this.ending?.code ?? null, this.ending?.reason ?? null);
  }

  /** Move to CLOSED with `code`/`reason` and wake whoever waits on the connection (readers, parked sends). */
  markClosed(code: number, reason: string): void {
    this.word = (this.word & ~S.STATE_MASK) | S.CLOSED;
    const ending = (this.ending ??= new ConnectionEnd());
    ending.code = code;
    ending.reason = reason;
    this.end();
    this.failParkedSends();
  }

  private attach(raw: OwnedRawSocket): void {
    // Listeners go on inside the upgrade callback, before any frame can be parsed (ws issue #1322).
    listenToRawSocket(raw, this);
    this.raw = raw;
    this.word = (this.word & ~S.STATE_MASK) | S.OPEN | S.WAS_OPEN;
    this.pingAt = monotonicMs();
    this.dropPending();
  }

  /** The socket closed before `ws` took it over. */
  private transportGone(): void {
    if ((this.word & S.STATE_MASK) === S.CONNECTING) this.markClosed(CloseCode.ABNORMAL, 'Client went away before the handshake completed');
    this.dropPending();
    this.settle(S.SOCKET_GONE);
  }

  private dropPending(): void {
    this.pending?.drop();
    this.pending = null;
  }
}
