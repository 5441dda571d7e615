import { fork } from 'node:child_process';
import { servBinPath } from './bin-path';
import { launchArgv, type LaunchOptions } from './launch-options';
import { LISTENING_MESSAGE, SUPERVISED_ENV } from './serve';
import { isMessage } from './shutdown-signal';
import { noteNoTypeCheck } from './type-check-note';

// Signals a terminal, a process manager or `kill` sends to `serv launch`. SIGUSR1 stays Node's (the inspector).
// On Windows the console already delivers Ctrl+C to the child: this process only waits for it.
const WINDOWS = process.platform === 'win32';
const FORWARDED: readonly NodeJS.Signals[] = WINDOWS ? ['SIGINT'] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

/**
 * Single-process `serv launch` when the serving process needs V8 options this one was not started with (the young
 * generation of `settings.runtime` can only be sized at process start): runs the server in a child started with
 * `execArgv`, and behaves as that server would on its own. The child shares stdin/stdout/stderr; every signal
 * sent to this process is passed on once (the child runs in its own process group, so a terminal's Ctrl+C reaches
 * it only through here, never twice); IPC messages are relayed both ways; and this process ends as the child ended:
 * with its exit code, or killed by the same signal. If this process is killed, the child sees its IPC channel close
 * and shuts down gracefully rather than keep the port.
 */
export function runRuntimeRelay(options: LaunchOptions, execArgv: readonly string[]): Promise<number> {
  const child = fork(servBinPath(), launchArgv(options), {
    execArgv: [...execArgv],
    env: { ...process.env, [SUPERVISED_ENV]: '1' },
    stdio: 'inherit',
    // POSIX: its own process group, so a terminal's Ctrl+C reaches the server once, through `forward`. Windows has no
    // such groups (a detached child would get its own console) and delivers Ctrl+C to every process of the console.
    detached: !WINDOWS,
  });
  const forward = (signal: NodeJS.Signals): void => {
    if (!WINDOWS && child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  const fromParent = (message: unknown): void => {
    if (child.connected) child.send(message as Parameters<typeof child.send>[0]);
  };
  if (typeof process.send === 'function') process.on('message', fromParent);
  child.on('message', (message) => {
    // The server is supervised, so the note a single server prints once it serves is this process's to print.
    if (isMessage(message, LISTENING_MESSAGE)) noteNoTypeCheck(options.dev);
    if (process.connected) process.send?.(message);
  });

  return new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const each of FORWARDED) process.off(each, forward);
      process.off('message', fromParent);
      if (signal !== null) {
        // Die of the same signal, so a shell or supervisor sees what it would have seen without this process.
        process.kill(process.pid, signal);
        return;
      }
      resolve(code ?? 1);
    });
    child.on('error', (error) => {
      process.stderr.write(`Could not start the server process: ${error.message}\n`);
      resolve(1);
    });
  });
}
