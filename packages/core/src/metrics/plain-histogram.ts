/** Bucket upper bounds (seconds) of Serv's latency histograms: 1 ms to 10 s, as Prometheus' client libraries do. */
export const DURATION_BUCKETS_S: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A histogram kept in plain fields: `observe()` is an array increment, and `/metrics` reads the counts at scrape
 * time (`metrics-sink.ts`), so that nothing on a hot path calls into prom-client.
 */
export class PlainHistogram {
  /** Observations per bucket, not cumulative; the last slot is `+Inf`. */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[] = DURATION_BUCKETS_S) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /** Record one value (seconds for the latency histograms). */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i += 1;
    (this.counts[i] as number)++;
    this.sum += value;
    this.count += 1;
  }

  /** Record the time since `startMs` (a `performance.now()` reading) in seconds. */
  observeSince(startMs: number): void {
    this.observe((performance.now() - startMs) / 1000);
  }
}
