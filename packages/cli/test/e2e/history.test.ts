import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { deleteKeys, REDIS_URL, redisAvailable, uniquePrefix } from '../../../websocket/test/helpers/redis';
import { dropTables, POSTGRES_URL, postgresAvailable, uniqueTablePrefix } from '../../../websocket/test/helpers/stores';
import { cacheEnv } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, ServProcess } from '../helpers/serv-process';
import { connectTestWebSocket, type TestWebSocket } from '@serv/websocket';

jest.setTimeout(120_000);

// The history chat the in-process tests use, launched here as a user's extension.
const CHAT_SOURCE = readFileSync(resolve(__dirname, '../../../websocket/test/history/fixtures/history-chat.ts'), 'utf8');
const CLIENT = resolve(__dirname, '../../../websocket/dist/client/serv-client.mjs');

const EXTENSION_YAML = `name: history
version: 1.0.0
routers:
  - name: history
    routes:
      - handler: main:HistoryChat
        websocket: true
      - handler: main:HistoryApi
      - handler: main:HistoryPage
      - handler: main:ClientModule
`;

function writeProject(dir: string, settings = ''): void {
  mkdirSync(join(dir, 'extensions', 'history'), { recursive: true });
  writeFileSync(join(dir, 'serv.config.yaml'), `extensions: [history]\nsettings:\n  heartbeat_interval_ms: 0\n${settings}`);
  writeFileSync(join(dir, 'extensions', 'history', 'extension.yaml'), EXTENSION_YAML);
  writeFileSync(join(dir, 'extensions', 'history', 'main.ts'), CHAT_SOURCE);
}

/** One HTTP request without keep-alive; resolves with status and parsed JSON body. */
function http<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: T }> {
  return new Promise((done, fail) => {
    const req = request(url, { method, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, json: (text === '' ? null : JSON.parse(text)) as T }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface Ack {
  offset: number;
  epoch: string;
}
interface Stored {
  offset: number;
  data: { n: number; pad: string };
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A Node process running @serv/websocket/client against `wsUrl`, printing each offset and state change. */
class NodeClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly offsets: number[] = [];
  readonly states: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<void>;

  constructor(wsUrl: string) {
    const script = `
      const { connect } = await import(${JSON.stringify(pathToFileURL(CLIENT).href)});
      const c = connect(${JSON.stringify(wsUrl)}, { minDelayMs: 50, maxDelayMs: 500, onState: (s) => console.log('state ' + s) });
      process.stdin.on('end', () => c.close());
      process.stdin.resume();
      for await (const text of c) {
        const m = JSON.parse(text);
        if (typeof m.offset === 'number') console.log('offset ' + m.offset);
      }`;
    this.child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let buffer = '';
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('offset ')) this.offsets.push(Number(line.slice(7)));
        if (line.startsWith('state ')) this.states.push(line.slice(6));
      }
      for (const waiter of [...this.waiters]) waiter();
    });
    this.exited = new Promise((done) => this.child.on('close', () => done()));
  }

  /** Resolves once `check()` holds (checked on every line the client prints). */
  until(check: () => boolean): Promise<void> {
    return new Promise((done) => {
      const waiter = (): void => {
        if (!check()) return;
        this.waiters.delete(waiter);
        done();
      };
      this.waiters.add(waiter);
      waiter();
    });
  }

  /** Ends the client (stdin closed → `close()`) and waits for the process to exit. */
  stop(): Promise<void> {
    this.child.stdin.end();
    return this.exited;
  }
}

/**
 * Two publishers (`pub:` from the first socket of each list) send `total / 2` messages each at once; resolves with
 * what every member of both lists received, as `offset:text`, in arrival order.
 */
async function publishFromBoth(x: TestWebSocket[], y: TestWebSocket[], total: number): Promise<string[][]> {
  const members = [...x, ...y];
  const seen = members.map(() => [] as string[]);
  const reading = members.map(async (ws, i) => {
    while ((seen[i] as string[]).length < total) {
      const { offset, data } = await ws.receiveJson<{ offset: number; data: { text: string } }>();
      (seen[i] as string[]).push(`${offset}:${data.text}`);
    }
  });
  await Promise.all(
    [x[0], y[0]].map(async (publisher, p) => {
      for (let i = 0; i < total / 2; i += 1) await (publisher as TestWebSocket).send(`pub:${p}-${i}`);
    }),
  );
  await Promise.all(reading);
  return seen;
}

describe('message history under serv launch', () => {
  let dir: string;
  const servers: ServProcess[] = [];
  const sockets: TestWebSocket[] = [];

  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = makeTempDir('serv-history-');
  });
  afterEach(async () => {
    for (const ws of sockets.splice(0)) await ws.close().catch(() => undefined);
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    removeTempDir(dir);
  });

  function launch(args: string[] = [], env: Record<string, string> = {}): ServProcess {
    const server = new ServProcess(['launch', ...args], { cwd: dir, env: { ...cacheEnv(dir), ...env } });
    servers.push(server);
    return server;
  }

  it('keeps every acknowledged message through kill -9 of the server (SQLite), nothing half-written', async () => {
    writeProject(dir);
    const first = launch(['--port', '0']);
    const { url, port } = await first.listening();
    const acked: number[] = [];
    const sent = new Map<number, string>();
    let n = 0;
    let killed = false;
    // 8 publishers at once through HTTP; the server is killed while they are mid-stream.
    const publishers = range(1, 8).map(async () => {
      while (!killed) {
        n += 1;
        const body = { n, pad: 'x'.repeat(n % 500) };
        sent.set(n, JSON.stringify(body));
        try {
          const { status, json } = await http<Ack>('POST', `${url}/history/durable`, body);
          if (status === 200) acked.push(json.offset);
        } catch {
          return; // the connection died with the server: not acknowledged
        }
        if (acked.length >= 400 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(publishers);
    await first.exited;
    expect(acked.length).toBeGreaterThanOrEqual(400);

    const again = launch(['--port', String(port)]);
    await again.listening();
    const { json: stored } = await http<Stored[]>('GET', `${url}/history/durable`);
    const offsets = stored.map((m) => m.offset);
    expect(offsets).toEqual(range(1, offsets.length)); // no hole: a batch is all or nothing
    for (const offset of acked) expect(offsets).toContain(offset);
    for (const m of stored) expect(JSON.stringify(m.data)).toBe(sent.get(m.data.n)); // each row whole
    expect(new Set(stored.map((m) => m.data.n)).size).toBe(stored.length);
  });

  it('reconnects the Node client across a server restart and it misses nothing', async () => {
    writeProject(dir);
    const first = launch(['--port', '0']);
    const { url, port } = await first.listening();
    const client = new NodeClient(`ws://127.0.0.1:${port}/history/resume`);
    try {
      await client.until(() => client.states.includes('open'));
      for (const i of range(1, 20)) await http('POST', `${url}/history/resume`, { i });
      await client.until(() => client.offsets.length >= 20);
      await first.stop('SIGKILL');
      await client.until(() => client.states.includes('reconnecting'));
      const second = launch(['--port', String(port)]);
      await second.listening();
      // Published before the client is back: it gets them by resuming from offset 20.
      for (const i of range(21, 40)) await http('POST', `${url}/history/resume`, { i });
      await client.until(() => client.offsets.length >= 40);
      for (const i of range(41, 45)) await http('POST', `${url}/history/resume`, { i });
      await client.until(() => client.offsets.length >= 45);
      expect(client.offsets).toEqual(range(1, 45));
      expect(client.states.filter((s) => s === 'open').length).toBeGreaterThanOrEqual(2);
    } finally {
      await client.stop();
    }
  });

  it('reconnects the client in headless Chromium across a server restart and it misses nothing', async () => {
    writeProject(dir);
    const env = { HISTORY_CLIENT_PATH: CLIENT };
    const first = launch(['--port', '0'], env);
    const { url, port } = await first.listening();
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/page/browser`);
      await page.waitForFunction(() => (window as unknown as { states: string[] }).states?.includes('open'));
      for (const i of range(1, 10)) await http('POST', `${url}/history/browser`, { i });
      await page.waitForFunction(() => (window as unknown as { offsets: number[] }).offsets.length >= 10);
      await first.stop('SIGKILL');
      await page.waitForFunction(() => (window as unknown as { states: string[] }).states.includes('reconnecting'));
      const second = launch(['--port', String(port)], env);
      await second.listening();
      for (const i of range(11, 30)) await http('POST', `${url}/history/browser`, { i });
      await page.waitForFunction(() => (window as unknown as { offsets: number[] }).offsets.length >= 30);
      expect(await page.evaluate(() => (window as unknown as { offsets: number[] }).offsets)).toEqual(range(1, 30));
    } finally {
      await browser.close();
    }
  });

  it('numbers one room from two --workers sharing the SQLite file: strictly increasing, one order for every member', async () => {
    writeProject(dir);
    const { port } = await launch(['--port', '0', '--workers', '2']).listening();
    const byInstance = new Map<string, TestWebSocket[]>();
    // The primary hands connections to workers in turn; keep joining until both workers have two members.
    for (let i = 0; i < 40 && !(byInstance.size === 2 && [...byInstance.values()].every((l) => l.length >= 2)); i += 1) {
      const ws = await connectTestWebSocket(`ws://127.0.0.1:${port}/history/workers`);
      sockets.push(ws);
      const { instance } = await ws.receiveJson<{ instance: string }>();
      byInstance.set(instance, [...(byInstance.get(instance) ?? []), ws]);
    }
    const [x, y] = [...byInstance.values()] as [TestWebSocket[], TestWebSocket[]];
    expect(byInstance.size).toBe(2);
    const total = 600;
    const seen = await publishFromBoth(x, y, total);
    expect((seen[0] as string[]).map((s) => Number(s.split(':')[0]))).toEqual(range(1, total));
    for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
  });

  const describeShared = redisAvailable('history with Redis and PostgreSQL') && postgresAvailable('history with Redis and PostgreSQL') ? describe : describe.skip;

  describeShared('two instances, the Redis broker and the PostgreSQL store', () => {
    const prefix = uniquePrefix('history');
    const tables = uniqueTablePrefix('history');
    afterAll(async () => {
      await deleteKeys(prefix);
      await dropTables(tables);
    });

    it('publishing into one room concurrently: offsets strictly increasing, no duplicate, one order for every member', async () => {
      writeProject(dir, `  broker: { kind: redis, url: "${REDIS_URL}", prefix: "${prefix}" }\n  store: { kind: postgres, url: "${POSTGRES_URL}", prefix: "${tables}" }\n`);
      const [a, b] = await Promise.all([launch(['--port', '0']).listening(), launch(['--port', '0']).listening()]);
      const members: TestWebSocket[] = [];
      for (const port of [a.port, a.port, b.port, b.port]) {
        const ws = await connectTestWebSocket(`ws://127.0.0.1:${port}/history/shared`);
        sockets.push(ws);
        expect(await ws.receiveJson()).toMatchObject({ joined: 'shared' });
        members.push(ws);
      }
      const total = 1000;
      const seen = await publishFromBoth(members.slice(0, 2), members.slice(2), total);
      expect((seen[0] as string[]).map((s) => Number(s.split(':')[0]))).toEqual(range(1, total));
      for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
      const { json: stored } = await http<Array<{ offset: number; data: { text: string } }>>('GET', `${b.url}/history/shared`);
      expect(stored.map((m) => `${m.offset}:${m.data.text}`)).toEqual(seen[0]);
    });
  });
});
