import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseYaml } from '@serv/core';
import { servBinPath } from './bin-path';
import { ChangeWatcher } from './change-watcher';
import { configFileOf, launchArgv, type LaunchOptions } from './launch-options';
import { LISTENING_MESSAGE, SUPERVISED_ENV } from './serve';
import { isMessage, SHUTDOWN_MESSAGE, waitForShutdown } from './shutdown-signal';

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
      env: { ...process.env, [SUPERVISED_ENV]: '1' },
      stdio: 'inherit',
    });
    child = current;
    current.on('message', (message: unknown) => {
      if (!isMessage(message, LISTENING_MESSAGE)) return;
      if (typeof message.port === 'number') port = message.port;
      const sources = Array.isArray(message.sources) ? message.sources : [];
      for (const file of sources) if (typeof file === 'string') watcher.watchFile(file);
    });
    current.on('exit', (code, signal) => {
      if (child !== current) return;
      child = undefined;
      if (!stopping) {
        const how = signal === null ? `code ${code}` : `signal ${signal}`;
        process.stderr.write(`Server exited with ${how}; waiting for a change to restart it.\n`);
      }
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
  await waitForShutdown({ watchParent: false });
  stopping = true;
  watcher.close();
  await restarting;
  await stopChild();
  return 0;
}

/** Watches the config file and the extension folder it names (re-read after each change, it may have moved). */
function watchProject(watcher: ChangeWatcher, configFile: string): void {
  watcher.watchFile(configFile);
  watcher.watchTree(extensionDirOf(configFile));
}

// Only a hint for watching: a file being edited may not parse, and then the default folder is the best guess.
function extensionDirOf(configFile: string): string {
  let dir = './extensions';
  try {
    const document = parseYaml(readFileSync(configFile, 'utf8'), configFile) as { settings?: { extension_dir?: unknown } } | null;
    const configured = document?.settings?.extension_dir;
    if (typeof configured === 'string' && configured !== '') dir = configured;
  } catch {
    // Unreadable or invalid: the child reports it properly when it loads.
  }
  return resolve(dirname(configFile), dir);
}
