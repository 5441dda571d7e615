/**
 * Smoke test of the benchmark harness: `node scripts/bench/run.js --quick --no-write` must finish, print every
 * section with a numeric figure for every server, and leave no Serv row unavailable — so the bench cannot rot and a
 * missing framework part cannot hide behind an "unavailable" row. Speed itself is not asserted here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { redisAvailable } from '../../packages/websocket/test/helpers/redis';

const REPO_ROOT = join(__dirname, '..', '..');

// The bench's own dependencies (autocannon, fastify) are installed apart from the root: `npm install --prefix scripts/bench`.
// Asked of plain Node, which resolves them as run.js will (Jest's own resolver answers differently).
const { missing: MISSING, hint: INSTALL_HINT } = JSON.parse(
  execFileSync(process.execPath, ['-e', "const d = require('./lib/bench-deps'); console.log(JSON.stringify({ missing: d.missingBenchDependencies(), hint: d.INSTALL_HINT }))"], {
    cwd: __dirname,
    encoding: 'utf8',
  }),
) as { missing: string[]; hint: string };
if (MISSING.length > 0 && process.env.CI !== 'true') {
  console.warn(`scripts/bench/bench.test.ts SKIPPED: the benchmark's dependencies are not installed (${MISSING.join(', ')}); run "${INSTALL_HINT}" to run it.`);
}
const describeBench = MISSING.length > 0 && process.env.CI !== 'true' ? describe.skip : describe;

interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

let running: ChildProcess | undefined;

function runQuickBench(): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'run.js'), '--quick', '--no-write'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** Splits the printed report into its `### N. Title` sections and returns each one's table as header → cell maps. */
function sectionTables(stdout: string): Map<string, Array<Record<string, string>>> {
  const tables = new Map<string, Array<Record<string, string>>>();
  const parts = stdout.split(/^### \d+\. /m).slice(1);
  for (const part of parts) {
    const title = part.slice(0, part.indexOf('\n')).trim();
    const rows = part.split('\n').filter((line) => line.startsWith('| ')).map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.trim()));
    const [headers, , ...body] = rows;
    tables.set(title, (body ?? []).map((cells) => Object.fromEntries((headers ?? []).map((header, i) => [header, cells[i] ?? '']))));
  }
  return tables;
}

const NUMBER = /^-?[\d,]+(\.\d+)?( (B|KB|MB))?$/;

/** Every section, the column holding its main figure, and the servers that must each have a numeric figure there. */
const EXPECTED: Array<{ section: string; column: string; key: string; servers: string[] }> = [
  { section: 'WebSocket echo', column: 'msg/s', key: 'server', servers: ['bare ws', 'bare ws, same app work', 'Serv echo chat'] },
  { section: 'Idle connections', column: 'RSS / conn after 6 s idle', key: 'server', servers: ['bare ws', 'bare ws, same app work', 'Serv echo chat'] },
  { section: 'HTTP', column: 'req/s', key: 'server', servers: ['bare node:http', 'fastify', 'Serv route class'] },
  { section: 'Startup', column: 'median to first connection ms', key: 'variant', servers: ['bare ws', 'serv launch, cold TS cache', 'serv launch, warm TS cache'] },
  { section: 'Rooms', column: 'deliveries/s', key: 'server', servers: ['bare ws (frame once, write to every socket)', 'Serv rooms.broadcast()'] },
  { section: 'Message history', column: 'msg/s', key: 'writer', servers: ['better-sqlite3 alone', 'Serv rooms.publish() (SQLite)'] },
  {
    section: 'Sessions and guards',
    column: 'per second',
    key: 'cell',
    servers: [
      'HTTP GET /users/42, no session, no guard',
      'HTTP GET /users/42, guard + SQLite session read (default store)',
      'HTTP GET /users/42, guard + memory session read',
      'WebSocket handshakes, no cookie',
      'WebSocket handshakes, session cookie (SQLite read + origin check)',
    ],
  },
];

describeBench('npm run bench -- --quick', () => {
  let result: RunResult;

  beforeAll(async () => {
    result = await runQuickBench();
  }, 170_000);

  afterAll(() => {
    // Only when the run overran the hook timeout: the bench then kills its own servers on SIGTERM.
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGTERM');
  });

  it('has its dependencies installed (with CI=true a missing one is a failure, not a skip)', () => {
    expect(MISSING).toEqual([]);
  });

  it('exits 0', () => {
    expect({ exitCode: result.exitCode, stderrTail: result.stderr.slice(-3000) }).toMatchObject({ exitCode: 0 });
  });

  it('prints every section with a numeric figure for every server, Serv included', () => {
    const tables = sectionTables(result.stdout);
    expect([...tables.keys()]).toEqual(EXPECTED.map((e) => e.section));
    for (const { section, column, key, servers } of EXPECTED) {
      const rows = tables.get(section) ?? [];
      for (const server of servers) {
        const figures = rows.filter((row) => row[key] === server).map((row) => row[column]);
        expect({ section, server, figures: figures.length > 0 && figures.every((f) => NUMBER.test(f ?? '')) ? 'numeric' : figures }).toEqual({ section, server, figures: 'numeric' });
      }
    }
  });

  it('judges Serv against the equivalent bare ws and still prints its ratio to the raw bare ws', () => {
    const tables = sectionTables(result.stdout);
    const columns: Array<[string, string[]]> = [
      ['WebSocket echo', ['ratio to equivalent bare ws', 'ratio to raw bare ws']],
      ['Idle connections', ['ratio RSS to equivalent bare ws', 'ratio RSS to raw bare ws']],
    ];
    for (const [section, names] of columns) {
      const servRows = (tables.get(section) ?? []).filter((row) => row.server === 'Serv echo chat');
      const cells = servRows.flatMap((row) => names.map((name) => row[name] ?? ''));
      expect({ section, ratios: cells.length > 0 && cells.every((cell) => /^\d+\.\d\d×$/.test(cell)) ? 'numeric' : cells }).toEqual({ section, ratios: 'numeric' });
    }
  });

  it('reports no unavailable or failed row', () => {
    // The rooms section's two-instance rows need Redis: off CI and without it they may say so (with a warning).
    const withoutRedis = !redisAvailable('the Redis rows of the rooms bench');
    const problems = result.stdout
      .split('\n')
      .filter((line) => /\b(unavailable|failed)\b/.test(line))
      .filter((line) => !(withoutRedis && (line.includes('needs Redis') || line.includes('not measured'))));
    expect(problems).toEqual([]);
  });

  it('prints the targets table with a verdict per target (figures only reported have none)', () => {
    const targets = result.stdout.split('### Targets\n')[1]?.split('### ')[0] ?? '';
    const rows = targets.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| figure') && !line.startsWith('| ---')).map((line) => line.trim().slice(2, -2).split(' | '));
    const judged = rows.filter((cells) => !cells[1]?.startsWith('reported'));
    expect(judged.length).toBeGreaterThanOrEqual(6);
    for (const cells of judged) expect(['PASS', 'FAIL']).toContain(cells[cells.length - 1]);
    for (const cells of rows.filter((each) => each[1]?.startsWith('reported'))) expect(cells[cells.length - 1]).toBe('');
  });
});
