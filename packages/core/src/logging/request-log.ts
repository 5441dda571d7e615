import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { ProxyTrust } from '../http/proxy-trust';
import { PINO_LEVEL } from './log-output';
import type { Logger } from './logger';
import { putDigits } from './line-buffer';
import { isSaneRequestId, nextRequestSeq, REQUEST_ID_PREFIX, requestIdOf } from './request-id';

/** How one HTTP request ended, for its log line. */
export interface RequestLine {
  readonly requestId: string;
  /** The counter the id was made from (written as digits), 0 when the id came from a trusted proxy. */
  readonly requestSeq: number;
  readonly method: string;
  readonly path: string;
  /** The matched route's pattern (`/users/{id:int}`), undefined when none matched. */
  readonly routePath: string | undefined;
}

// The constant parts of a JSON request line, encoded once.
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const LEVEL_TIME = `{"level":${PINO_LEVEL.info},"time":`;
/** Milliseconds since the epoch have 13 digits from September 2001 to 2286; the head keeps room for exactly that. */
const TIME_DIGITS = 13;
const TIME_MIN = 1e12;
const TIME_MAX = 1e13;
const BILLION = 1e9;
const DURATION = ascii(',"durationMs":');
const BYTES = ascii(',"bytes":');
const NULL = ascii('null');
const QUOTE = 0x22;
/** Room for the numbers of a line, beyond its cached parts and escaped strings. */
const NUMBER_BYTES = 96;
/** At most this many (status, method, route) parts are kept encoded; past it they are encoded per line. */
const MAX_ROUTE_PARTS = 1024;

/**
 * One info line per HTTP request (and the request ids they carry). The JSON line is serialised by hand, in pino's
 * shape (`level`, `time`, `pid`, `hostname`, `name`, `msg`, then the fields), straight into the output's bytes,
 * because it runs once per request and a generic serializer costs several times more; every other line goes
 * through pino. What repeats from line to line is kept encoded: the head (its time digits rewritten when the
 * millisecond changes), the `method`/`route`/`status` part of each route, and the `client` part of each connection
 * (of the last client seen, behind a trusted proxy).
 */
export class RequestLog {
  /** Paths whose requests are not logged (health checks, metrics scrapes); exact paths, add to it before start. */
  readonly excludedPaths = new Set<string>();
  /** `{"level":30,"time":<13 digits>,"pid":…,"hostname":…,"name":…,"msg":"request","reqId":"<prefix>-` as UTF-8. */
  private readonly head: Buffer;
  /** The head up to `"reqId":`, for an id kept from a proxy (a view: its time digits are the head's). */
  private readonly headBeforeId: Buffer;
  /** The head and headBeforeId after their time digits, for a time that does not have 13 digits (views). */
  private readonly headAfterTime: Buffer;
  private readonly headAfterTimeBeforeId: Buffer;
  /** The millisecond the head's time digits say. */
  private headTime = 0;
  private readonly routeParts = new Map<string, Buffer>();
  private lastStatus = -1;
  private lastMethod = '';
  private lastRoute: string | undefined = '';
  private lastRoutePart = NULL;
  private readonly peerParts = new WeakMap<object, Buffer>();
  private lastClient: string | undefined = undefined;
  private lastClientPart = NULL;

  constructor(
    private readonly logger: Logger,
    private readonly trust: ProxyTrust,
  ) {
    const beforeId = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"name":${JSON.stringify(logger.name)},"msg":"request","reqId":`;
    this.head = Buffer.from(`${LEVEL_TIME}${'0'.repeat(TIME_DIGITS)}${beforeId}"${REQUEST_ID_PREFIX}`);
    const timeEnd = LEVEL_TIME.length + TIME_DIGITS;
    const idAt = timeEnd + Buffer.byteLength(beforeId);
    this.headBeforeId = this.head.subarray(0, idAt);
    this.headAfterTime = this.head.subarray(timeEnd);
    this.headAfterTimeBeforeId = this.head.subarray(timeEnd, idAt);
  }

  /** The id of `req`: its `x-request-id` when it came from a trusted proxy and looks sane, else a fresh one. */
  idOf(req: IncomingMessage): string {
    return this.idFor(req, this.seqOf(req));
  }

  /** A fresh request counter for `req`, or 0 when its `x-request-id` is kept (see idOf). */
  seqOf(req: IncomingMessage): number {
    if (this.trust.enabled && this.keepsIncomingId(req)) return 0;
    return nextRequestSeq();
  }

  /** The id of `req` given seqOf(req). */
  idFor(req: IncomingMessage, seq: number): string {
    return seq === 0 ? (req.headers['x-request-id'] as string) : requestIdOf(seq);
  }

  private keepsIncomingId(req: IncomingMessage): boolean {
    return isSaneRequestId(req.headers['x-request-id']) && this.trust.trustsPeer(req);
  }

  /** Writes the line of a request answered by `res` (unless its path is excluded or info is off). */
  http(req: IncomingMessage, res: ServerResponse, line: RequestLine, durationMs: number): void {
    if (!this.logger.enabled('info')) return;
    const length = res.getHeader('content-length');
    this.line(req, line, res.statusCode, length === undefined ? null : Number(length), durationMs);
  }

  /**
   * Writes the line of a finished request whose status and body length (null: none declared) the caller knows, which
   * spares reading them back from the response (unless its path is excluded or info is off).
   */
  line(req: IncomingMessage, line: RequestLine, status: number, bytes: number | null, elapsedMs: number): void {
    if (!this.logger.enabled('info') || (this.excludedPaths.size !== 0 && this.excludedPaths.has(line.path))) return;
    const output = this.logger.jsonOutput();
    if (output === undefined) {
      const client = this.trust.clientAddress(req);
      const size = bytes === null ? '' : ` ${bytes}B`;
      this.logger.writeBuilt('info', `${line.method} ${line.path} ${status} ${elapsedMs.toFixed(1)}ms${size} ${client} id=${line.requestId}`);
      return;
    }
    const routePart = this.routePart(status, line.method, line.routePath);
    const clientPart = this.clientPart(req);
    const seq = line.requestSeq;
    const path = line.path;
    const strings = (seq === 0 ? line.requestId.length : 0) + path.length;
    const out = output.beginJsonLine(this.head.length + routePart.length + clientPart.length + NUMBER_BYTES + 6 * strings);
    const now = Date.now();
    if (now !== this.headTime && !this.setHeadTime(now)) {
      out.text(LEVEL_TIME);
      out.integer(now);
      out.bytes(seq === 0 ? this.headAfterTimeBeforeId : this.headAfterTime);
    } else {
      out.bytes(seq === 0 ? this.headBeforeId : this.head);
    }
    if (seq === 0) {
      out.jsonString(line.requestId);
    } else {
      out.integer(seq);
      out.byte(QUOTE);
    }
    out.bytes(routePart);
    out.jsonString(path);
    out.bytes(DURATION);
    out.milliseconds(elapsedMs);
    out.bytes(BYTES);
    // A content-length set by hand could be anything; the line stays valid JSON whatever it is.
    if (bytes !== null && Number.isSafeInteger(bytes) && bytes >= 0) out.integer(bytes);
    else out.bytes(NULL);
    out.bytes(clientPart);
    output.endJsonLine('info');
  }

  // Writes `now` into the head's time digits; false when it does not have 13 digits (a clock far off).
  private setHeadTime(now: number): boolean {
    if (!(now >= TIME_MIN && now < TIME_MAX)) return false;
    this.headTime = now;
    const high = Math.floor(now / BILLION);
    putDigits(this.head, LEVEL_TIME.length, high, TIME_DIGITS - 9);
    putDigits(this.head, LEVEL_TIME.length + TIME_DIGITS - 9, now - high * BILLION, 9);
    return true;
  }

  // `,"method":"GET","route":"/users/{id:int}","status":200,"path":` encoded, kept per status, method and route.
  private routePart(status: number, method: string, route: string | undefined): Buffer {
    if (status === this.lastStatus && method === this.lastMethod && route === this.lastRoute) return this.lastRoutePart;
    const key = route === undefined ? `${status} ${method}` : `${status} ${method} ${route}`;
    let part = this.routeParts.get(key);
    if (part === undefined) {
      part = Buffer.from(`,"method":${JSON.stringify(method)},"route":${route === undefined ? 'null' : JSON.stringify(route)},"status":${status},"path":`);
      if (this.routeParts.size < MAX_ROUTE_PARTS) this.routeParts.set(key, part);
    }
    this.lastStatus = status;
    this.lastMethod = method;
    this.lastRoute = route;
    this.lastRoutePart = part;
    return part;
  }

  // `,"client":"127.0.0.1"}` and the newline, encoded: kept per connection while the client is the TCP peer (reading
  // `socket.remoteAddress` on every request cost about 540 CPU instructions in callgrind, the lookup far less), else
  // for the last client seen.
  private clientPart(req: IncomingMessage): Buffer {
    const socket = req.socket;
    const perSocket = !this.trust.enabled;
    if (perSocket) {
      const kept = this.peerParts.get(socket);
      if (kept !== undefined) return kept;
    }
    const client = this.trust.clientAddress(req);
    if (client !== this.lastClient) {
      this.lastClient = client;
      this.lastClientPart = Buffer.from(`,"client":${JSON.stringify(client)}}\n`);
    }
    // A closed socket has no address any more: nothing to keep.
    if (perSocket && client !== '') this.peerParts.set(socket, this.lastClientPart);
    return this.lastClientPart;
  }
}
