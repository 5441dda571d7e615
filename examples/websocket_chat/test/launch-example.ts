import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The example folder: the working directory its README tells users to launch from. */
export const EXAMPLE_DIR = resolve(__dirname, '..');

/** The real `serv` binary, built by `npm run build`. */
export const CLI_BIN = resolve(EXAMPLE_DIR, '../../packages/cli/dist/bin.js');

const LISTENING_LINE = /^Serv listening on (http:\/\/\S+)/m;

/** Every launched process with its exit promise, so a failed or timed-out test still gets its server stopped. */
const running = new Map<ChildProcess, Promise<number | null>>();

/** A running `serv launch` of the example. */
export interface LaunchedExample {
  /** The page URL the CLI printed, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The WebSocket endpoint on the same host: `ws://…/ws`. */
  readonly wsUrl: string;
  /** The port the server bound (pass it to launchExample to restart on the same address). */
  readonly port: number;
  /** Everything the CLI wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the process has exited (immediately if it already has). */
  stop(): Promise<number | null>;
}

/** Where and how to launch (the echo example by default; the room chat's tests launch a copy of theirs). */
export interface LaunchOptions {
  /** The folder to run `serv launch` in (default: this example's folder). */
  cwd?: string;
  /** More `serv launch` arguments, e.g. `['--config', 'serv.production.yaml']`. */
  args?: readonly string[];
  /** Variables added to the environment. */
  env?: Readonly<Record<string, string>>;
}

/**
 * Launches the example as the README says (`serv launch` in the example folder, here with `--port`) and resolves
 * once the CLI prints its `Serv listening on http://…` line; rejects with the CLI's output if it exits first.
 */
export function launchExample(port = 0, options: LaunchOptions = {}): Promise<LaunchedExample> {
  const child = spawn(process.execPath, [CLI_BIN, 'launch', '--port', String(port), ...(options.args ?? [])], {
    cwd: options.cwd ?? EXAMPLE_DIR,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  running.set(child, exited);
  void exited.then(() => running.delete(child));

  return new Promise((resolveLaunch, rejectLaunch) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = LISTENING_LINE.exec(output);
      if (match === null || match[1] === undefined) return;
      child.stdout?.off('data', onData).on('data', (more: Buffer) => (output += more.toString('utf8')));
      child.stderr?.off('data', onData).on('data', (more: Buffer) => (output += more.toString('utf8')));
      child.off('exit', onEarlyExit);
      const url = match[1].replace(/\/$/, '');
      resolveLaunch({
        url,
        wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
        port: Number(new URL(url).port),
        output: () => output,
        stop: () => stop(child, exited),
      });
    };
    const onEarlyExit = (code: number | null): void => {
      rejectLaunch(new Error(`serv launch exited with code ${code} before listening; output:\n${output}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onEarlyExit);
  });
}

/** Stops every example process still running (for afterEach); resolves once all have exited. */
export async function stopLaunchedExamples(): Promise<void> {
  await Promise.all([...running].map(([child, exited]) => stop(child, exited)));
}

function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}
