import { join } from 'node:path';
import { runServ } from './serv-process';

/** Env that keeps the compiled-TypeScript cache in `dir` (a test file's own folder, never the user's cache). */
export function cacheEnv(dir: string): Record<string, string> {
  return { SERV_TS_CACHE_DIR: join(dir, '.ts-cache') };
}

/**
 * Scaffolds an app in `dir` the way a user would: `serv create app`, `create extension --name chat` and
 * `create websocket --name echo --yaml` (registered in extension.yaml, so tests can break the reference; plus any extra `serv create` argument lists), failing loudly on any error.
 */
export async function scaffoldEchoApp(dir: string, extra: ReadonlyArray<readonly string[]> = [], env: Record<string, string> = {}): Promise<void> {
  const steps: ReadonlyArray<readonly string[]> = [
    ['create', 'app', '--non-interactive'],
    ['create', 'extension', '--name', 'chat', '--non-interactive'],
    ['create', 'websocket', '--name', 'echo', '--yaml', '--non-interactive'],
    ...extra,
  ];
  for (const step of steps) {
    const result = await runServ(step, { cwd: dir, env });
    if (result.code !== 0) throw new Error(`serv ${step.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
}
