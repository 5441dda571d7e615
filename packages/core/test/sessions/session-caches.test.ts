import { createApp, createTestClient, Get, Inject, Logger, Post, Route, Session } from '@serv/core';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LruCache } from '../../src/sessions/lru-cache';
import { SqliteSessionStore } from '../../src/sessions/sqlite-store';
import { WalStamp } from '../../src/sessions/wal-stamp';
import { idOf, SECRET, sessionCookie, useTempDir } from './helpers';

const run = promisify(execFile);
const DRIVER = require.resolve('better-sqlite3');

/** Runs `sql` with `params` in another Node process (another worker, as far as SQLite knows) and waits for it. */
async function otherProcess(file: string, sql: string, ...params: unknown[]): Promise<void> {
  const script = `const D = require(${JSON.stringify(DRIVER)}); const db = new D(process.argv[1]); ` +
    'db.pragma("busy_timeout = 5000"); db.prepare(process.argv[2]).run(...JSON.parse(process.argv[3])); db.close();';
  await run(process.execPath, ['-e', script, file, sql, JSON.stringify(params)]);
}

describe('LruCache', () => {
  it('holds at most its limit, forgetting the least recently used entry first', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
    cache.set('a', 10); // overwriting refreshes too
    cache.set('d', 4);
    expect([cache.get('c'), cache.get('a'), cache.get('d')]).toEqual([undefined, 10, 4]);
    cache.delete('a');
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keeps the order right when the most recent key is read again and again (that read moves nothing)', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect([cache.get('b'), cache.get('b'), cache.get('a'), cache.get('a')]).toEqual([2, 2, 1, 1]);
    cache.set('c', 3); // b is the least recently used now
    expect([cache.get('b'), cache.get('a'), cache.get('c')]).toEqual([undefined, 1, 3]);
    cache.delete('c'); // the youngest goes: a read of a must move it again
    cache.set('d', 4);
    expect(cache.get('a')).toBe(1);
    cache.set('e', 5); // d is the least recently used
    expect([cache.get('d'), cache.get('a'), cache.get('e')]).toEqual([undefined, 1, 5]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow('LruCache limit must be a positive integer, got 0');
    expect(() => new LruCache(1.5)).toThrow('LruCache limit must be a positive integer, got 1.5');
  });
});

describe('the SQLite store keeps reads only while nobody commits', () => {
  let dir: string;
  let file: string;
  let store: SqliteSessionStore;
  const record = (name: string, expiresAt = Date.now() + 3_600_000) => ({ user: { name }, data: { n: 1 }, expiresAt });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serv-session-cache-'));
    file = join(dir, 'serv.db');
    store = new SqliteSessionStore(file, 'settings.sessions.store');
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a logout (row deleted) by another process on the very next read', async () => {
    await store.set('s1', record('ada'));
    expect(store.get('s1')?.user).toEqual({ name: 'ada' });
    expect(store.get('s1')?.user).toEqual({ name: 'ada' }); // served from memory
    await otherProcess(file, 'DELETE FROM serv_sessions WHERE id = ?', 's1');
    expect(store.get('s1')).toBeUndefined();
  });

  it('sees data changed by another process, and another session\'s change drops what was kept too', async () => {
    await store.set('s1', record('ada'));
    await store.set('s2', record('bob'));
    expect(store.get('s1')?.user).toEqual({ name: 'ada' });
    expect(store.get('s2')?.user).toEqual({ name: 'bob' });
    await otherProcess(file, 'UPDATE serv_sessions SET data = ? WHERE id = ?', JSON.stringify({ user: { name: 'eve' }, data: {} }), 's1');
    expect(store.get('s2')?.user).toEqual({ name: 'bob' });
    expect(store.get('s1')?.user).toEqual({ name: 'eve' });
  });

  it('expires a kept session at its expires_at without asking the database', async () => {
    await store.set('s1', record('ada', Date.now() + 60_000));
    expect(store.get('s1')?.user).toEqual({ name: 'ada' });
    const now = Date.now;
    Date.now = () => now() + 61_000;
    try {
      expect(store.get('s1')).toBeUndefined();
    } finally {
      Date.now = now;
    }
  });

  it('hands out a fresh copy on every read, so one request\'s changes never leak into another\'s', async () => {
    await store.set('s1', record('ada'));
    const first = store.get('s1');
    (first?.data as Record<string, unknown>).n = 99;
    expect(store.get('s1')?.data).toEqual({ n: 1 });
  });

  it('reads the WAL stamp once per event-loop turn: a commit made during a turn is seen from the next one', async () => {
    await store.set('s1', record('ada'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(store.get('s1')?.user).toEqual({ name: 'ada' });
    const other = new Database(file); // another connection commits synchronously, in this very turn
    other.prepare('UPDATE serv_sessions SET data = ? WHERE id = ?').run(JSON.stringify({ user: { name: 'eve' }, data: {} }), 's1');
    other.close();
    expect(store.get('s1')?.user).toEqual({ name: 'ada' }); // the requests of one turn see one state
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(store.get('s1')?.user).toEqual({ name: 'eve' });
  });

  it('sees its own writes and deletes', async () => {
    await store.set('s1', record('ada'));
    expect(store.get('s1')?.user).toEqual({ name: 'ada' });
    await store.set('s1', record('bob'));
    expect(store.get('s1')?.user).toEqual({ name: 'bob' });
    await store.delete('s1');
    expect(store.get('s1')).toBeUndefined();
  });
});

describe('WalStamp', () => {
  const tmp = useTempDir('serv-wal-stamp-');

  it('says "unchanged" until a transaction is committed, by this process or another', async () => {
    const file = join(tmp.dir, 'x.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v INTEGER)');
    const stamp = WalStamp.open(file) as WalStamp;
    try {
      expect(stamp).toBeDefined();
      expect(stamp.unchanged()).toBe(false); // the first look knows nothing yet
      expect(stamp.unchanged()).toBe(true);
      db.prepare('SELECT count(*) FROM t').get(); // reads commit nothing
      expect(stamp.unchanged()).toBe(true);
      db.prepare('INSERT INTO t VALUES (1)').run();
      expect(stamp.unchanged()).toBe(false);
      expect(stamp.unchanged()).toBe(true);
      await otherProcess(file, 'INSERT INTO t VALUES (2)');
      expect(stamp.unchanged()).toBe(false);
      expect(stamp.unchanged()).toBe(true);
    } finally {
      stamp.close();
      db.close();
    }
    expect(stamp.unchanged()).toBe(false); // closed: never "unchanged" again
  });

  it('is unavailable for a database that is not in WAL mode (nothing is kept then)', () => {
    const file = join(tmp.dir, 'y.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (v INTEGER)');
    try {
      expect(WalStamp.open(file)).toBeUndefined();
    } finally {
      db.close();
    }
  });
});

@Route('/')
class Routes {
  @Post('/login') async login(@Inject() session: Session) {
    await session.regenerate();
    session.user = { name: 'ada' };
    return 'ok';
  }

  @Get('/me') me(@Inject() session: Session) {
    return { user: session.user ?? null };
  }
}

describe('verified cookies are remembered by their Cookie header', () => {
  const tmp = useTempDir('serv-session-cookies-');

  it('answers alike for the same cookie among other cookies, in short and long headers, and forgets nothing a logout ends', async () => {
    const file = join(tmp.dir, 'serv.db');
    const client = createTestClient(createApp({
      routes: [Routes], logger: new Logger('test', 'silent'), settings: { sessions: { secret: SECRET, store: { kind: 'sqlite', path: file } } },
    }));
    try {
      const cookie = sessionCookie(await client.post('/login')) as string;
      const long = `${cookie}; tracking=${'x'.repeat(2000)}`;
      for (const header of [cookie, `theme=dark; ${cookie}`, long, long, `${cookie}; theme=dark`, cookie]) {
        expect((await client.get('/me', { headers: { cookie: header } })).json()).toEqual({ user: { name: 'ada' } });
      }
      // A forged value next to the same other cookies is still nobody.
      expect((await client.get('/me', { headers: { cookie: `theme=dark; ${cookie}x` } })).json()).toEqual({ user: null });
      // Logout on another worker: the remembered signature does not keep the session alive.
      await otherProcess(file, 'DELETE FROM serv_sessions WHERE id = ?', idOf(cookie));
      for (const header of [cookie, long]) {
        expect((await client.get('/me', { headers: { cookie: header } })).json()).toEqual({ user: null });
      }
    } finally {
      await client.close();
    }
  });
});
