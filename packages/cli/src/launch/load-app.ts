import { CliError } from '../cli-error';
import { registerTypeScript, type TypeScriptRegistration } from '../loader/register-typescript';
import type { LaunchOptions } from './launch-options';

/** One row of `app.routeTable()`, as the CLI prints it. */
export interface RouteRow {
  readonly kind: 'http' | 'websocket';
  readonly methods: readonly string[];
  readonly path: string;
  readonly handler: string;
  readonly source: string;
}

/** Where an app listens, as `app.listen()` reports it. */
export interface ListenInfo {
  readonly host: string;
  readonly port: number;
  readonly url: string;
}

/** The part of @serv/core's App the CLI drives. */
export interface LaunchableApp {
  routeTable(): readonly RouteRow[];
  listen(options?: { host?: string; port?: number }): Promise<ListenInfo>;
  close(): Promise<void>;
}

/** The loaded app and how long loading took. */
export interface LoadedApp {
  readonly app: LaunchableApp;
  /** Milliseconds from the start of loading to a ready app (config, extensions, handler modules). */
  readonly loadMs: number;
  readonly typescript: TypeScriptRegistration;
}

type LoadProject = (options: {
  cwd?: string;
  configPath?: string;
  overrides?: { host?: string; port?: number; debug?: boolean };
}) => Promise<LaunchableApp>;

/**
 * Registers the TypeScript loader (and reflect-metadata) and loads the project through @serv/core's loadProject,
 * passing the flags as overrides (flags beat SERV_* env, which beats the file; core applies the env).
 */
export async function loadApp(options: LaunchOptions): Promise<LoadedApp> {
  const started = performance.now();
  const typescript = registerTypeScript({ cwd: options.cwd });
  const core = (await import('@serv/core')) as { loadProject?: LoadProject };
  if (typeof core.loadProject !== 'function') {
    throw new CliError('SERV_CLI_CORE', '@serv/core does not export loadProject(); update @serv/core to the version this CLI was built with');
  }
  const overrides: { host?: string; port?: number; debug?: boolean } = {};
  if (options.host !== undefined) overrides.host = options.host;
  if (options.port !== undefined) overrides.port = options.port;
  if (options.dev) overrides.debug = true;
  const load: { cwd: string; configPath?: string; overrides: typeof overrides } = { cwd: options.cwd, overrides };
  if (options.configPath !== undefined) load.configPath = options.configPath;
  const app = await core.loadProject(load);
  return { app, loadMs: performance.now() - started, typescript };
}
