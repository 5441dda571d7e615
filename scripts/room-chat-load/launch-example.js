'use strict';
/**
 * `--launch`: runs examples/room_chat the way its README does (`serv launch` in the app folder, dev shape: SQLite
 * and the memory broker), but from a copy in a temp folder so the run's users, history and files never land in the
 * clone's data/ folder. The copy resolves @serv/* and the drivers through a symlink to the repo's node_modules.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { LoadUsageError } = require('./options');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'room_chat');
const CLI_BIN = path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const SKIPPED = new Set(['data', 'node_modules', 'test', 'test-artifacts', 'screenshots']);
const LISTENING = /Serv listening on (https?:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Copies the example (without data/, tests and node_modules) into a fresh temp folder; returns its path. */
function copyExample() {
  if (!fs.existsSync(path.join(EXAMPLE_DIR, 'serv.config.yaml'))) {
    throw new LoadUsageError(`${EXAMPLE_DIR}/serv.config.yaml does not exist: --launch needs examples/room_chat; use --url to target a running server`);
  }
  if (!fs.existsSync(CLI_BIN)) throw new LoadUsageError(`${CLI_BIN} does not exist: run "npm run build" first`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'room-chat-load-'));
  const app = path.join(root, 'room_chat');
  fs.cpSync(EXAMPLE_DIR, app, { recursive: true, filter: (src) => src === EXAMPLE_DIR || !SKIPPED.has(path.relative(EXAMPLE_DIR, src)) });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  return { root, app };
}

/**
 * Raises settings.max_connections in the copy when the run needs more sockets than it allows (the default is
 * 1000); everything else stays as the example ships it. Returns a note for the report, or null.
 */
function allowConnections(app, needed) {
  const YAML = require('yaml');
  const file = path.join(app, 'serv.config.yaml');
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
  const current = doc.getIn(['settings', 'max_connections']) ?? 1000;
  if (current >= needed) return null;
  doc.setIn(['settings', 'max_connections'], needed);
  fs.writeFileSync(file, doc.toString());
  return `settings.max_connections raised from ${current} to ${needed} in the temp copy`;
}

/**
 * Starts the copy on a free port; resolves `{ url, pid, notes, output(), stop() }` once it prints its listening
 * line. `stop()` sends SIGTERM (SIGKILL after 15 s), waits for the exit and removes the temp folder.
 */
async function launchExample({ users, log }) {
  const { root, app } = copyExample();
  const notes = [];
  const raised = allowConnections(app, users + 50);
  if (raised !== null) notes.push(raised);
  const env = { ...process.env, NO_COLOR: '1', SERV_DEBUG: 'false' };
  delete env.SERV_PORT;
  delete env.SERV_HOST;
  const child = spawn(process.execPath, [CLI_BIN, 'launch', '--host', '127.0.0.1', '--port', '0'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
    return exited;
  };
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serv launch printed no "Serv listening on" line within ${START_TIMEOUT_MS / 1000} s; output:\n${output}`)), START_TIMEOUT_MS);
      const onData = (chunk) => {
        output += chunk;
        if (output.length > 256 * 1024) output = output.slice(-64 * 1024);
        const match = LISTENING.exec(output);
        if (match !== null) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`serv launch exited (${signal ?? `code ${code}`}) before listening; output:\n${output}`));
      });
    });
    log(`launched examples/room_chat from ${app} at ${url} (pid ${child.pid})`);
    return { url, pid: child.pid, notes, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { launchExample, EXAMPLE_DIR };
