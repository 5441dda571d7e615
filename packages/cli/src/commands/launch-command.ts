import cluster from 'node:cluster';
import type { CommandAction } from '../args/command-spec';
import { runClusterPrimary } from '../launch/cluster-primary';
import { readLaunchOptions } from '../launch/launch-options';
import { runReloadSupervisor } from '../launch/reload-supervisor';
import { launchRuntime, runtimeInEffect, serverExecArgv } from '../launch/runtime-flags';
import { runRuntimeRelay } from '../launch/runtime-relay';
import { printRoutes, serveApp, SUPERVISED_ENV } from '../launch/serve';

/**
 * `serv launch`: picks the process role — dry run, `--reload` supervisor, cluster primary, cluster worker, a plain
 * server, or (when the server must run with V8 options of `settings.runtime` this process lacks) a relay to one —
 * and runs it to completion.
 */
export const launchCommand: CommandAction = async (parsed) => {
  const options = readLaunchOptions(parsed);
  if (options.dryRun) return printRoutes(options);
  if (cluster.isWorker) return serveApp(options, 'worker');
  const supervised = process.env[SUPERVISED_ENV] === '1';
  if (options.reload && !supervised) return runReloadSupervisor(options);
  if (options.workers > 1) return runClusterPrimary(options);
  // A supervisor or relay started this process with the runtime flags already; otherwise check them here.
  if (!supervised) {
    const runtime = launchRuntime(options);
    if (!runtimeInEffect(runtime)) return runRuntimeRelay(options, serverExecArgv(runtime));
  }
  return serveApp(options, 'single');
};
