import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The real, built `serv` executable these tests drive. */
export const SERV_BIN = resolve(__dirname, '..', '..', 'dist', 'bin.js');
const SRC_DIR = resolve(__dirname, '..', '..', 'src');

/**
 * Fails fast with instructions when dist/ is missing or older than src/: these tests run the built binary, and
 * `npm test` builds before running jest (`npm run build` by hand otherwise).
 */
export function assertBuilt(): void {
  if (!existsSync(SERV_BIN)) throw new Error(`${SERV_BIN} does not exist: run "npm run build" first (npm test does)`);
  // tsc -b leaves unchanged outputs alone but always rewrites the build info when it builds anything.
  const built = newestMtime(resolve(SERV_BIN, '..'));
  const newest = newestMtime(SRC_DIR);
  if (newest > built) throw new Error(`packages/cli/dist is older than packages/cli/src: run "npm run build" first (npm test does)`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** A fresh folder under the OS temp dir; remove it with removeTempDir in afterEach. */
export function makeTempDir(prefix = 'serv-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Deletes a folder made by makeTempDir. */
export function removeTempDir(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** Options for running `serv`. */
export interface RunOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to stdin, which is then closed. */
  readonly input?: string;
}

/** The outcome of a finished `serv` run. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for child processes: no inherited SERV_* settings, the given overrides on top. */
export function childEnv(env: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SERV_') && !key.startsWith('JEST')) base[key] = value;
  return { ...base, ...env };
}

/** Runs `serv ARGS` to completion and collects its output. */
export function runServ(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const serv = new ServProcess(args, options);
  return serv.exited.then(({ code, signal }) => ({ code, signal, stdout: serv.stdout, stderr: serv.stderr }));
}

/** A running `serv` process whose output can be awaited line by line. */
export class ServProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  /** Resolves when the process has exited and its output streams have closed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();
  private done = false;

  constructor(args: readonly string[], options: RunOptions) {
    this.child = spawn(process.execPath, [SERV_BIN, ...args], { cwd: options.cwd, env: childEnv(options.env) });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    if (options.input !== undefined) this.child.stdin.end(options.input);
    this.exited = new Promise((resolveExit) => {
      this.child.on('close', (code, signal) => {
        this.done = true;
        this.notify();
        resolveExit({ code, signal });
      });
    });
  }

  /**
   * Resolves with the first match of `pattern` in stdout+stderr after `from` characters of combined output have
   * been seen (use `from` to wait for a second occurrence); rejects if the process exits first.
   */
  waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', from = 0): Promise<RegExpExecArray> {
    return new Promise((resolveMatch, reject) => {
      const check = (): boolean => {
        const text = (stream === 'stdout' ? this.stdout : this.stderr).slice(from);
        const match = pattern.exec(text);
        if (match !== null) {
          resolveMatch(match);
          return true;
        }
        if (this.done) {
          reject(new Error(`serv exited before printing ${pattern}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits for the `Serv listening on URL` line and returns the URL and port. */
  async listening(from = 0): Promise<{ url: string; port: number; host: string }> {
    const match = await this.waitFor(/Serv listening on (https?:\/\/([^\s:]+):(\d+))/, 'stdout', from);
    return { url: match[1]!, host: match[2]!, port: Number(match[3]) };
  }

  /** Sends `signal` and resolves with the exit status. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.done) this.child.kill(signal);
    return this.exited;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
