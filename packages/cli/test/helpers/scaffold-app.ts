import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from './serv-process';

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

/** What {@link useEchoAppWithRoute} gives a suite: the app's folder, and a `serv` process it stops after each test. */
export interface EchoAppFixture {
  /** The scaffolded app of the current test. */
  readonly dir: string;
  /** Starts `serv <args>` in the app's folder with its own TypeScript cache; stopped after the test. */
  launch(args: readonly string[]): ServProcess;
}

/**
 * Registers the hooks of a suite whose every test gets a fresh echo app (see {@link scaffoldEchoApp}) with one more
 * route class, `extensions/chat/route_<name>.ts` (scaffolded with `serv create route`, then given `source`), and
 * stops whatever `launch()` started.
 */
export function useEchoAppWithRoute(name: string, source: string): EchoAppFixture {
  let dir = '';
  let server: ServProcess | undefined;
  beforeAll(assertBuilt);
  beforeEach(async () => {
    dir = makeTempDir();
    await scaffoldEchoApp(dir, [['create', 'route', '--name', name]]);
    writeFileSync(join(dir, 'extensions', 'chat', `route_${name}.ts`), source);
  });
  afterEach(async () => {
    if (server !== undefined) await server.stop();
    server = undefined;
    removeTempDir(dir);
  });
  return {
    get dir() {
      return dir;
    },
    launch(args) {
      server = new ServProcess([...args], { cwd: dir, env: cacheEnv(dir) });
      return server;
    },
  };
}
