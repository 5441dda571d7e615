/**
 * Serv outside this repository: packs the three packages, writes a standalone project in a temporary folder, installs
 * the tarballs with npm (third-party dependencies come from the registry, Serv itself from the tarballs), then runs
 * the project's `npm run typecheck` and `npm test`, launches it with its own `serv` and talks to it over a WebSocket.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

jest.setTimeout(420_000);

const REPO_ROOT = resolve(__dirname, '..');
const REPO_CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
// The plain-JS script `npm run pack` runs, required as is.
const { packAll } = require('./pack') as { packAll: (outDir: string) => string[] };

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

// The child must not inherit `npm run`'s own settings (npm_config_*, the workspace it ran in).
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|SERV_|JEST)/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  return { ...env, ...extra };
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Runs a command to completion, killing it after `timeoutMs` (the outcome then shows signal SIGKILL). */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env });
    running.add(child);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolveRun({ code, signal, output });
    });
  });
}

describe('Serv installed from its tarballs into a project outside the repository', () => {
  let tmp: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let tarballs: string[];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'serv-packed-'));
    project = join(tmp, 'my-app');
    env = cleanEnv({ SERV_TS_CACHE_DIR: join(tmp, '.ts-cache') });
    tarballs = packAll(join(tmp, 'tarballs'));
    const created = await run(process.execPath, [REPO_CLI, 'create', 'app', '--standalone', 'my-app'], tmp, env, 30_000);
    if (created.code !== 0) throw new Error(`serv create app --standalone failed:\n${created.output}`);
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], project, env, 300_000);
    if (installed.code !== 0) throw new Error(`npm install of the tarballs failed (${installed.signal ?? installed.code}):\n${installed.output}`);
  }, 400_000);

  afterAll(() => {
    for (const child of running) child.kill('SIGKILL');
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it('packs only dist, README, LICENSE and package.json (and the CLI bin shim)', async () => {
    for (const tarball of tarballs) {
      const listing = await run('tar', ['tzf', tarball], tmp, env, 30_000);
      const outside = listing.output.split('\n').filter((file) => file !== '' && !file.startsWith('package/dist/'));
      expect({ tarball, outside: outside.sort() }).toEqual({
        tarball,
        outside: ['package/LICENSE', 'package/README.md', ...(tarball.includes('serv-cli') ? ['package/bin/serv.js'] : []), 'package/package.json'],
      });
      expect(listing.output).not.toMatch(/\.tsbuildinfo|\.map\n/);
    }
  });

  it('installs @serv/* from the tarballs into the project, not links into this repository', () => {
    for (const name of ['core', 'websocket', 'cli']) {
      const dir = realpathSync(join(project, 'node_modules', '@serv', name));
      expect(dir.startsWith(realpathSync(tmp))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@serv/core']).toMatch(/^file:.*serv-core-0\.1\.0\.tgz$/);
  });

  it('passes its own npm run typecheck and npm test', async () => {
    const typecheck = await run('npm', ['run', 'typecheck'], project, env, 120_000);
    expect({ code: typecheck.code, output: typecheck.output }).toMatchObject({ code: 0, output: expect.stringContaining('No type errors') });
    const tests = await run('npm', ['test'], project, env, 120_000);
    expect({ code: tests.code, output: tests.output }).toMatchObject({ code: 0, output: expect.stringContaining('# pass 2') });
  });

  it('launches with its own serv and echoes over a real WebSocket', async () => {
    const serv = spawn(join(project, 'node_modules', '.bin', 'serv'), ['launch', '--port', '0'], { cwd: project, env });
    running.add(serv);
    let stdout = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
      serv.once('close', (code, signal) => resolveExit({ code, signal })),
    );
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        serv.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const match = /Serv listening on (http:\/\/\S+)/.exec(stdout);
          if (match !== null) resolveUrl(match[1]!);
        });
        void exited.then(() => reject(new Error(`serv launch exited before listening:\n${stdout}`)));
      });
      const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/echo`);
      const reply = new Promise<string>((resolveReply, reject) => {
        ws.once('message', (data) => resolveReply(String(data)));
        ws.once('error', reject);
      });
      ws.once('open', () => ws.send('hello from outside'));
      expect(await reply).toBe('Echo: hello from outside');
      ws.close();
      await new Promise((closed) => ws.once('close', closed));
    } finally {
      serv.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    running.delete(serv);
  });
});
