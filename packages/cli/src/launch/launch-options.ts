import { resolve } from 'node:path';
import type { ParsedCommand } from '../args/command-spec';
import { UsageError } from '../args/usage-error';

/** Everything `serv launch` (and `serv routes`) was asked to do, validated. */
export interface LaunchOptions {
  /** Folder the command runs in; the default config is `<cwd>/serv.config.yaml`. */
  readonly cwd: string;
  /** Absolute path of the config file when --config was given. */
  readonly configPath: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly dev: boolean;
  readonly reload: boolean;
  /** Number of processes; 1 means no cluster. */
  readonly workers: number;
  readonly dryRun: boolean;
}

/** Reads and checks the launch flags; out-of-range values are usage errors (exit 2). */
export function readLaunchOptions(parsed: ParsedCommand, cwd: string = process.cwd()): LaunchOptions {
  const { flags } = parsed;
  const port = flags.port as number | undefined;
  if (port !== undefined && (port < 0 || port > 65535)) {
    throw new UsageError(`Flag "--port" must be from 0 to 65535, got ${port}.`, 'serv launch');
  }
  const workers = (flags.workers as number | undefined) ?? 1;
  if (workers < 1) throw new UsageError(`Flag "--workers" must be 1 or more, got ${workers}.`, 'serv launch');
  const host = flags.host as string | undefined;
  if (host === '') throw new UsageError('Flag "--host" must not be empty.', 'serv launch');
  const config = flags.config as string | undefined;
  return {
    cwd,
    configPath: config === undefined ? undefined : resolve(cwd, config),
    host,
    port,
    dev: flags.dev === true,
    reload: flags.reload === true,
    workers,
    dryRun: flags['dry-run'] === true,
  };
}

/** The config file a launch reads: --config, else `<cwd>/serv.config.yaml`. */
export function configFileOf(options: Pick<LaunchOptions, 'cwd' | 'configPath'>): string {
  return options.configPath ?? resolve(options.cwd, 'serv.config.yaml');
}

/** The argv that launches the same thing again in a child process, with the port pinned when known. */
export function launchArgv(options: LaunchOptions, overrides: { port?: number; reload?: boolean } = {}): string[] {
  const argv = ['launch'];
  if (options.configPath !== undefined) argv.push('--config', options.configPath);
  if (options.host !== undefined) argv.push('--host', options.host);
  const port = overrides.port ?? options.port;
  if (port !== undefined) argv.push('--port', String(port));
  if (options.dev) argv.push('--dev');
  if (overrides.reload ?? options.reload) argv.push('--reload');
  if (options.workers > 1) argv.push('--workers', String(options.workers));
  return argv;
}
