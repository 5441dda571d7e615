import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { servBinPath } from './bin-path';
import { ChangeWatcher } from './change-watcher';
import { extensionDirOf } from './extension-dir';
import { configFileOf, launchArgv, type LaunchOptions } from './launch-options';
import { launchRuntime, serverExecArgv } from './runtime-flags';
import { LISTENING_MESSAGE, SUPERVISED_ENV, UNRECOVERABLE_MESSAGE } from './serve';
import { isMessage, SHUTDOWN_MESSAGE, waitForShutdown } from './shutdown-signal';
import { noteNoTypeCheck } from './type-check-note';

/**
 * `--reload`: runs the server in a child process and restarts it when the config file, the extension folder or
 * any loaded source file changes. The old child is closed gracefully and has exited before the new one starts,
 * and the new one gets the port the first one bound (so `--port 0` keeps its port). A child that fails to load
 * is reported and restarted on the next change. SIGINT/SIGTERM stop the child and resolve 0.
 */
export async function runReloadSupervisor(options: LaunchOptions): Promise<number> {
  const configFile = configFileOf(options);
  let port = options.port;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarting: Promise<void> = Promise.resolve();
  // Set when a child failed in a way no file change can fix (its port is taken): stop instead of waiting.
  let unrecoverable = false;
  let giveUp: () => void = () => undefined;
  const gaveUp = new Promise<'gave-up'>((resolveGiveUp) => {
    giveUp = () => resolveGiveUp('gave-up');
  });

  const watcher = new ChangeWatcher({
    cwd: options.cwd,
    debounceMs: 150,
    onChange: (files) => {
      if (stopping) return;
      const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
      restarting = restarting.then(async () => {
        if (stopping) return;
        process.stdout.write(`Restarting: ${shown} changed\n`);
        watchProject(watcher, configFile);
        await stopChild();
        if (!stopping) start();
      });
    },
  });

  const start = (): void => {
    const current = fork(servBinPath(), launchArgv(options, { port, reload: false }), {
      // Read at every start: an edit of settings.runtime takes effect on the next restart like any other setting.
      execArgv: serverExecArgv(launchRuntime(options)),
      env: { ...process.env, [SUPERVISED_ENV]: '1' },
      stdio: 'inherit',
    });
    child = current;
    current.on('message', (message: unknown) => {
      if (isMessage(message, UNRECOVERABLE_MESSAGE)) unrecoverable = true;
      if (!isMessage(message, LISTENING_MESSAGE)) return;
      noteNoTypeCheck(options.dev);
      if (typeof message.port === 'number') port = message.port;
      const sources = Array.isArray(message.sources) ? message.sources : [];
      for (const file of sources) if (typeof file === 'string') watcher.watchFile(file);
    });
    // 'close' rather than 'exit': it comes after the IPC channel has delivered the child's last message.
    current.on('close', (code, signal) => {
      if (child !== current) return;
      child = undefined;
      if (stopping) return;
      const how = signal === null ? `code ${code}` : `signal ${signal}`;
      if (unrecoverable) {
        process.stderr.write(`Server exited with ${how}; a file change cannot free the port, so --reload stops here.\n`);
        giveUp();
        return;
      }
      process.stderr.write(`Server exited with ${how}; waiting for a change to restart it.\n`);
    });
  };

  const stopChild = async (): Promise<void> => {
    const current = child;
    // Forget it first so its exit is not reported as a crash.
    child = undefined;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = once(current, 'exit');
    if (current.connected) current.send({ type: SHUTDOWN_MESSAGE });
    else current.kill('SIGTERM');
    await exited;
  };

  watchProject(watcher, configFile);
  start();
  const ended = await Promise.race([waitForShutdown({ watchParent: false }), gaveUp]);
  stopping = true;
  watcher.close();
  await restarting;
  await stopChild();
  return ended === 'gave-up' ? 1 : 0;
}

/** Watches the config file and the extension folder it names (re-read after each change, it may have moved). */
function watchProject(watcher: ChangeWatcher, configFile: string): void {
  watcher.watchFile(configFile);
  watcher.watchTree(extensionDirOf(configFile));
}
