import cluster, { type Worker } from 'node:cluster';
import type { Registry } from 'prom-client';

/** prom-client, required on first use (see AppMetrics): loading it costs startup time an unscraped app need not pay. */
export function promClient(): typeof import('prom-client') {
  return require('prom-client') as typeof import('prom-client');
}

/** Set by the `serv launch --workers` primary on its workers: one scrape of any worker answers for all of them. */
export const METRICS_CLUSTER_ENV = 'SERV_METRICS_CLUSTER';

/** Tag of Serv's metrics messages on the worker ↔ primary IPC channel (prom-client's own carry a `type`). */
const TAG = 'serv:metrics';
/** How long a worker waits for the primary's aggregate before answering its scrape with an error. */
const SCRAPE_TIMEOUT_MS = 10_000;

type Reply = { tag: typeof TAG; op: 'result'; id: number; text?: string; error?: string };
const isOurs = (message: unknown): message is { tag: string; op: string; id: number } =>
  typeof message === 'object' && message !== null && (message as { tag?: unknown }).tag === TAG;

/** Whether this process is a `serv launch --workers` worker whose scrapes the primary aggregates. */
export function inMetricsCluster(): boolean {
  return cluster.isWorker && process.env[METRICS_CLUSTER_ENV] === '1' && typeof process.send === 'function';
}

let answering = false;

/** Worker side: these registries are what this worker reports when the primary gathers the cluster's figures. */
export function offerToCluster(registries: Registry[]): void {
  if (!answering) {
    new (promClient().AggregatorRegistry)(); // installs prom-client's worker listener (it answers the primary's requests)
    answering = true;
  }
  promClient().AggregatorRegistry.setRegistries(registries);
}

const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
let nextId = 1;
const onReply = (message: unknown): void => {
  if (!isOurs(message) || message.op !== 'result') return;
  const request = waiting.get(message.id);
  if (request === undefined) return;
  settle(message.id);
  const reply = message as Reply;
  if (reply.error !== undefined) request.reject(new Error(reply.error));
  else request.resolve(reply.text ?? '');
};

function settle(id: number): void {
  clearTimeout(waiting.get(id)?.timer);
  waiting.delete(id);
  if (waiting.size === 0) process.off('message', onReply);
}

/** Worker side: ask the primary for every worker's figures, aggregated (prom-client's `AggregatorRegistry`). */
export function scrapeCluster(): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    if (waiting.size === 0) process.on('message', onReply);
    const timer = setTimeout(() => {
      settle(id);
      reject(new Error(`the cluster primary did not answer within ${SCRAPE_TIMEOUT_MS} ms`));
    }, SCRAPE_TIMEOUT_MS);
    waiting.set(id, { resolve, reject, timer });
    (process.send as NonNullable<typeof process.send>)({ tag: TAG, op: 'scrape', id });
  });
}

/**
 * Primary side of `serv launch --workers`: a worker's scrape request makes prom-client's `AggregatorRegistry` gather
 * every worker's registries and combine them by each metric's aggregator (Serv's counters, gauges and histograms
 * sum; prom-client's process metrics have their own), and the text goes back to the asking worker.
 */
export class ClusterMetricsPrimary {
  private readonly aggregator = new (promClient().AggregatorRegistry)();

  /** Handle one worker message; false when it is not a metrics message. */
  handle(worker: Worker, message: unknown): boolean {
    if (!isOurs(message)) return false;
    if (message.op !== 'scrape') return true;
    const id = message.id;
    this.aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ tag: TAG, op: 'result', id, text }),
      (err: unknown) => worker.isConnected() && worker.send({ tag: TAG, op: 'result', id, error: (err as Error).message }),
    );
    return true;
  }

  /** The exposition format's content type. */
  get contentType(): string {
    return this.aggregator.contentType;
  }
}
