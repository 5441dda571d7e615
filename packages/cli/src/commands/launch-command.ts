import cluster from 'node:cluster';
import type { CommandAction } from '../args/command-spec';
import { runClusterPrimary } from '../launch/cluster-primary';
import { readLaunchOptions } from '../launch/launch-options';
import { runReloadSupervisor } from '../launch/reload-supervisor';
import { printRoutes, serveApp, SUPERVISED_ENV } from '../launch/serve';

/**
 * `serv launch`: picks the process role — dry run, `--reload` supervisor, cluster primary, cluster worker or a
 * plain server — and runs it to completion.
 */
export const launchCommand: CommandAction = async (parsed) => {
  const options = readLaunchOptions(parsed);
  if (options.dryRun) return printRoutes(options);
  if (cluster.isWorker) return serveApp(options, 'worker');
  if (options.reload && process.env[SUPERVISED_ENV] !== '1') return runReloadSupervisor(options);
  if (options.workers > 1) return runClusterPrimary(options);
  return serveApp(options, 'single');
};
