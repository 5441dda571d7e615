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

// The constant parts of a JSON request line, encoded once.
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const LEVEL_TIME = ascii(`{"level":${PINO_LEVEL.info},"time":`);
const METHOD = ascii(',"method":');
const PATH = ascii(',"path":');
const ROUTE = ascii(',"route":');
const STATUS = ascii(',"status":');
const DURATION = ascii(',"durationMs":');
const BYTES = ascii(',"bytes":');
const CLIENT = ascii(',"client":');
const NULL = ascii('null');
const END = ascii('}\n');
/** Room for the constant parts and the numbers of a line, beyond the head and the escaped strings. */
const FIXED_BYTES = 256;

/**
 * One info line per HTTP request (and the request ids they carry). The JSON line is serialised by hand, in pino's
 * shape (`level`, `time`, `pid`, `hostname`, `name`, `msg`, then the fields), straight into the output's bytes,
 * because it runs once per request and a generic serializer costs several times more; every other line goes
 * through pino.
 */
export class RequestLog {
  /** Paths whose requests are not logged (health checks, metrics scrapes); exact paths, add to it before start. */
  readonly excludedPaths = new Set<string>();
  /** `,"pid":…,"hostname":…,"name":…,"msg":"request","reqId":` as UTF-8. */
  private readonly jsonHead: Buffer;

  constructor(
    private readonly logger: Logger,
    private readonly trust: ProxyTrust,
  ) {
    this.jsonHead = Buffer.from(`,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"name":${JSON.stringify(logger.name)},"msg":"request","reqId":`);
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
    if (!this.logger.enabled('info') || this.excludedPaths.has(line.path)) return;
    const client = this.trust.clientAddress(req);
    const output = this.logger.jsonOutput();
    if (output === undefined) {
      const size = bytes === null ? '' : ` ${bytes}B`;
      this.logger.writeBuilt('info', `${line.method} ${line.path} ${status} ${elapsedMs.toFixed(1)}ms${size} ${client} id=${line.requestId}`);
      return;
    }
    const route = line.routePath;
    const strings = line.requestId.length + line.method.length + line.path.length + (route === undefined ? 0 : route.length) + client.length;
    const out = output.beginJsonLine(FIXED_BYTES + this.jsonHead.length + 6 * strings);
    out.bytes(LEVEL_TIME);
    out.integer(Date.now());
    out.bytes(this.jsonHead);
    out.jsonString(line.requestId);
    out.bytes(METHOD);
    out.jsonString(line.method);
    out.bytes(PATH);
    out.jsonString(line.path);
    out.bytes(ROUTE);
    if (route === undefined) out.bytes(NULL);
    else out.jsonString(route);
    out.bytes(STATUS);
    out.integer(status);
    out.bytes(DURATION);
    out.milliseconds(elapsedMs);
    out.bytes(BYTES);
    // A content-length set by hand could be anything; the line stays valid JSON whatever it is.
    if (bytes !== null && Number.isSafeInteger(bytes) && bytes >= 0) out.integer(bytes);
    else out.bytes(NULL);
    out.bytes(CLIENT);
    out.jsonString(client);
    out.bytes(END);
    output.endJsonLine('info');
  }
}
