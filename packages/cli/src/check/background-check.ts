import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { typeCheckSummary, type TypeCheckResult, type TypeCheckTarget } from './type-check';

/** A type check running in a worker thread. */
export interface BackgroundTypeCheck {
  /** Resolves with the result once printed, or undefined when the check failed or was stopped. */
  readonly done: Promise<TypeCheckResult | undefined>;
  /** Stops the check if it is still running. */
  stop(): Promise<void>;
}

/**
 * Starts `serv check`'s type check in a worker thread for `serv launch --dev` and prints its outcome when it ends:
 * each error with file:line:column and a code frame on stderr, then a summary that says the server keeps running.
 * The worker does not keep the process alive.
 */
export function startBackgroundTypeCheck(target: TypeCheckTarget): BackgroundTypeCheck {
  const worker = new Worker(join(__dirname, 'check-worker.js'), { workerData: target });
  worker.unref();
  let settled = false;
  const done = new Promise<TypeCheckResult | undefined>((resolve) => {
    worker.once('message', (result: TypeCheckResult) => {
      settled = true;
      if (result.errorCount === 0) {
        process.stdout.write(`Type check: ${typeCheckSummary(result)}\n`);
      } else {
        process.stderr.write(`${result.reports.join('\n')}\n`);
        process.stderr.write(`Type check: ${typeCheckSummary(result)}. The server is running anyway; fix them and save (or run "serv check").\n`);
      }
      resolve(result);
    });
    worker.once('error', (error) => {
      settled = true;
      process.stderr.write(`Type check failed: ${error.message}\n`);
      resolve(undefined);
    });
    worker.once('exit', () => resolve(undefined));
  });
  return {
    done,
    stop: async () => {
      if (!settled) await worker.terminate();
    },
  };
}
