import type { IncomingMessage, ServerResponse } from 'node:http';
// Imported rather than read from the global: `globalThis.performance` is a getter, which optimised code calls (through
// a generic global load) on every use, twice per request.
import { performance } from 'node:perf_hooks';
import type { ServSettings } from '../config/serv-settings';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../errors/http-errors';
import { answerWithServerError } from '../http/error-response';
import { ServError } from '../errors/serv-error';
import { RequestContext } from '../http/request-context';
import { toResponse, type Response } from '../http/responses';
import { TEXT_TYPE, writePlainValue, writeWholeBody } from '../http/write-body';
import type { Logger } from '../logging/logger';
import type { RequestLog } from '../logging/request-log';
import type { HttpMetrics, HttpRouteStats } from '../metrics/http-metrics';
import { normalizePath } from '../routing/path-pattern';
import { parseRequestTarget } from '../routing/request-target';
import type { RouteTable } from '../routing/route-table';
import type { App } from './app';
import type { ErrorHandlers } from './error-handlers';
import type { EventBus } from './events';
import type { OpsEndpoints } from './ops-endpoints';
import type { CompiledRoutes, Pipeline } from './route-compiler';
import type { ServerHost } from './server-host';

const BEGIN = 'app.request.begin';
const END = 'app.request.end';

/**
 * Answers HTTP requests: match the route, run its pipeline (or, for a route with no middleware and no request
 * listeners, call the handler synchronously), then write the response; every write goes through `write-body.ts`.
 */
export class HttpDispatcher {
  private compiled: CompiledRoutes | undefined;
  private accepting = false;
  /** A route pattern could match an operations endpoint's path: check the endpoints before routing. */
  private opsFirst = false;

  constructor(
    private readonly app: App,
    private readonly routes: RouteTable,
    private readonly settings: ServSettings,
    private readonly events: EventBus,
    private readonly errors: ErrorHandlers,
    private readonly logger: Logger,
    private readonly host: ServerHost,
    private readonly requestLog: RequestLog,
    private readonly ops: OpsEndpoints,
    private readonly metrics: HttpMetrics | undefined,
  ) {}

  /** Start answering with these compiled routes; `opsFirst` when a route pattern could shadow an operations endpoint. */
  open(compiled: CompiledRoutes, opsFirst: boolean): void {
    this.compiled = compiled;
    this.opsFirst = opsFirst;
    this.accepting = true;
  }

  /** Answer new requests with 503 from now on (shutdown). */
  stop(): void {
    this.accepting = false;
  }

  /** Node's request listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const compiled = this.compiled;
    if (!this.accepting || compiled === undefined) {
      if (this.ops.answer(req, res, (req.url ?? '/').split('?', 1)[0] as string)) return;
      writeWholeBody(res, 503, { 'content-type': TEXT_TYPE, connection: 'close' }, 'Server is not accepting requests', req.method === 'HEAD');
      return;
    }
    const startedAt = performance.now();
    const requestSeq = this.requestLog.seqOf(req);
    const requestId = this.requestLog.idFor(req, requestSeq);
    const metrics = this.metrics;
    const target = parseRequestTarget(req.url ?? '/');
    if ('error' in target) {
      const rawPath = normalizePath((req.url ?? '/').split('?', 1)[0]);
      const bad = new RequestContext(this.app, req, res, rawPath, '', requestId, requestSeq);
      this.run(bad, undefined, new BadRequestError(target.error), metrics?.unmatched, startedAt);
      return;
    }
    const path = target.path;
    if (this.opsFirst && this.answerOps(req, res, path, requestId)) return;
    const ctx = new RequestContext(this.app, req, res, path, target.queryString, requestId, requestSeq);
    const match = this.routes.matchHttp(req.method ?? 'GET', path);
    if (match === null) {
      if (this.answerOps(req, res, path, requestId)) return;
      this.run(ctx, undefined, new NotFoundError(`No route found for ${req.method} ${path}`), metrics?.unmatched, startedAt);
      return;
    }
    if (match.route === null) {
      this.run(ctx, undefined, new MethodNotAllowedError(req.method ?? 'GET', path, match.allowed), metrics?.unmatched, startedAt);
      return;
    }
    const stats = metrics?.of(match.route);
    ctx.params = match.params;
    ctx.settings = match.route.settings;
    ctx.routePath = match.route.path;
    const direct = compiled.directs.get(match.route);
    if (direct === undefined || this.settings.debug || this.events.has(BEGIN) || this.events.has(END)) {
      this.run(ctx, compiled.pipelines.get(match.route) as Pipeline, undefined, stats, startedAt);
      return;
    }
    // The common case (no middleware, no request listeners) answers synchronously, without promises.
    let result: unknown;
    try {
      result = direct(ctx);
    } catch (err) {
      this.run(ctx, () => Promise.reject(err), undefined, stats, startedAt);
      return;
    }
    if (!(result instanceof Promise)) {
      const bytes = writePlainValue(res, result, ctx.method === 'HEAD', requestId);
      if (bytes >= 0) {
        const durationMs = performance.now() - startedAt;
        this.requestLog.line(req, ctx, 200, bytes, durationMs);
        stats?.record(ctx.method, 200, durationMs);
        if (ctx.hasScope) ctx.dispose().catch((err: unknown) => this.logger.error('Disposing the request container failed', err));
        return;
      }
      ctx.response = toResponse(result);
      this.run(ctx, undefined, undefined, stats, startedAt);
      return;
    }
    this.run(ctx, (c) => result.then((value) => {
      c.response = toResponse(value);
    }), undefined, stats, startedAt);
  };

  /** An operations endpoint (`/healthz`, `/readyz`, `/metrics`) answers `path`, with the request's id. */
  private answerOps(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): boolean {
    if (!this.ops.has(path)) return false;
    res.setHeader('x-request-id', requestId);
    return this.ops.answer(req, res, path);
  }

  // A routing error (404, 405) runs the app middleware around it; no pipeline and no error means ctx.response is set.
  // `stats` and `start` (performance.now() at arrival) feed the metrics once the response is written.
  private run(ctx: RequestContext, pipeline: Pipeline | undefined, routingError: Error | undefined, stats: HttpRouteStats | undefined, start: number): void {
    ctx.res.setHeader('x-request-id', ctx.requestId);
    this.answer(ctx, pipeline, routingError, stats, start).catch((err: unknown) => this.abandon(ctx, err));
  }

  private async answer(ctx: RequestContext, pipeline: Pipeline | undefined, routingError: Error | undefined, stats: HttpRouteStats | undefined, start: number): Promise<void> {
    this.host.requestStarted();
    let error: unknown;
    try {
      if (this.events.has(BEGIN)) await this.events.emit(BEGIN, { app: this.app, ctx });
      if (routingError !== undefined) await (this.compiled as CompiledRoutes).fallback(ctx, routingError);
      else if (pipeline !== undefined) await pipeline(ctx);
      if (ctx.response === undefined) {
        throw new ServError('SERV_NO_RESPONSE', `${ctx.method} ${ctx.path}: the middleware finished without calling next() or setting ctx.response`);
      }
    } catch (err) {
      error = err;
      ctx.response = await this.errors.respond(err, ctx);
    }
    try {
      await (ctx.response as Response).write(ctx.res, ctx.method === 'HEAD');
    } catch (err) {
      error ??= err;
      if (clientWentAway(err)) {
        // The client's choice (a cancelled download, a closed tab), not a server fault.
        this.logger.debug(`The client closed the connection during the response to ${ctx.method} ${ctx.path} (${(err as Error).message})`);
      } else {
        this.logger.error(`Writing the response to ${ctx.method} ${ctx.path} failed`, err);
      }
      // Nothing sent yet (a header Node refused, say): a 500 beats an empty reply. Else the stream is cut.
      if (!answerWithServerError(ctx.res)) ctx.res.destroy();
    }
    const durationMs = performance.now() - start;
    this.requestLog.http(ctx.req, ctx.res, ctx, durationMs);
    stats?.record(ctx.method, ctx.res.statusCode, durationMs);
    if (this.events.has(END)) {
      await this.events.emit(END, { app: this.app, ctx, error }).catch((err: unknown) => this.logger.error(`${END} listener failed`, err));
    }
    await ctx.dispose().catch((err: unknown) => this.logger.error('Disposing the request container failed', err));
    this.host.requestFinished();
  }

  /** Last resort when answering itself failed (a throwing log sink, say): drop the connection, never the process. */
  private abandon(ctx: RequestContext, err: unknown): void {
    this.host.requestFinished();
    ctx.res.destroy();
    try {
      this.logger.error(`Answering ${ctx.method} ${ctx.path} failed; the connection was dropped`, err);
    } catch {
      // The logger is what failed; there is nowhere left to report to.
    }
  }
}

const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);

/** Whether writing failed because the client closed the connection. */
function clientWentAway(err: unknown): boolean {
  return CLIENT_GONE.has((err as NodeJS.ErrnoException | undefined)?.code ?? '');
}
