import cluster from 'node:cluster';
import type { CommandAction } from '../args/command-spec';
import { runClusterPrimary } from '../launch/cluster-primary';
import { readLaunchOptions, type LaunchOptions } from '../launch/launch-options';
import { runReloadSupervisor } from '../launch/reload-supervisor';
import { printRoutes, serveApp, SUPERVISED_ENV } from '../launch/serve';

/** What `serv launch` without --dev says once, so nobody mistakes a served app for a type-checked one. */
export const NO_TYPE_CHECK_NOTE =
  'Note: serv launch runs your TypeScript without type-checking it. Run "serv check" to see type errors, or "serv launch --dev" to check in the background.';

/**
 * `serv launch`: picks the process role — dry run, `--reload` supervisor, cluster primary, cluster worker or a
 * plain server — and runs it to completion.
 */
export const launchCommand: CommandAction = async (parsed) => {
  const options = readLaunchOptions(parsed);
  if (options.dryRun) return printRoutes(options);
  if (cluster.isWorker) return serveApp(options, 'worker');
  const supervised = process.env[SUPERVISED_ENV] === '1';
  if (!supervised) announceTypeChecking(options);
  if (options.reload && !supervised) return runReloadSupervisor(options);
  if (options.workers > 1) return runClusterPrimary(options);
  return serveApp(options, 'single');
};

// Once per `serv launch`: the top process says it, never the children a supervisor or primary starts.
function announceTypeChecking(options: LaunchOptions): void {
  if (!options.dev) process.stderr.write(`${NO_TYPE_CHECK_NOTE}\n`);
}
