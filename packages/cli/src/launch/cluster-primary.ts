import { ClusterMetricsPrimary, METRICS_CLUSTER_ENV } from '@serv/core';
import { ClusterRelay, ROOMS_RELAY_ENV } from '@serv/websocket';
import cluster, { type Worker } from 'node:cluster';
import { servBinPath } from './bin-path';
import { launchArgv, type LaunchOptions } from './launch-options';
import { launchRuntime, serverExecArgv } from './runtime-flags';
import { LISTENING_MESSAGE, SUPERVISED_ENV, WORKER_FAILED_MESSAGE, WORKER_LISTENING_MESSAGE } from './serve';
import { isMessage, SHUTDOWN_MESSAGE, waitForShutdown } from './shutdown-signal';
import { startBackgroundTypeCheck } from '../check/background-check';
import { projectCheckTarget } from '../check/project-target';
import { noteNoTypeCheck } from './type-check-note';
import { userSourceFiles } from './user-sources';

/**
 * `--workers N`: forks N server processes that share one listening socket through node:cluster (port 0 too: the
 * primary hands every worker the same handle), prints the listening line once all of them accept connections,
 * replaces workers that die after startup, and on SIGINT/SIGTERM asks each to close gracefully, resolving 0.
 * A load error in a worker is printed once and resolves 1.
 */
export function runClusterPrimary(options: LaunchOptions): Promise<number> {
  const supervised = process.env[SUPERVISED_ENV] === '1' && typeof process.send === 'function';
  // Workers serve, so they (and their replacements) start with the young generation of `settings.runtime`.
  cluster.setupPrimary({ exec: servBinPath(), args: launchArgv(options, { reload: false }), execArgv: serverExecArgv(launchRuntime(options)) });
  const listening = new Set<number>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;
  // Rooms, broadcast and presence of the default (memory) broker span the workers through this process.
  const relay = new ClusterRelay();
  // A scrape of any worker's /metrics asks this process, which gathers and sums every worker's figures.
  const metrics = new ClusterMetricsPrimary();
  const fork = (): Worker => cluster.fork({ [ROOMS_RELAY_ENV]: '1', [METRICS_CLUSTER_ENV]: '1' });

  return new Promise<number>((resolve) => {
    const live = (): Worker[] => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
    const stopAll = (code: number): void => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      const workers = live();
      if (workers.length === 0) resolve(exitCode);
      for (const worker of workers) {
        if (worker.isConnected()) worker.send({ type: SHUTDOWN_MESSAGE });
        else worker.process.kill('SIGTERM');
      }
    };

    cluster.on('message', (worker, message: unknown) => {
      if (relay.handle(worker, message) || metrics.handle(worker, message)) return;
      if (isMessage(message, WORKER_FAILED_MESSAGE)) {
        if (!stopping) process.stderr.write(`${String(message.message)}\n`);
        stopAll(1);
        return;
      }
      if (!isMessage(message, WORKER_LISTENING_MESSAGE) || announced) return;
      listening.add(worker.id);
      if (listening.size < options.workers) return;
      announced = true;
      const pids = live().map((each) => each.process.pid);
      process.stdout.write(`Serv listening on ${String(message.url)}\n${String(message.summary)}\n`);
      process.stdout.write(`${options.workers} workers (pids ${pids.join(', ')})\n`);
      // The primary speaks for the cluster: one note or one background type check, not one per worker.
      if (!supervised) noteNoTypeCheck(options.dev);
      if (options.dev) startBackgroundTypeCheck(projectCheckTarget(options));
      if (supervised) {
        process.send?.({ type: LISTENING_MESSAGE, host: message.host, port: message.port, url: message.url, sources: userSourceFiles() });
      }
    });

    cluster.on('exit', (worker, code, signal) => {
      relay.workerGone(worker.id);
      if (stopping) {
        if (live().length === 0) resolve(exitCode);
        return;
      }
      const how = signal === null ? `code ${code}` : `signal ${signal}`;
      if (!announced) {
        process.stderr.write(`Worker ${worker.process.pid} exited with ${how} before it was listening; stopping.\n`);
        stopAll(1);
        return;
      }
      process.stderr.write(`Worker ${worker.process.pid} exited with ${how}; starting a replacement.\n`);
      fork();
    });

    for (let i = 0; i < options.workers; i += 1) fork();
    void waitForShutdown({ watchParent: supervised }).then(() => stopAll(0));
  });
}
