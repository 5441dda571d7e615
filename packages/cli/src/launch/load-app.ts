import type { App, LoadProjectOptions, RouteInfo } from '@serv/core';
import { registerTypeScript, type TypeScriptRegistration } from '../loader/register-typescript';
import type { LaunchOptions } from './launch-options';

/** One row of `app.routeTable()`, as the CLI prints it. */
export type RouteRow = Readonly<RouteInfo>;

/** The loaded app and how long loading took. */
export interface LoadedApp {
  readonly app: App;
  /** Milliseconds from the start of loading to a ready app (config, extensions, handler modules). */
  readonly loadMs: number;
  readonly typescript: TypeScriptRegistration;
}

/**
 * Registers the TypeScript loader (and reflect-metadata), installs the WebSocket protocol (@serv/websocket) and
 * loads the project through @serv/core's loadProject,
 * passing the flags as overrides (flags beat SERV_* env, which beats the file; core applies the env).
 */
export async function loadApp(options: LaunchOptions): Promise<LoadedApp> {
  const started = performance.now();
  const typescript = registerTypeScript({ cwd: options.cwd });
  // Imported only now, after the loader pinned @serv/core, so the CLI and the user's modules share one instance.
  // The WebSocket protocol is installed before the config is read: its settings and route keys come with it.
  await import('@serv/websocket');
  const { loadProject } = await import('@serv/core');
  const overrides: NonNullable<LoadProjectOptions['overrides']> = {};
  if (options.host !== undefined) overrides.host = options.host;
  if (options.port !== undefined) overrides.port = options.port;
  if (options.dev) overrides.debug = true;
  const load: LoadProjectOptions = { cwd: options.cwd, overrides };
  if (options.configPath !== undefined) load.configPath = options.configPath;
  const app = await loadProject(load);
  return { app, loadMs: performance.now() - started, typescript };
}
