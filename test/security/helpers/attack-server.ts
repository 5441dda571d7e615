import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the server process reports after a full GC. */
export interface ServerMemory {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  /** WebSocket handlers running. */
  open: number;
  /** Close codes of ended WebSocket connections, counted. */
  closes: Record<string, number>;
}

/** A string that only the file outside the served root holds: no answer may ever contain it. */
export const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';
const MiB = 1024 * 1024;

/**
 * The attack suite's target: `fixtures/attack-server.js` in its own Node process (built packages, --expose-gc), with
 * a static root beside a secret file and a symbolic link that points at it.
 */
export class AttackServer {
  port = 0;
  private baseline: ServerMemory | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
  ) {}

  /** Start a server with these camelCase settings and wait until it listens. */
  static async start(settings: Record<string, unknown> = {}): Promise<AttackServer> {
    const dir = mkdtempSync(join(tmpdir(), 'serv-attack-'));
    const root = join(dir, 'public');
    mkdirSync(join(root, 'css'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(root, 'css', 'site.css'), 'body { color: red }');
    writeFileSync(join(root, '.env'), SECRET);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    symlinkSync(join(dir, 'secret.txt'), join(root, 'leak.txt'));
    // A short shutdown grace: stop() closes connections whose handlers may be parked in send().
    const child = fork(join(__dirname, '..', 'fixtures', 'attack-server.js'), [JSON.stringify({ shutdownGraceMs: 1000, ...settings }), root], {
      execArgv: ['--expose-gc'],
      // A fixed mmap threshold: glibc otherwise raises it after the first large free and serves later megabyte
      // buffers from its heap, whose freed pages it keeps, and the RSS check would measure the allocator, not Serv.
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '65536' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new AttackServer(child, dir);
    const [msg] = (await once(child, 'message')) as [{ type: string; port: number }];
    server.port = msg.port;
    return server;
  }

  private ask<T>(type: string, extra: Record<string, unknown> = {}): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (msg: { type: string }): void => {
        if (msg.type !== type) return;
        this.child.off('message', onMessage);
        resolve(msg as T);
      };
      this.child.on('message', onMessage);
      this.child.send({ type, ...extra });
    });
  }

  /** Memory after a full GC, open WebSockets and close codes so far. */
  memory(): Promise<ServerMemory> {
    return this.ask<ServerMemory>('mem');
  }

  /**
   * Resolves once at most `max` (default 0) WebSocket handlers are running, with the close codes counted so far and
   * the wall-clock times (`Date.now()`) at which connections ended and how long each failed `send()` on
   * /ws-download had waited, both since the last call.
   */
  async idle(max = 0): Promise<{ closes: Record<string, number>; endedAt: number[]; sendWaits: number[] }> {
    return this.ask<{ closes: Record<string, number>; endedAt: number[]; sendWaits: number[] }>('idle', { max });
  }

  /**
   * Resolves once `n` handlers of /ws-download are inside `send()` at once (each handler sends one reply at a time),
   * or once the first of them timed out, whichever comes first: with how many were parked at most, and the server's
   * memory (after a full GC) at that moment.
   */
  async parked(n: number): Promise<{ parked: number; memory: ServerMemory }> {
    return this.ask<{ parked: number; memory: ServerMemory }>('parked', { n });
  }

  /** The memory recorded by `markBaseline()`. */
  get baselineMemory(): ServerMemory {
    return this.baseline as ServerMemory;
  }

  /** Record the memory the bounds are measured against (call once the server has served a little). */
  async markBaseline(): Promise<ServerMemory> {
    this.baseline = await this.memory();
    return this.baseline;
  }

  /**
   * The memory after an attack, asserting it came back within bounds of the baseline: the JS heap plus buffers
   * within `heapMiB`, the resident set within `rssMiB` (looser: freed pages go back to the OS lazily).
   */
  async expectMemoryBack(heapMiB = 16, rssMiB = 128): Promise<ServerMemory> {
    const base = this.baseline as ServerMemory;
    const now = await this.memory();
    expect((now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers) / MiB).toBeLessThan(heapMiB);
    expect((now.rss - base.rss) / MiB).toBeLessThan(rssMiB);
    return now;
  }

  /** Error and warning lines the server logged since the last call. */
  async logs(): Promise<string[]> {
    return (await this.ask<{ logs: string[] }>('logs')).logs;
  }

  /** Shut the server down (graceful close) and remove its files. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.send({ type: 'close' });
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
