/**
 * The measuring side of the history benchmark, in one process: persisted `rooms.publish()` throughput against the
 * bare driver inserting the same rows in the same batch sizes (better-sqlite3 with the same pragmas and schema; pg
 * with one multi-row INSERT per batch), interleaved rounds; then the time a WebSocket client that reconnects with
 * `?after=` takes to receive 1 000 missed messages. Options come as JSON in BENCH_HISTORY; prints one JSON line.
 * Run through the CLI's TypeScript loader: `node -r packages/cli/dist/register.js scripts/bench/servers/history-bench.ts`.
 */
import 'reflect-metadata';
import { createApp, Inject, Logger, type App, type ServSettings } from '@serv/core';
import { connectTestWebSocket, Rooms, WebSocket, WebSocketRoute } from '@serv/websocket';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Options {
  count: number;
  batch: number;
  rounds: number;
  postgresUrl: string | null;
}
const options = JSON.parse(process.env.BENCH_HISTORY ?? '{}') as Options;
const PAYLOAD = JSON.stringify({ user: 'bench', text: 'x'.repeat(40) });

/** A resuming member: `?after=N` replays what it missed. */
@WebSocketRoute('/history/{room}', { rateLimitMessages: 0, maxBufferedBytes: 64 * 1024 * 1024 })
export class Resume {
  constructor(private readonly rooms: Rooms) {}
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.accept();
    await this.rooms.join(ws.params.room as string, ws, { after: Number(ws.query.after ?? 0) });
    for await (const _ of ws);
  }
}

async function servApp(store: ServSettings['store'], historyMaxPerRoom = 1_000_000): Promise<{ app: App; rooms: Rooms }> {
  const app = createApp({ routes: [Resume], logger: new Logger('bench', 'silent'), settings: { heartbeatIntervalMs: 0, store, historyMaxPerRoom } });
  await app.start();
  return { app, rooms: app.container.resolve(Rooms) };
}

/** Messages/s of `rooms.publish()`: `batch` publishes per event-loop turn, awaited together. */
async function servPublish(rooms: Rooms, room: string): Promise<number> {
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < options.count; sent += options.batch) {
    const acks: Array<Promise<unknown>> = [];
    for (let i = 0; i < options.batch; i += 1) acks.push(rooms.publish(room, JSON.parse(PAYLOAD) as unknown));
    await Promise.all(acks);
  }
  return options.count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Messages/s of better-sqlite3 by itself: the same rows, schema and pragmas, one transaction per batch. */
function sqliteBaseline(path: string, room: string): number {
  const Database = require('better-sqlite3') as new (p: string) => {
    pragma(s: string): unknown; exec(s: string): unknown; close(): unknown;
    prepare(s: string): { run(...a: unknown[]): unknown };
    transaction<A extends unknown[]>(fn: (...a: A) => void): { immediate(...a: A): void };
  };
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS m (room TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID; CREATE INDEX IF NOT EXISTS m_at ON m (at)');
  const insert = db.prepare('INSERT INTO m (room, seq, at, data) VALUES (?, ?, ?, ?)');
  let seq = 0;
  const write = db.transaction((n: number) => {
    for (let i = 0; i < n; i += 1) insert.run(room, ++seq, Date.now(), JSON.stringify(JSON.parse(PAYLOAD)));
  });
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < options.count; sent += options.batch) write.immediate(options.batch);
  const rate = options.count / (Number(process.hrtime.bigint() - started) / 1e9);
  db.close();
  return rate;
}

/** Messages/s of pg by itself: one multi-row INSERT (unnest) per batch, awaited before the next. */
async function postgresBaseline(table: string, room: string): Promise<number> {
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: options.postgresUrl as string });
  await client.connect();
  await client.query(`CREATE TABLE ${table} (room text NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, data text NOT NULL, PRIMARY KEY (room, seq))`);
  let seq = 0;
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < options.count; sent += options.batch) {
    const seqs = Array.from({ length: options.batch }, () => ++seq);
    const ats = seqs.map(() => Date.now());
    const data = seqs.map(() => JSON.stringify(JSON.parse(PAYLOAD)));
    await client.query(`INSERT INTO ${table} (room, seq, at, data) SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[])`, [room, seqs, ats, data]);
  }
  const rate = options.count / (Number(process.hrtime.bigint() - started) / 1e9);
  await client.query(`DROP TABLE ${table}`);
  await client.end();
  return rate;
}

/** Milliseconds from connecting with `?after=0` to the 1 000th replayed message. */
async function recovery(app: App, rooms: Rooms): Promise<number> {
  const room = `recover-${randomBytes(3).toString('hex')}`;
  for (let i = 0; i < 10; i += 1) await Promise.all(Array.from({ length: 100 }, () => rooms.publish(room, { text: 'missed' })));
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  const started = process.hrtime.bigint();
  const ws = await connectTestWebSocket(`ws://127.0.0.1:${port}/history/${room}?after=0`);
  for (let i = 0; i < 1000; i += 1) await ws.receive();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await ws.close();
  return ms;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'serv-bench-history-'));
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const result: Record<string, number[] | number | string> = { sqliteServ: [], sqliteBare: [], sqliteTrimmed: [], postgresServ: [], postgresBare: [] };
  try {
    const sqlite = await servApp({ kind: 'sqlite', path: join(dir, 'serv.db') });
    // The default retention (1 000 per room): every write past it also deletes one row, which the driver alone does not.
    const trimmed = await servApp({ kind: 'sqlite', path: join(dir, 'trimmed.db') }, 1000);
    const postgres = options.postgresUrl === null ? null : await servApp({ kind: 'postgres', url: options.postgresUrl, prefix: `servbench_${tag}_` });
    // One unmeasured round first: JIT, page cache and the first transactions of a new file are not the steady state.
    sqliteBaseline(join(dir, 'warm.db'), 'warm');
    await servPublish(sqlite.rooms, 'warm');
    for (let round = 0; round < options.rounds; round += 1) {
      // Alternating which goes first, so that neither always inherits the other's garbage and dirty pages.
      const sqliteSteps = [
        async () => (result.sqliteBare as number[]).push(sqliteBaseline(join(dir, 'bare.db'), `r${round}`)),
        async () => (result.sqliteServ as number[]).push(await servPublish(sqlite.rooms, `r${round}`)),
      ];
      for (const step of round % 2 === 0 ? sqliteSteps : sqliteSteps.reverse()) await step();
      (result.sqliteTrimmed as number[]).push(await servPublish(trimmed.rooms, `r${round}`));
      if (postgres !== null) {
        const pgSteps = [
          async () => (result.postgresBare as number[]).push(await postgresBaseline(`servbench_bare_${tag}_${round}`, `r${round}`)),
          async () => (result.postgresServ as number[]).push(await servPublish(postgres.rooms, `r${round}`)),
        ];
        for (const step of round % 2 === 0 ? pgSteps : pgSteps.reverse()) await step();
      }
    }
    result.recoveryMs = await recovery(sqlite.app, sqlite.rooms);
    await sqlite.app.close();
    await trimmed.app.close();
    if (postgres !== null) {
      await postgres.app.close();
      const { Client } = require('pg') as typeof import('pg');
      const client = new Client({ connectionString: options.postgresUrl as string });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS servbench_${tag}_messages, servbench_${tag}_streams`);
      await client.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
