import { startBackgroundTypeCheck, type BackgroundTypeCheck } from '../check/background-check';
import { projectCheckTarget } from '../check/project-target';
import { formatError } from '../cli-error';
import { explainListenError, PORT_IN_USE } from './listen-error';
import { noteNoTypeCheck } from './type-check-note';
import { loadApp, type LoadedApp } from './load-app';
import type { LaunchOptions } from './launch-options';
import { formatRouteTable, summariseRoutes } from './route-summary';
import { waitForShutdown } from './shutdown-signal';
import { userSourceFiles } from './user-sources';

/** IPC message a supervised server sends its `--reload` supervisor once it accepts connections. */
export const LISTENING_MESSAGE = 'serv:listening';
/** IPC message a cluster worker sends the primary once it accepts connections. */
export const WORKER_LISTENING_MESSAGE = 'serv:worker-listening';
/** IPC message a cluster worker sends the primary when the app failed to load. */
export const WORKER_FAILED_MESSAGE = 'serv:worker-failed';

/** IPC message a supervised server sends before exiting on an error that no file change can fix (port in use). */
export const UNRECOVERABLE_MESSAGE = 'serv:unrecoverable';

/** Env var marking a server process forked by the `--reload` supervisor. */
export const SUPERVISED_ENV = 'SERV_SUPERVISED';

/** `--dry-run` and `serv routes`: load everything, print the route table, exit 0. */
export async function printRoutes(options: LaunchOptions): Promise<number> {
  const { app } = await loadApp(options);
  const rows = app.routeTable();
  process.stdout.write(formatRouteTable(rows, options.cwd));
  process.stdout.write(`${summariseRoutes(rows)}\n`);
  return 0;
}

/**
 * Runs one server process until SIGINT/SIGTERM (or a shutdown message), then closes the app gracefully and
 * resolves 0. As a cluster worker it reports to the primary instead of printing the listening line.
 */
export async function serveApp(options: LaunchOptions, role: 'single' | 'worker'): Promise<number> {
  const supervised = role === 'single' && process.env[SUPERVISED_ENV] === '1' && typeof process.send === 'function';
  let loaded: LoadedApp;
  try {
    loaded = await loadApp(options);
  } catch (error) {
    if (role !== 'worker') throw error;
    // Every worker fails the same way; the primary prints the first report once instead of N copies.
    process.send?.({ type: WORKER_FAILED_MESSAGE, message: formatError(error, options.dev) });
    return 1;
  }
  const { app } = loaded;
  const shutdown = waitForShutdown({ watchParent: role === 'worker' || supervised });
  let info: Awaited<ReturnType<typeof app.listen>>;
  try {
    info = await app.listen();
  } catch (error) {
    const explained = explainListenError(error, { host: app.settings.host, port: app.settings.port });
    if (role === 'worker') {
      process.send?.({ type: WORKER_FAILED_MESSAGE, message: formatError(explained, options.dev) });
      return 1;
    }
    if (supervised && (explained as { code?: unknown }).code === PORT_IN_USE) {
      await new Promise<void>((sent) => process.send?.({ type: UNRECOVERABLE_MESSAGE }, () => sent()));
    }
    throw explained;
  }
  const rows = app.routeTable();
  const summary = summariseRoutes(rows, info.url);
  let typeCheck: BackgroundTypeCheck | undefined;
  if (role === 'worker') {
    process.send?.({ type: WORKER_LISTENING_MESSAGE, host: info.host, port: info.port, url: info.url, summary });
  } else {
    process.stdout.write(`Serv listening on ${info.url}\n${summary}\n`);
    if (options.dev) process.stdout.write(`${loadReport(loaded)}\n`);
    if (options.dev) typeCheck = startBackgroundTypeCheck(projectCheckTarget(options));
    // A supervised server is one of many restarts: its supervisor says it once.
    if (!supervised) noteNoTypeCheck(options.dev);
    if (supervised) {
      process.send?.({ type: LISTENING_MESSAGE, host: info.host, port: info.port, url: info.url, sources: userSourceFiles() });
    }
  }
  const reason = await shutdown;
  if (role === 'single') process.stdout.write(`Shutting down (${reason})…\n`);
  await typeCheck?.stop();
  await app.close();
  return 0;
}

/** `Loaded in 182 ms (TypeScript: 3 compiled, 0 cached, 141 ms)`: the startup cost, for --dev. */
export function loadReport(loaded: LoadedApp): string {
  const ts = loaded.typescript;
  return `Loaded in ${Math.round(loaded.loadMs)} ms (TypeScript: ${ts.misses()} compiled, ${ts.hits()} cached, ${Math.round(ts.loaderMs())} ms)`;
}
