import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
import { cacheEnv, scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';
import { WebSocket } from 'ws';

jest.setTimeout(60_000);

const ROUTE = resolve(__dirname, '..', 'fixtures', 'runtime', 'route_young_generation.ts');

interface YoungGeneration {
  readonly pid: number;
  readonly semiSpaceMb: number;
}

// A fresh connection per request (no keep-alive agent), so a cluster primary hands each one to the next worker.
function youngGeneration(url: string): Promise<YoungGeneration> {
  return new Promise((resolveBody, reject) => {
    get(`${url}/young-generation`, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolveBody(JSON.parse(body) as YoungGeneration));
    }).on('error', reject);
  });
}

// The same measurement as the fixture route, in a plain `node` process: what Node's own default is on this machine.
function nodeDefaultSemiSpaceMb(): number {
  const script = `const v8 = require('node:v8');
const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const message = Buffer.alloc(16384, 'x'); const live = new Array(512); let largest = size();
for (let i = 0; i < 40000; i += 1) { live[i % 512] = message.toString(); if (i % 256 === 0) largest = Math.max(largest, size()); }
process.stdout.write(String(largest / 2 / 1048576));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } }));
}

describe('settings.runtime.semi_space_mb', () => {
  let dir: string;
  let server: ServProcess | undefined;

  beforeAll(assertBuilt);
  beforeEach(async () => {
    dir = makeTempDir();
    await scaffoldEchoApp(dir, [['create', 'route', '--name', 'young_generation']]);
    copyFileSync(ROUTE, join(dir, 'extensions', 'chat', 'route_young_generation.ts'));
  });
  afterEach(async () => {
    if (server !== undefined) await server.stop();
    server = undefined;
    removeTempDir(dir);
  });

  const configure = (semiSpace: string): void => appendFileSync(join(dir, 'serv.config.yaml'), `  runtime:\n    semi_space_mb: ${semiSpace}\n`);
  const launch = (args: readonly string[], env: Record<string, string> = {}): ServProcess =>
    new ServProcess(['launch', '--port', '0', ...args], { cwd: dir, env: { ...cacheEnv(dir), ...env } });

  it('runs a single server with the configured young generation, in a process started with it', async () => {
    configure('32');
    server = launch([]);
    const { url } = await server.listening();
    const measured = await youngGeneration(url);
    expect(measured.semiSpaceMb).toBe(32);
    // This process was started without the V8 option, so the server runs in a child started with it.
    expect(measured.pid).not.toBe(server.child.pid);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stdout).toContain('Shutting down (SIGTERM)…\n');
  });

  it('lets SERV_SEMI_SPACE_MB beat the file, and "default" keeps Node\'s own size in one process', async () => {
    configure('32');
    server = launch([], { SERV_SEMI_SPACE_MB: '64' });
    expect((await youngGeneration((await server.listening()).url)).semiSpaceMb).toBe(64);
    await server.stop();

    server = launch([], { SERV_SEMI_SPACE_MB: 'default' });
    const measured = await youngGeneration((await server.listening()).url);
    expect(measured.pid).toBe(server.child.pid);
    expect(measured.semiSpaceMb).toBe(nodeDefaultSemiSpaceMb());
  });

  it('needs no second process when node already runs with the configured size', async () => {
    configure('32');
    server = launch([], { NODE_OPTIONS: '--max-semi-space-size=32' });
    const measured = await youngGeneration((await server.listening()).url);
    expect(measured).toEqual({ pid: server.child.pid, semiSpaceMb: 32 });
  });

  it('starts every --workers process with the configured young generation', async () => {
    configure('64');
    server = launch(['--workers', '2']);
    const { url } = await server.listening();
    const workers = await server.waitFor(/^2 workers \(pids (\d+), (\d+)\)$/m);
    const seen = new Map<number, number>();
    for (let i = 0; i < 20 && seen.size < 2; i += 1) {
      const measured = await youngGeneration(url);
      seen.set(measured.pid, measured.semiSpaceMb);
    }
    expect([...seen.keys()].sort()).toEqual([Number(workers[1]), Number(workers[2])].sort());
    expect([...seen.values()]).toEqual([64, 64]);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('starts the --reload server with the configured young generation, re-read on restart', async () => {
    configure('32');
    server = launch(['--reload']);
    const first = await server.listening();
    expect((await youngGeneration(first.url)).semiSpaceMb).toBe(32);
    const from = server.stdout.length;
    const config = join(dir, 'serv.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('semi_space_mb: 32', 'semi_space_mb: 64'));
    const second = await server.listening(from);
    expect((await youngGeneration(second.url)).semiSpaceMb).toBe(64);
    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('ends as the server process ends: killed by the same signal', async () => {
    configure('32');
    server = launch([]);
    const { pid } = await youngGeneration((await server.listening()).url);
    process.kill(pid, 'SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('shuts the server process down gracefully when serv itself is killed', async () => {
    configure('32');
    server = launch([]);
    const { port, url } = await server.listening();
    const { pid } = await youngGeneration(url);
    expect(pid).not.toBe(server.child.pid);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/echo`);
    await new Promise((opened) => socket.once('open', opened));
    const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
    server.child.kill('SIGKILL');
    expect(await closed).toBe(1001);
  });

  it('exits 1 naming the file and key for a size V8 would round', async () => {
    configure('48');
    const result = await runServ(['launch', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
    expect(result).toMatchObject({
      code: 1,
      stderr: 'serv.config.yaml: settings.runtime.semi_space_mb must be "default", 0 (both: Node\'s own size) or a power of two from 1 to 1024 (megabytes), got 48\n',
    });
  });

  it('exits 1 naming SERV_SEMI_SPACE_MB for a bad value', async () => {
    const result = await runServ(['launch', '--port', '0'], { cwd: dir, env: { ...cacheEnv(dir), SERV_SEMI_SPACE_MB: 'big' } });
    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(/^SERV_SEMI_SPACE_MB must be "default", 0 .* got "big"\n$/) });
  });
});
