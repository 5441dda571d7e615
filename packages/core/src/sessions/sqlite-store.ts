import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LruCache } from './lru-cache';
import { requireDriver } from './require-driver';
import { decodeRecord, encodeRecord, type SessionRecord, type SessionStore } from './session-store';
import { WalStamp } from './wal-stamp';

/** Sessions whose stored JSON one process keeps between requests (least recently used forgotten first). */
export const SQLITE_READ_CACHE_SIZE = 10_000;

// The slice of better-sqlite3's API this store uses (the package is an optional peer, so its types are not required).
interface Statement {
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}
interface Database {
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  close(): unknown;
}
type DatabaseConstructor = new (file: string) => Database;

/**
 * Sessions in the app's SQLite file (`./data/serv.db` by default, shared with other stores of the app) in the
 * `serv_sessions` table, in WAL mode so that several processes on one machine share it; they survive a restart.
 *
 * Reads are kept in memory while nobody commits: before each read the WAL-index header says whether any process
 * committed anything since the last look (a {@link WalStamp}); if so, everything kept is dropped and the row is read
 * again. A logout, a change or a regenerate() on another worker is therefore seen by the very next request here, and
 * expiry is checked against the kept `expires_at`. Without a readable WAL index nothing is kept.
 */
export class SqliteSessionStore implements SessionStore {
  private db: Database | undefined;
  private statements: { get: Statement; set: Statement; del: Statement; prune: Statement } | undefined;
  private writes = 0;
  private stamp: WalStamp | undefined;
  private readonly kept = new LruCache<string, { json: string; expiresAt: number }>(SQLITE_READ_CACHE_SIZE);

  constructor(
    private readonly file: string,
    /** The setting that chose this store, named when the driver is missing. */
    private readonly setting: string,
  ) {
    // Fail at startup, not at the first request, when the driver is missing.
    requireDriver<DatabaseConstructor>('better-sqlite3', 'better-sqlite3@12', setting);
  }

  async open(): Promise<void> {
    const Driver = requireDriver<DatabaseConstructor>('better-sqlite3', 'better-sqlite3@12', this.setting);
    mkdirSync(dirname(this.file), { recursive: true });
    const db = new Driver(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec('CREATE TABLE IF NOT EXISTS serv_sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at INTEGER NOT NULL)');
    this.db = db;
    this.statements = {
      get: db.prepare('SELECT data, expires_at FROM serv_sessions WHERE id = ? AND expires_at > ?'),
      set: db.prepare('INSERT INTO serv_sessions (id, data, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at'),
      del: db.prepare('DELETE FROM serv_sessions WHERE id = ?'),
      prune: db.prepare('DELETE FROM serv_sessions WHERE expires_at <= ?'),
    };
    this.statements.prune.run(Date.now());
    this.stamp = WalStamp.open(this.file);
  }

  get(id: string): SessionRecord | undefined {
    const statements = this.ready();
    const now = Date.now();
    // The stamp is read before the row: a commit landing in between makes the next look drop this read again.
    if (this.stamp === undefined || !this.stamp.unchangedThisTurn()) this.kept.clear();
    else {
      const kept = this.kept.get(id);
      if (kept !== undefined) return kept.expiresAt > now ? decodeRecord(kept.json, kept.expiresAt) : undefined;
    }
    const row = statements.get.get(id, now) as { data: string; expires_at: number } | undefined;
    if (row === undefined) return undefined;
    if (this.stamp !== undefined) this.kept.set(id, { json: row.data, expiresAt: row.expires_at });
    return decodeRecord(row.data, row.expires_at);
  }

  async set(id: string, record: SessionRecord): Promise<void> {
    const statements = this.ready();
    this.kept.delete(id);
    statements.set.run(id, encodeRecord(record), record.expiresAt);
    if (++this.writes % 1000 === 0) statements.prune.run(Date.now());
  }

  async delete(id: string): Promise<void> {
    const statements = this.ready();
    this.kept.delete(id);
    statements.del.run(id);
  }

  async close(): Promise<void> {
    this.stamp?.close();
    this.stamp = undefined;
    this.kept.clear();
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
  }

  private ready(): NonNullable<SqliteSessionStore['statements']> {
    if (this.statements === undefined) throw new Error(`The session store ${this.file} is not open (the app has not started or has closed)`);
    return this.statements;
  }
}
