import { redactUrl } from '../brokers/redis-client';
import { randomId } from '../rooms/envelope';
import { RoomsError } from '../rooms/rooms-error';
import { loadDriver } from './load-driver';
import type { AppendRequest, AppendResult, MessageStore, Retention, StoredMessage, StreamPosition } from './message-store';

/** The part of pg's Pool this store uses (structural: `pg` is an optional peer). */
interface Pool {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}
type PoolConstructor = new (options: { connectionString: string; max: number; connectionTimeoutMillis: number }) => Pool;

/** How often at most the TTL sweep (one indexed DELETE over every room) runs. */
const TTL_SWEEP_EVERY_MS = 10_000;

/**
 * History in PostgreSQL (`store: { kind: postgres, url, prefix }`) through `pg`, for several instances sharing one
 * history. Each room's next offsets come from its row in `<prefix>streams`, incremented in the same statement that
 * inserts the messages: the row lock orders writers, so offsets are unique and strictly increasing across
 * instances. Tables are created on first use, under an advisory lock (idempotent).
 */
export class PostgresStore implements MessageStore {
  readonly description: string;
  #pool: Pool | null = null;
  #migrated: Promise<void> | null = null;
  #lastSweep = 0;
  readonly #streams: string;
  readonly #messages: string;

  constructor(
    private readonly _url: string,
    private readonly _prefix: string,
    private readonly _retention: Retention,
  ) {
    this.description = `postgres ${redactUrl(_url)}`;
    this.#streams = `${_prefix}streams`;
    this.#messages = `${_prefix}messages`;
  }

  async start(): Promise<void> {
    const { Pool } = loadDriver<{ Pool: PoolConstructor }>('pg', 'postgres');
    const pool = new Pool({ connectionString: this._url, max: 4, connectionTimeoutMillis: 5000 });
    // An idle client losing its server is reported here; the next query gets a fresh one.
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new RoomsError(
        'SERV_ROOMS_STORE',
        `settings.store.url: cannot connect to PostgreSQL at ${redactUrl(this._url)} (${(err as Error).message}); start PostgreSQL there or point the URL at it`,
        { cause: err },
      );
    }
    this.#pool = pool;
  }

  ping(): Promise<boolean> {
    const pool = this.#pool;
    if (pool === null) return Promise.resolve(false);
    return pool.query('SELECT 1').then(() => true, () => false);
  }

  async append(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    await this.#migrate();
    const byRoom = new Map<string, number[]>();
    batch.forEach((request, i) => {
      const list = byRoom.get(request.room);
      if (list === undefined) byRoom.set(request.room, [i]);
      else list.push(i);
    });
    const results: AppendResult[] = new Array(batch.length);
    const max = this._retention.maxPerRoom;
    // One statement per room: bump the stream row (locked until commit), insert the rows, trim past the limit.
    const sql = `
      WITH s AS (
        INSERT INTO ${this.#streams} AS t (room, epoch, last_seq) VALUES ($1, $2, $3)
        ON CONFLICT (room) DO UPDATE SET last_seq = t.last_seq + EXCLUDED.last_seq
        RETURNING epoch, last_seq),
      i AS (
        INSERT INTO ${this.#messages} (room, seq, at, data)
        SELECT $1, s.last_seq - $3 + u.ord, u.at, u.data
        FROM s, unnest($4::bigint[], $5::text[]) WITH ORDINALITY AS u(at, data, ord)),
      d AS (DELETE FROM ${this.#messages} WHERE room = $1 AND seq <= (SELECT last_seq FROM s) - $6)
      SELECT epoch, last_seq FROM s`;
    try {
      for (const [room, indexes] of byRoom) {
        const ats = indexes.map((i) => (batch[i] as AppendRequest).at);
        const data = indexes.map((i) => (batch[i] as AppendRequest).data);
        const { rows } = await this.#db().query<{ epoch: string; last_seq: string }>(sql, [room, randomId(), indexes.length, ats, data, max]);
        const row = rows[0] as { epoch: string; last_seq: string };
        const first = Number(row.last_seq) - indexes.length + 1;
        indexes.forEach((i, k) => (results[i] = { offset: first + k, epoch: row.epoch }));
      }
      const now = Date.now();
      if (now - this.#lastSweep >= TTL_SWEEP_EVERY_MS) {
        this.#lastSweep = now;
        await this.#db().query(`DELETE FROM ${this.#messages} WHERE at < $1`, [now - this._retention.ttlMs]);
      }
    } catch (err) {
      throw this.#failure(err);
    }
    return results;
  }

  async read(room: string, after: number, before: number, limit: number): Promise<StoredMessage[]> {
    await this.#migrate();
    const { rows } = await this.#db()
      .query<{ offset: string; at: string; data: string }>(
        `SELECT seq AS "offset", at, data FROM ${this.#messages} WHERE room = $1 AND seq > $2 AND seq < $3 AND at >= $4 ORDER BY seq LIMIT $5`,
        [room, after, before, Date.now() - this._retention.ttlMs, limit],
      )
      .catch((err: unknown) => Promise.reject(this.#failure(err)));
    return rows.map((r) => ({ offset: Number(r.offset), at: Number(r.at), data: r.data }));
  }

  async position(room: string): Promise<StreamPosition | null> {
    await this.#migrate();
    const { rows } = await this.#db()
      .query<{ epoch: string; last_seq: string; first: string | null }>(
        `SELECT epoch, last_seq, (SELECT min(seq) FROM ${this.#messages} WHERE room = $1 AND at >= $2) AS first FROM ${this.#streams} WHERE room = $1`,
        [room, Date.now() - this._retention.ttlMs],
      )
      .catch((err: unknown) => Promise.reject(this.#failure(err)));
    const row = rows[0];
    if (row === undefined) return null;
    const last = Number(row.last_seq);
    return { epoch: row.epoch, last, first: row.first === null ? last + 1 : Number(row.first) };
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.end();
  }

  #db(): Pool {
    if (this.#pool === null) throw new RoomsError('SERV_ROOMS_STORE_DOWN', `message store ${this.description} is closed`);
    return this.#pool;
  }

  /** Create the tables once, under an advisory lock so that instances starting together do not race. */
  #migrate(): Promise<void> {
    this.#migrated ??= (async () => {
      const db = this.#db();
      await db.query(`
        BEGIN;
        SELECT pg_advisory_xact_lock(hashtext('serv-history:' || '${this._prefix}'));
        CREATE TABLE IF NOT EXISTS ${this.#streams} (room text PRIMARY KEY, epoch text NOT NULL, last_seq bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS ${this.#messages} (room text NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, data text NOT NULL, PRIMARY KEY (room, seq));
        CREATE INDEX IF NOT EXISTS ${this._prefix}messages_at ON ${this.#messages} (at);
        COMMIT;`);
    })().catch((err: unknown) => {
      this.#migrated = null;
      throw this.#failure(err);
    });
    return this.#migrated;
  }

  #failure(err: unknown): RoomsError {
    if (err instanceof RoomsError) return err;
    // The tables were dropped (a database reset): the next operation creates them again, every room with a new epoch.
    if ((err as { code?: string }).code === '42P01') this.#migrated = null;
    return new RoomsError('SERV_ROOMS_STORE_DOWN', `message store ${this.description}: ${(err as Error).message}`, { cause: err });
  }
}
