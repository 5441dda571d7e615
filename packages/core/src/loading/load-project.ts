import { resolve } from 'node:path';
import { readServConfig, type ServConfig } from '../config';
import { App } from '../app/app';
import type { Logger } from '../logging/logger';
import { loadExtensions } from './load-extensions';

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  /** The project folder (default: the current directory). */
  cwd?: string;
  /** The config file (default: `serv.config.yaml` in `cwd`). */
  configPath?: string;
  /** Command-line values; they beat the environment and the file. */
  overrides?: { host?: string; port?: number; debug?: boolean };
  /** The environment for `SERV_*` overrides (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/**
 * Build an app the way `serv launch` does: read and validate `serv.config.yaml`, apply `SERV_*` and flag overrides,
 * load every listed extension and register its routes, listeners and middleware. Protocol keys in the files (the
 * WebSocket settings, `websocket: true`) need their package imported first (`import '@serv/websocket'`), as
 * `serv launch` does.
 *
 * @example
 * ```ts
 * const app = await loadProject({ cwd: 'examples/websocket_chat', overrides: { port: 0 } });
 * await app.listen();
 * ```
 */
export async function loadProject(options: LoadProjectOptions = {}): Promise<App> {
  const cwd = options.cwd ?? process.cwd();
  const config: ServConfig = readServConfig(resolve(cwd, options.configPath ?? 'serv.config.yaml'), options.env ?? process.env);
  const settings = { ...config.settings };
  const o = options.overrides ?? {};
  if (o.host !== undefined) settings.host = o.host;
  if (o.port !== undefined) settings.port = o.port;
  if (o.debug !== undefined) settings.debug = o.debug;
  const app = new App({ settings, siteInfo: config.siteInfo, logger: options.logger });
  loadExtensions(app, config.extensions, settings.extensionDir);
  return app;
}
