/**
 * How long `serv launch` takes from spawn to an accepted connection, with a cold and a warm TypeScript cache.
 *
 *   npm run build && node -r ./packages/cli/dist/register scripts/startup-time.ts [APP_DIR] [--rounds N]
 *
 * APP_DIR defaults to examples/websocket_chat (the echo chat). Each round launches the app with `--port 0 --dev`,
 * waits for `Serv listening on …`, then opens a WebSocket to the first WS route the summary line names (or sends
 * GET / when there is none) and stops the server with SIGTERM. "cold" rounds use an empty cache folder, "warm"
 * rounds reuse one filled by an earlier launch. `node -e 0` is measured alongside as the floor.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');

interface Sample {
  /** Spawn to accepted connection, ms. */
  total: number;
  /** Spawn to the listening line, ms. */
  listening: number;
  /** What `--dev` reported: loading the project, and the part spent in the TypeScript loader. */
  loadMs: number;
  loaderMs: number;
  compiled: number;
}

function launchOnce(appDir: string, cacheDir: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'launch', '--port', '0', '--dev'], {
    cwd: appDir,
    env: { ...process.env, SERV_TS_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise<Sample>((resolveSample, reject) => {
    let measuring = false;
    child.on('exit', (code) => {
      if (!measuring) reject(new Error(`serv launch exited ${code} before listening:\n${output}`));
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const listening = /Serv listening on (http:\/\/\S+)/.exec(output);
      const loaded = /Loaded in (\d+) ms \(TypeScript: (\d+) compiled, \d+ cached, (\d+) ms\)/.exec(output);
      if (measuring || listening === null || loaded === null) return;
      measuring = true;
      const listeningAt = performance.now() - started;
      const wsUrl = /\((ws:\/\/[^,)\s]+)/.exec(output)?.[1];
      connect(listening[1]!, wsUrl).then(
        () => {
          const total = performance.now() - started;
          child.once('exit', () => resolveSample({ total, listening: listeningAt, loadMs: Number(loaded[1]), compiled: Number(loaded[2]), loaderMs: Number(loaded[3]) }));
          child.kill('SIGTERM');
        },
        (error: unknown) => {
          child.kill('SIGTERM');
          reject(error);
        },
      );
    });
  });
}

// The first accepted connection: a WebSocket handshake when the app has a WS route, else one HTTP request.
function connect(httpUrl: string, wsUrl: string | undefined): Promise<void> {
  if (wsUrl !== undefined) {
    return new Promise((done, fail) => {
      const socket = new WebSocket(wsUrl);
      socket.once('open', () => {
        socket.close();
        done();
      });
      socket.once('error', fail);
    });
  }
  return new Promise((done, fail) => {
    get(`${httpUrl}/`, { agent: false }, (response) => {
      response.resume();
      response.on('end', done);
    }).on('error', fail);
  });
}

function nodeFloor(): Promise<number> {
  const started = performance.now();
  return new Promise((done) => spawn(process.execPath, ['-e', '0']).on('exit', () => done(performance.now() - started)));
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number): string => `${Math.round(value)} ms`.padStart(8);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt === -1 ? 5 : Number(args[roundsAt + 1]);
  const appDir = resolve(args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--rounds') ?? join(ROOT, 'examples', 'websocket_chat'));
  const scratch = mkdtempSync(join(tmpdir(), 'serv-startup-'));
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const floor: number[] = [];
  try {
    const warmCache = join(scratch, 'warm');
    await launchOnce(appDir, warmCache);
    // Interleave the kinds so machine noise hits them alike.
    for (let round = 0; round < rounds; round += 1) {
      floor.push(await nodeFloor());
      cold.push(await launchOnce(appDir, join(scratch, `cold-${round}`)));
      warm.push(await launchOnce(appDir, warmCache));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const row = (name: string, samples: Sample[]): string =>
    `${name.padEnd(6)}${ms(median(samples.map((s) => s.total)))}${ms(Math.min(...samples.map((s) => s.total)))}${ms(Math.max(...samples.map((s) => s.total)))}` +
    `${ms(median(samples.map((s) => s.listening)))}${ms(median(samples.map((s) => s.loadMs)))}${ms(median(samples.map((s) => s.loaderMs)))}${String(samples[0]!.compiled).padStart(9)}`;
  process.stdout.write(`serv launch startup, ${appDir} (${rounds} rounds, median/min/max of spawn → accepted connection)\n`);
  process.stdout.write(`${'cache'.padEnd(6)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}${'listen'.padStart(8)}${'load'.padStart(8)}${'ts'.padStart(8)}${'compiled'.padStart(9)}\n`);
  process.stdout.write(`${row('cold', cold)}\n${row('warm', warm)}\n`);
  process.stdout.write(`node -e 0 floor: ${Math.round(median(floor))} ms; warm launch is ${(median(warm.map((s) => s.total)) / median(floor)).toFixed(1)}x the floor\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
