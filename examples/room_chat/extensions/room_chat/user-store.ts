import { App, Injectable } from '@serv/core';
import type { StoreSettings } from '@serv/websocket';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A user as the app stores it. */
export interface UserRecord {
  id: number;
  name: string;
  passwordHash: string;
}

/** What the two storage engines do for the users table. */
interface UserTable {
  byName(name: string): Promise<UserRecord | undefined>;
  /** Inserts; resolves undefined when the name is taken. */
  insert(name: string, passwordHash: string): Promise<UserRecord | undefined>;
  /** Records that `room` has history (idempotent). */
  addRoom(room: string): Promise<void>;
  /** Every room ever recorded. */
  roomNames(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The app's users (and the names of rooms that have history), kept next to the chat history: in the SQLite file of
 * `settings.store` (dev shape) or in its PostgreSQL database as `<prefix>users` and `<prefix>rooms` (production
 * shape). Opened on first use.
 */
@Injectable()
export class UserStore {
  #table: Promise<UserTable> | undefined;
  readonly #known = new Set<string>();

  constructor(private readonly app: App) {
    app.on('app.shutdown', () => this.#table?.then((t) => t.close()));
  }

  /** The user called `name` (names are case-sensitive), or undefined. */
  async byName(name: string): Promise<UserRecord | undefined> {
    return (await this.#open()).byName(name);
  }

  /** Adds a user; undefined when the name is taken. */
  async insert(name: string, passwordHash: string): Promise<UserRecord | undefined> {
    return (await this.#open()).insert(name, passwordHash);
  }

  /** Records that `room` has history, once per room per process. */
  async addRoom(room: string): Promise<void> {
    if (this.#known.has(room)) return;
    await (await this.#open()).addRoom(room);
    this.#known.add(room);
  }

  /** Every room that was ever published to. */
  async roomNames(): Promise<string[]> {
    return (await this.#open()).roomNames();
  }

  #open(): Promise<UserTable> {
    this.#table ??= openTable((this.app.settings as unknown as { store: StoreSettings }).store).catch((err: unknown) => {
      this.#table = undefined; // the next request tries again (PostgreSQL may be back)
      throw err;
    });
    return this.#table;
  }
}

async function openTable(store: StoreSettings): Promise<UserTable> {
  if (store.kind === 'sqlite') return sqliteTable(store.path);
  if (store.kind === 'postgres') return postgresTable(store.url, store.prefix);
  return memoryTable();
}

function sqliteTable(file: string): UserTable {
  mkdirSync(dirname(file), { recursive: true });
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS room_chat_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS room_chat_rooms (name TEXT PRIMARY KEY)');
  const addRoom = db.prepare('INSERT INTO room_chat_rooms (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const roomNames = db.prepare('SELECT name FROM room_chat_rooms ORDER BY name');
  const byName = db.prepare('SELECT id, name, password_hash AS passwordHash FROM room_chat_users WHERE name = ?');
  const insert = db.prepare('INSERT INTO room_chat_users (name, password_hash) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
  return {
    byName: async (name) => byName.get(name) as UserRecord | undefined,
    insert: async (name, passwordHash) => {
      const result = insert.run(name, passwordHash);
      return result.changes === 0 ? undefined : { id: Number(result.lastInsertRowid), name, passwordHash };
    },
    addRoom: async (room) => void addRoom.run(room),
    roomNames: async () => (roomNames.all() as Array<{ name: string }>).map((r) => r.name),
    close: async () => void db.close(),
  };
}

async function postgresTable(url: string, prefix: string): Promise<UserTable> {
  const table = `${prefix}users`;
  const roomTable = `${prefix}rooms`;
  const { Pool } = require('pg') as typeof import('pg');
  const pool = new Pool({ connectionString: url, max: 4 });
  // Instances starting together race on CREATE TABLE IF NOT EXISTS; an advisory lock makes them take turns.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [table]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL)`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${roomTable} (name TEXT PRIMARY KEY)`);
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [table]);
  } finally {
    client.release();
  }
  return {
    byName: async (name) => (await pool.query<UserRecord>(`SELECT id, name, password_hash AS "passwordHash" FROM ${table} WHERE name = $1`, [name])).rows[0],
    insert: async (name, passwordHash) => {
      const result = await pool.query<{ id: number }>(
        `INSERT INTO ${table} (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id`,
        [name, passwordHash],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : { id: row.id, name, passwordHash };
    },
    addRoom: async (room) => void (await pool.query(`INSERT INTO ${roomTable} (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [room])),
    roomNames: async () => (await pool.query<{ name: string }>(`SELECT name FROM ${roomTable} ORDER BY name`)).rows.map((r) => r.name),
    close: () => pool.end(),
  };
}

function memoryTable(): UserTable {
  const users = new Map<string, UserRecord>();
  const rooms = new Set<string>();
  return {
    byName: async (name) => users.get(name),
    insert: async (name, passwordHash) => {
      if (users.has(name)) return undefined;
      const user = { id: users.size + 1, name, passwordHash };
      users.set(name, user);
      return user;
    },
    addRoom: async (room) => void rooms.add(room),
    roomNames: async () => [...rooms].sort(),
    close: async () => undefined,
  };
}
