import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomId } from '../rooms/envelope';
import { RoomsError } from '../rooms/rooms-error';
import { loadDriver } from './load-driver';
import type { AppendRequest, AppendResult, MessageStore, Retention, StoredMessage, StreamPosition } from './message-store';

/** The part of better-sqlite3 this store uses (structural: the package is an optional peer). */
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  pragma(source: string, options?: { simple: boolean }): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): unknown;
}
type Statements = Record<'stream' | 'newStream' | 'setLast' | 'insert' | 'trim' | 'sweep' | 'read' | 'first', Statement>;
type DatabaseConstructor = new (path: string, options?: { fileMustExist?: boolean; timeout?: number }) => Database;

// serv_streams: one row per room (its epoch and last offset); serv_messages: the retained messages.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS serv_streams (room TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS serv_messages (room TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS serv_messages_at ON serv_messages (at);`;

/** How long opening waits for other processes setting up the same new file (see `#setUp`). */
const SETUP_WAIT_MS = 10_000;

/** How often at most the TTL sweep (one indexed DELETE over every room) runs. */
const TTL_SWEEP_EVERY_MS = 10_000;

/**
 * History in one SQLite file (`store: { kind: sqlite, path }`, the default) through better-sqlite3: WAL journal and
 * `synchronous=NORMAL`, so a committed batch survives a process crash. Several processes (`--workers`) may share
 * the file: each batch is an IMMEDIATE transaction, so offsets come from one writer at a time. Nothing is created on
 * disk until the first append.
 */
export class SqliteStore implements MessageStore {
  readonly description: string;
  #Database: DatabaseConstructor | null = null;
  #db: Database | null = null;
  #statements: Statements | null = null;
  #writeBatch: ((batch: readonly AppendRequest[]) => AppendResult[]) | null = null;
  #lastSweep = 0;

  constructor(
    private readonly _path: string,
    private readonly _retention: Retention,
    /** Whether `settings.store` was left unset: then better-sqlite3 is needed only once history is used. */
    private readonly _implicit = false,
  ) {
    this.description = `sqlite ${_path}`;
  }

  start(): Promise<void> {
    // A store the config names must be usable at startup; the default one only once something is published, so an
    // app that never publishes needs no driver.
    if (!this._implicit) this.#Database = loadDriver<DatabaseConstructor>('better-sqlite3', 'sqlite');
    return Promise.resolve();
  }

  append(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    try {
      this.#open(true);
      return Promise.resolve((this.#writeBatch as (b: readonly AppendRequest[]) => AppendResult[])(batch));
    } catch (err) {
      return Promise.reject(this.#failure(err));
    }
  }

  read(room: string, after: number, before: number, limit: number): Promise<StoredMessage[]> {
    try {
      if (!this.#open(false)) return Promise.resolve([]);
      const since = Date.now() - this._retention.ttlMs;
      return Promise.resolve(this.#st().read.all(room, after, before, since, limit) as StoredMessage[]);
    } catch (err) {
      return Promise.reject(this.#failure(err));
    }
  }

  position(room: string): Promise<StreamPosition | null> {
    try {
      if (!this.#open(false)) return Promise.resolve(null);
      const stream = this.#st().stream.get(room) as { epoch: string; last_seq: number } | undefined;
      if (stream === undefined) return Promise.resolve(null);
      const since = Date.now() - this._retention.ttlMs;
      const first = (this.#st().first.get(room, since) as { first: number | null }).first;
      return Promise.resolve({ epoch: stream.epoch, last: stream.last_seq, first: first ?? stream.last_seq + 1 });
    } catch (err) {
      return Promise.reject(this.#failure(err));
    }
  }

  close(): Promise<void> {
    this.#db?.close();
    this.#db = null;
    this.#statements = null;
    return Promise.resolve();
  }

  #st(): Statements {
    return this.#statements as Statements;
  }

  /** Open the file (creating it and its folder only when `create`); false when it does not exist yet. */
  #open(create: boolean): boolean {
    if (this.#db !== null) return true;
    if (!create && !existsSync(this._path)) return false;
    this.#Database ??= loadDriver<DatabaseConstructor>('better-sqlite3', 'sqlite', true);
    mkdirSync(dirname(this._path), { recursive: true });
    const db = new this.#Database(this._path, { timeout: 10_000 });
    this.#setUp(db);
    const st: Statements = {
      stream: db.prepare('SELECT epoch, last_seq FROM serv_streams WHERE room = ?'),
      newStream: db.prepare('INSERT INTO serv_streams (room, epoch, last_seq) VALUES (?, ?, 0)'),
      setLast: db.prepare('UPDATE serv_streams SET last_seq = ? WHERE room = ?'),
      insert: db.prepare('INSERT INTO serv_messages (room, seq, at, data) VALUES (?, ?, ?, ?)'),
      trim: db.prepare('DELETE FROM serv_messages WHERE room = ? AND seq <= ?'),
      sweep: db.prepare('DELETE FROM serv_messages WHERE at < ?'),
      read: db.prepare('SELECT seq AS offset, at, data FROM serv_messages WHERE room = ? AND seq > ? AND seq < ? AND at >= ? ORDER BY seq LIMIT ?'),
      first: db.prepare('SELECT min(seq) AS first FROM serv_messages WHERE room = ? AND at >= ?'),
    };
    const max = this._retention.maxPerRoom;
    const write = db.transaction((batch: readonly AppendRequest[]): AppendResult[] => {
      // Each room's row is read once per batch; its offsets are handed out in request order.
      const rooms = new Map<string, { epoch: string; last: number }>();
      const results = batch.map((request) => {
        let stream = rooms.get(request.room);
        if (stream === undefined) {
          const row = st.stream.get(request.room) as { epoch: string; last_seq: number } | undefined;
          stream = row === undefined ? { epoch: randomId(), last: 0 } : { epoch: row.epoch, last: row.last_seq };
          if (row === undefined) st.newStream.run(request.room, stream.epoch);
          rooms.set(request.room, stream);
        }
        stream.last += 1;
        st.insert.run(request.room, stream.last, request.at, request.data);
        return { offset: stream.last, epoch: stream.epoch };
      });
      for (const [room, stream] of rooms) {
        st.setLast.run(stream.last, room);
        if (stream.last > max) st.trim.run(room, stream.last - max);
      }
      const now = Date.now();
      if (now - this.#lastSweep >= TTL_SWEEP_EVERY_MS) {
        this.#lastSweep = now;
        st.sweep.run(now - this._retention.ttlMs);
      }
      return results;
    });
    this.#db = db;
    this.#statements = st;
    this.#writeBatch = (batch) => write.immediate(batch);
    return true;
  }

  /**
   * WAL mode and the tables. Until a new file is in WAL mode it uses a rollback journal, where SQLite answers
   * SQLITE_BUSY at once (without waiting) to avoid a deadlock between processes creating it together (`--workers`
   * publishing their first message at the same moment): then this waits a moment and tries again, for a bounded time.
   */
  #setUp(db: Database): void {
    const deadline = Date.now() + SETUP_WAIT_MS;
    for (;;) {
      try {
        if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw Object.assign(new Error('journal_mode is not wal yet'), { code: 'SQLITE_BUSY' });
        db.pragma('synchronous = NORMAL');
        db.exec(SCHEMA);
        return;
      } catch (err) {
        if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') !== true || Date.now() > deadline) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
      }
    }
  }

  #failure(err: unknown): RoomsError {
    if (err instanceof RoomsError) return err;
    return new RoomsError('SERV_ROOMS_STORE_DOWN', `message store ${this.description}: ${(err as Error).message}`, { cause: err });
  }
}
