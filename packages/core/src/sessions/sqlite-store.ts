import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { requireDriver } from './require-driver';
import { decodeRecord, encodeRecord, type SessionRecord, type SessionStore } from './session-store';

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
 */
export class SqliteSessionStore implements SessionStore {
  private db: Database | undefined;
  private statements: { get: Statement; set: Statement; del: Statement; prune: Statement } | undefined;
  private writes = 0;

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
  }

  get(id: string): SessionRecord | undefined {
    const row = this.ready().get.get(id, Date.now()) as { data: string; expires_at: number } | undefined;
    return row === undefined ? undefined : decodeRecord(row.data, row.expires_at);
  }

  async set(id: string, record: SessionRecord): Promise<void> {
    const statements = this.ready();
    statements.set.run(id, encodeRecord(record), record.expiresAt);
    if (++this.writes % 1000 === 0) statements.prune.run(Date.now());
  }

  async delete(id: string): Promise<void> {
    this.ready().del.run(id);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
  }

  private ready(): NonNullable<SqliteSessionStore['statements']> {
    if (this.statements === undefined) throw new Error(`The session store ${this.file} is not open (the app has not started or has closed)`);
    return this.statements;
  }
}
