import { readRuntimeSettings, type RuntimeSettings } from '@serv/core';
import { configFileOf, type LaunchOptions } from './launch-options';

const SEMI_SPACE_FLAG = /^--max[-_]semi[-_]space[-_]size(?:=(.*))?$/;

/** The V8 options a serving process runs with for `runtime`: none when it keeps Node's own sizes. */
export function runtimeNodeFlags(runtime: RuntimeSettings): string[] {
  return runtime.semiSpaceMb === 0 ? [] : [`--max-semi-space-size=${runtime.semiSpaceMb}`];
}

/**
 * Reads `settings.runtime` of the launch's config (and SERV_SEMI_SPACE_MB) without loading the app. A config that
 * cannot be read is left to the serving process, which reports it with every other error: Node's own sizes meanwhile.
 */
export function launchRuntime(options: LaunchOptions): RuntimeSettings {
  try {
    return readRuntimeSettings(configFileOf(options), process.env);
  } catch {
    return { semiSpaceMb: 0 };
  }
}

/**
 * The semi-space size (MB) this process was started with from `node` flags or NODE_OPTIONS (flags win, the last one
 * counts, as in V8), or undefined when neither sets it.
 */
export function semiSpaceInEffect(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): number | undefined {
  return lastSemiSpace(execArgv) ?? lastSemiSpace(nodeOptions.split(/\s+/).filter(Boolean));
}

/** True when this process already runs with the young generation `runtime` asks for (so no new process is needed). */
export function runtimeInEffect(runtime: RuntimeSettings): boolean {
  return runtime.semiSpaceMb === 0 || semiSpaceInEffect() === runtime.semiSpaceMb;
}

/**
 * The execArgv for a server process forked from this one (cluster worker, `--reload` child, the single server):
 * this process's own node flags with any semi-space size replaced by the configured one.
 */
export function serverExecArgv(runtime: RuntimeSettings): string[] {
  const flags = runtimeNodeFlags(runtime);
  if (flags.length === 0) return [...process.execArgv];
  const kept: string[] = [];
  for (let i = 0; i < process.execArgv.length; i += 1) {
    const match = SEMI_SPACE_FLAG.exec(process.execArgv[i]!);
    if (match === null) kept.push(process.execArgv[i]!);
    else if (match[1] === undefined) i += 1; // `--max-semi-space-size 32`: skip the value too.
  }
  return [...kept, ...flags];
}

function lastSemiSpace(args: readonly string[]): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const match = SEMI_SPACE_FLAG.exec(args[i]!);
    if (match === null) continue;
    const text = match[1] ?? args[i + 1];
    if (text !== undefined && /^\d+$/.test(text)) found = Number(text);
  }
  return found;
}
