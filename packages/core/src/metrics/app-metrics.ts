import type { Registry } from 'prom-client';
import { inMetricsCluster, offerToCluster, promClient, scrapeCluster } from './cluster-metrics';
import { HttpMetrics } from './http-metrics';
import type { MetricLabels, MetricSource, MetricsSink } from './metrics-sink';
import type { PlainHistogram } from './plain-histogram';

type MetricType = 'counter' | 'gauge' | 'histogram';
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}
type PlainMetric = Parameters<Registry['registerMetric']>[0];

let processRegistry: Registry | undefined;

/**
 * prom-client's default process and Node metrics, started once per process: they describe the process, which every
 * app in it shares, and their collectors (event-loop delay, GC observer) cannot be stopped, so one set is enough.
 */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    const prom = promClient();
    processRegistry = new prom.Registry();
    prom.collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One app's metrics: its own prom-client `Registry` (two apps in one process never share one), the HTTP counters
 * the dispatcher fills, and whatever protocol plug-ins add (`ProtocolRuntime.registerMetrics`). Everything Serv
 * counts lives in plain fields that the registry reads at scrape time, so prom-client itself is loaded (and its
 * process metrics started) only by the first scrape, or at startup in a `--workers` worker: an app that is never
 * scraped does not pay for it.
 */
export class AppMetrics implements MetricsSink {
  readonly http = new HttpMetrics();
  private readonly sources: PlainMetric[] = [];
  private own: Registry | undefined;

  constructor() {
    this.http.register(this);
  }

  /** The app's own registry, created on first use. */
  get registry(): Registry {
    if (this.own === undefined) {
      const registry = new (promClient().Registry)();
      for (const metric of this.sources) registry.registerMetric(metric);
      this.own = registry;
    }
    return this.own;
  }

  /** The app started: in a `--workers` worker, offer the registries to the primary's aggregation. */
  started(): void {
    if (inMetricsCluster()) offerToCluster([this.registry, processMetrics()]);
  }

  counter(source: MetricSource<number>): void {
    this.add('counter', source, (labels, value, out) => out.push({ value, labels: { ...labels } }));
  }

  gauge(source: MetricSource<number>): void {
    this.add('gauge', source, (labels, value, out) => out.push({ value, labels: { ...labels } }));
  }

  histogram(source: MetricSource<PlainHistogram>): void {
    const { name } = source;
    this.add('histogram', source, (labels, h, out) => {
      let cumulative = 0;
      for (let i = 0; i < h.bounds.length; i += 1) {
        cumulative += h.counts[i] as number;
        out.push({ metricName: `${name}_bucket`, value: cumulative, labels: { ...labels, le: h.bounds[i] as number } });
      }
      out.push({ metricName: `${name}_bucket`, value: h.count, labels: { ...labels, le: '+Inf' } });
      out.push({ metricName: `${name}_sum`, value: h.sum, labels: { ...labels } });
      out.push({ metricName: `${name}_count`, value: h.count, labels: { ...labels } });
    });
  }

  /** The text a scrape answers: this app's and the process's metrics, or under `--workers` the whole cluster's. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const registry = promClient().Registry.merge([this.registry, processMetrics()]);
    const body = inMetricsCluster() ? await scrapeCluster() : await registry.metrics();
    return { contentType: registry.contentType, body };
  }

  private add<V>(type: MetricType, source: MetricSource<V>, emit: (labels: MetricLabels, value: V, out: Sample[]) => void): void {
    const { name, help } = source;
    // The shape prom-client's registry and its cluster aggregation read from a metric: `get()` and `aggregator`.
    const metric = {
      name,
      help,
      type,
      aggregator: 'sum',
      get: (): Promise<{ name: string; help: string; type: MetricType; aggregator: string; values: Sample[] }> => {
        const values: Sample[] = [];
        for (const [labels, value] of source.read()) emit(labels, value, values);
        return Promise.resolve({ name, help, type, aggregator: 'sum', values });
      },
      reset: (): void => undefined,
    };
    this.sources.push(metric as unknown as PlainMetric);
    this.own?.registerMetric(metric as unknown as PlainMetric);
  }
}
