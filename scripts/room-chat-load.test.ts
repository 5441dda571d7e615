/**
 * The room chat's load script must keep working: run in a small bounded configuration (40 users, 4 rooms, 3 s)
 * against the example it launches itself, it must finish, see messages flow and report no lost, duplicated or
 * refused message. A test, not a benchmark: nothing here asserts a speed.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

jest.setTimeout(180_000); // 40 scrypt sign-ups, a 3 s window and the drain, on a machine shared with other test runs

const REPO_ROOT = resolve(__dirname, '..');
const SCRIPT = join(REPO_ROOT, 'scripts', 'room-chat-load.js');
const execFileAsync = promisify(execFile);

let running: ChildProcess | undefined;

afterEach(() => {
  // The script stops the server it launched itself; this only matters when an assertion failed mid-run.
  if (running !== undefined && running.exitCode === null && running.signalCode === null) running.kill('SIGTERM');
  running = undefined;
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script with `args`; with `openFiles`, under that soft `ulimit -n`. Resolves however it exits. */
async function runScript(args: string[], openFiles?: number): Promise<Run> {
  const argv = openFiles === undefined ? [process.execPath, SCRIPT, ...args] : ['sh', '-c', `ulimit -n ${openFiles} && exec "$@"`, 'sh', process.execPath, SCRIPT, ...args];
  const pending = execFileAsync(argv[0] as string, argv.slice(1), { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  running = pending.child;
  try {
    const { stdout, stderr } = await pending;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('scripts/room-chat-load.js', () => {
  it('drives 40 users in 4 rooms for 3 s against the launched example with nothing lost or duplicated', async () => {
    expect(existsSync(join(REPO_ROOT, 'examples', 'room_chat', 'serv.config.yaml'))).toBe(true);
    const run = await runScript(['--launch', '--users', '40', '--rooms', '4', '--duration', '3', '--rate', '2', '--json']);
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(run.stdout);

    expect(result).toMatchObject({ ok: true, users: 40, rooms: 4, lost: 0, duplicated: 0, receiversWithLoss: 0, receiversWithDuplicates: 0 });
    expect(result.problems).toEqual({ foreign: 0, misattributed: 0, malformed: 0, unexpected: 0 });
    expect(result.errorFrames.byCode).toEqual({});
    expect(result.unexpectedCloses.count).toBe(0);
    // Messages flowed: every one sent reached each of the 10 members of its room.
    expect(result.window.sent).toBeGreaterThan(0);
    expect(result.deliveries.delivered).toBe(result.window.sent * 10);
    expect(result.deliveries.expected).toBe(result.deliveries.delivered);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
  });

  it('refuses bad options with exit code 2 and says what to change', async () => {
    const rooms = await runScript(['--users', '10', '--rooms', '20']);
    expect(rooms).toEqual({ code: 2, stdout: '', stderr: 'room-chat-load: --rooms (20) must not exceed --users (10): every room needs a user\n' });
    const rate = await runScript(['--users', '5000', '--rate', '10']);
    expect(rate.stderr).toBe('room-chat-load: --users 5000 × --rate 10 is 50000 messages/s; the script sends at most 20000/s: lower --rate or --users\n');
    const both = await runScript(['--launch', '--url', 'http://127.0.0.1:1']);
    expect(both.stderr).toBe('room-chat-load: --url and --launch exclude each other: target a running example or start one, not both\n');
    const duration = await runScript(['--duration', '3600']);
    expect(duration).toEqual({ code: 2, stdout: '', stderr: 'room-chat-load: --duration must be from 1 to 600, got 3600\n' });
  });

  it('checks the open-file limit before starting anything and says how to raise it', async () => {
    const run = await runScript(['--users', '1000', '--url', 'http://127.0.0.1:1'], 300);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'room-chat-load: --users 1000 needs about 1200 open files per process (one socket per user plus 200), but ulimit -n is 300: '
        + 'raise it in this shell with "ulimit -n 1200" (the hard limit, "ulimit -Hn", is the most you can set without root) or lower --users\n',
    });
  });
});
