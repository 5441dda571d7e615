import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** The shared test Redis (`.ci/run` starts it when it is not answering). */
export const REDIS_URL = 'redis://127.0.0.1:6379';

const PING = `
const socket = require('node:net').connect(6379, '127.0.0.1');
socket.setTimeout(1000, () => process.exit(1));
socket.on('error', () => process.exit(1));
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));`;

/**
 * Whether Redis answers at 127.0.0.1:6379. Without it a test suite warns and skips on a developer's machine; with
 * `CI=true` its absence throws, failing the suite (CI must never skip the Redis tests).
 */
export function redisAvailable(suite: string): boolean {
  const answered = spawnSync(process.execPath, ['-e', PING], { timeout: 5000 }).status === 0;
  if (answered) return true;
  const how = 'start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';
  if (process.env.CI === 'true') throw new Error(`${suite} needs Redis at 127.0.0.1:6379, which is not answering; ${how}`);
  console.warn(`SKIPPED ${suite}: Redis at 127.0.0.1:6379 is not answering; ${how}`);
  return false;
}

/** A key prefix no other test run shares (several engineers run the tests against one Redis). */
export function uniquePrefix(name: string): string {
  return `serv-test:${name}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** A port nobody listens on right now (Redis refuses --port 0, so the test picks one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private `redis-server` a test can stop and start again on the same port. */
export class PrivateRedis {
  private _child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /** Starts one on a free port. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server; resolves once it accepts connections. */
  restart(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this._child = child;
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server on port ${this.port} exited with ${code}: ${out}`)));
    });
  }

  /** Stops the server (SIGKILL: an outage, not a goodbye); resolves once it has exited. */
  stop(): Promise<void> {
    const child = this._child;
    this._child = null;
    if (child === null || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

/** Deletes every key under `prefix` in the shared test Redis (afterAll of each suite that wrote some). */
export async function deleteKeys(prefix: string): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}
