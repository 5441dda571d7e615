import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServSettings } from '../config/serv-settings';
import { ServError } from '../errors/serv-error';
import { TEXT_TYPE, writeWholeBody } from '../http/write-body';
import type { Logger } from '../logging/logger';
import type { AppMetrics } from '../metrics/app-metrics';

/** What `/readyz` reports: ready or why not, and each dependency a protocol checks. */
export interface Readiness {
  readonly ready: boolean;
  /** `ready`, or why not: `starting`, `draining`, `not listening`, `dependency down`. */
  readonly status: string;
  readonly checks: Readonly<Record<string, boolean>>;
}

type Endpoint = 'live' | 'ready' | 'metrics';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The operations endpoints (`settings.metrics.path`, `settings.health.live` / `.ready`): answered by the dispatcher
 * before routing when a route could shadow them, else only where it would answer 404, so they cost nothing per
 * request; they skip app middleware, and they are neither counted in the metrics nor written to request logs.
 */
export class OpsEndpoints {
  private readonly paths = new Map<string, Endpoint>();

  constructor(
    settings: ServSettings,
    private readonly metrics: AppMetrics | undefined,
    private readonly readiness: () => Promise<Readiness>,
    private readonly logger: Logger,
  ) {
    if (settings.health !== false) this.paths.set(settings.health.live, 'live').set(settings.health.ready, 'ready');
    if (settings.metrics !== false) {
      const taken = this.paths.get(settings.metrics.path);
      if (taken !== undefined) {
        throw new ServError('SERV_CONFIG_INVALID', `settings.metrics.path ${settings.metrics.path} is also settings.health.${taken}; give each endpoint its own path`);
      }
      this.paths.set(settings.metrics.path, 'metrics');
    }
  }

  /** Whether `path` (without query) is one of these endpoints. */
  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** Every endpoint path, for startup checks against the routes. */
  all(): string[] {
    return [...this.paths.keys()];
  }

  /** Answer `req` when `path` is one of the endpoints; false leaves the request to the caller. */
  answer(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const endpoint = this.paths.get(path);
    if (endpoint === undefined) return false;
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      writeWholeBody(res, 405, { 'content-type': TEXT_TYPE, allow: 'GET, HEAD' }, `${path} answers GET and HEAD only`, false);
      return true;
    }
    if (endpoint === 'live') {
      writeWholeBody(res, 200, JSON_HEADERS, '{"status":"alive"}', head);
      return true;
    }
    const work = endpoint === 'ready' ? this.answerReady(res, head) : this.answerMetrics(res, head);
    work.catch((err: unknown) => {
      this.logger.error(`Answering ${path} failed`, err);
      if (!res.headersSent) writeWholeBody(res, 500, { 'content-type': TEXT_TYPE }, `${path} failed: ${(err as Error).message}`, head);
      else res.destroy();
    });
    return true;
  }

  private async answerReady(res: ServerResponse, head: boolean): Promise<void> {
    const r = await this.readiness();
    writeWholeBody(res, r.ready ? 200 : 503, JSON_HEADERS, JSON.stringify({ status: r.status, checks: r.checks }), head);
  }

  private async answerMetrics(res: ServerResponse, head: boolean): Promise<void> {
    const { contentType, body } = await (this.metrics as AppMetrics).scrape();
    writeWholeBody(res, 200, { 'content-type': contentType, 'cache-control': 'no-store' }, body, head);
  }
}
