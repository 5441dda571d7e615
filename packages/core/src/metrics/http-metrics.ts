import type { RouteRecord } from '../routing/route-record';
import type { MetricLabels, MetricsSink } from './metrics-sink';
import { PlainHistogram } from './plain-histogram';

/** The `route` label of requests no route matched (404, 405, bad targets): one series, never the raw path. */
export const UNMATCHED_ROUTE = '<unmatched>';

/** One method of one route: answers by status, and their durations. */
class MethodStats {
  /** A counter object per status, so that counting an answer is one map lookup (no `set` of the new total). */
  readonly statuses = new Map<number, { count: number }>();
  readonly duration = new PlainHistogram();
}

/** The counters of one route pattern, kept in plain fields and read when `/metrics` is scraped. */
export class HttpRouteStats {
  readonly byMethod = new Map<string, MethodStats>();

  constructor(readonly route: string) {}

  /** One answered request that took `durationMs` from its arrival to its response written. */
  record(method: string, status: number, durationMs: number): void {
    let stats = this.byMethod.get(method);
    if (stats === undefined) this.byMethod.set(method, (stats = new MethodStats()));
    let answers = stats.statuses.get(status);
    if (answers === undefined) stats.statuses.set(status, (answers = { count: 0 }));
    answers.count += 1;
    stats.duration.observe(durationMs / 1000);
  }
}

/**
 * `serv_http_requests_total{method,route,status}` and `serv_http_request_duration_seconds{method,route}`: counted
 * per route record in plain maps (no label hashing per request), labelled with the route's pattern.
 */
export class HttpMetrics {
  readonly unmatched = new HttpRouteStats(UNMATCHED_ROUTE);
  private readonly byRecord = new Map<RouteRecord, HttpRouteStats>();
  private readonly byPattern = new Map<string, HttpRouteStats>([[UNMATCHED_ROUTE, this.unmatched]]);

  /** The stats of a matched route; routes declared with the same pattern (other methods) share one. */
  of(record: RouteRecord): HttpRouteStats {
    let stats = this.byRecord.get(record);
    if (stats !== undefined) return stats;
    stats = this.byPattern.get(record.path);
    if (stats === undefined) this.byPattern.set(record.path, (stats = new HttpRouteStats(record.path)));
    this.byRecord.set(record, stats);
    return stats;
  }

  /** Add both HTTP metrics to the app's registry. */
  register(sink: MetricsSink): void {
    const patterns = this.byPattern;
    sink.counter({
      name: 'serv_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      *read(): Iterable<[MetricLabels, number]> {
        for (const stats of patterns.values()) {
          for (const [method, m] of stats.byMethod) {
            for (const [status, answers] of m.statuses) yield [{ method, route: stats.route, status }, answers.count];
          }
        }
      },
    });
    sink.histogram({
      name: 'serv_http_request_duration_seconds',
      help: 'Time from a request\'s arrival until its response was handed to the socket, by method and route pattern',
      labelNames: ['method', 'route'],
      *read(): Iterable<[MetricLabels, PlainHistogram]> {
        for (const stats of patterns.values()) {
          for (const [method, m] of stats.byMethod) yield [{ method, route: stats.route }, m.duration];
        }
      },
    });
  }
}
