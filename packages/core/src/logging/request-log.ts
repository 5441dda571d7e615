import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { ProxyTrust } from '../http/proxy-trust';
import { PINO_LEVEL } from './log-output';
import type { Logger } from './logger';
import { isSaneRequestId, nextRequestId } from './request-id';

/** How one HTTP request ended, for its log line. */
export interface RequestLine {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** The matched route's pattern (`/users/{id:int}`), undefined when none matched. */
  readonly routePath: string | undefined;
}

/**
 * One info line per HTTP request (and the request ids they carry). The JSON line is written by hand, in pino's
 * shape (`level`, `time`, `pid`, `hostname`, `name`, `msg`, then the fields), because it runs once per request and a
 * generic serializer costs several times more; every other line goes through pino.
 */
export class RequestLog {
  /** Paths whose requests are not logged (health checks, metrics scrapes); exact paths, add to it before start. */
  readonly excludedPaths = new Set<string>();
  private readonly jsonHead: string;
  /** Route patterns as JSON strings: a route table is small and fixed, so each is encoded once. */
  private readonly routeJsonCache = new Map<string, string>();

  constructor(
    private readonly logger: Logger,
    private readonly trust: ProxyTrust,
  ) {
    this.jsonHead = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"name":${JSON.stringify(logger.name)},"msg":"request","reqId":`;
  }

  /** The id of `req`: its `x-request-id` when it came from a trusted proxy and looks sane, else a fresh one. */
  idOf(req: IncomingMessage): string {
    if (this.trust.enabled) {
      const incoming = req.headers['x-request-id'];
      if (isSaneRequestId(incoming) && this.trust.trustsPeer(req)) return incoming;
    }
    return nextRequestId();
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
    if (this.excludedPaths.has(line.path) || !this.logger.enabled('info')) return;
    const durationMs = Math.round(elapsedMs * 1000) / 1000;
    const client = this.trust.clientAddress(req);
    if (this.logger.format === 'json') {
      this.logger.writeBuilt(
        'info',
        // The method needs no escaping: Node's parser accepts only token characters there.
        `{"level":${PINO_LEVEL.info},"time":${Date.now()}${this.jsonHead}${jsonString(line.requestId)},"method":"${line.method}"` +
          `,"path":${jsonString(line.path)},"route":${line.routePath === undefined ? 'null' : this.routeJson(line.routePath)},"status":${status}` +
          `,"durationMs":${durationMs},"bytes":${bytes},"client":${jsonString(client)}}\n`,
      );
      return;
    }
    const size = bytes === null ? '' : ` ${bytes}B`;
    this.logger.writeBuilt('info', `${line.method} ${line.path} ${status} ${durationMs.toFixed(1)}ms${size} ${client} id=${line.requestId}`);
  }

  private routeJson(route: string): string {
    let json = this.routeJsonCache.get(route);
    if (json === undefined) this.routeJsonCache.set(route, (json = jsonString(route)));
    return json;
  }
}

// Anything that needs escaping (quotes, backslashes, controls, non-ASCII) goes through JSON.stringify; the rest is
// quoted as is.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}
