import type { PlainHistogram } from './plain-histogram';

/** Label values of one series, by label name. */
export type MetricLabels = Readonly<Record<string, string | number>>;

/** One metric whose values are read from plain fields when `/metrics` is scraped. */
export interface MetricSource<V> {
  /** The metric's name, e.g. `serv_websocket_connections`. */
  readonly name: string;
  readonly help: string;
  /** Its label names, in order (empty for a single series). */
  readonly labelNames: readonly string[];
  /** Every series now: its labels and its value. Called at scrape time only. */
  read(): Iterable<readonly [MetricLabels, V]>;
}

/**
 * Where a protocol plug-in adds its metrics to the app's registry (`ProtocolRuntime.registerMetrics`): it counts in
 * plain fields and hands over readers, so the cost per message is an integer increment, never a prom-client call.
 * Counters and gauges are summed across `serv launch --workers` processes, and so are histograms.
 */
export interface MetricsSink {
  /** A counter (only goes up); its name should end in `_total`. */
  counter(source: MetricSource<number>): void;
  /** A gauge (goes up and down), e.g. open connections. */
  gauge(source: MetricSource<number>): void;
  /** A histogram; one `PlainHistogram` per series. */
  histogram(source: MetricSource<PlainHistogram>): void;
}
