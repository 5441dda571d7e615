import { createApp, createTestClient, Get, Inject, Logger, Post, Route, Session, type App, type SessionSettingsInput } from '@serv/core';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createClient } from 'redis';
import { newSessionId, signSessionId } from '../../src/sessions/signed-cookie';
import { PrivateRedis } from '../../../websocket/test/helpers/redis';
import { fetchOnce } from '../helpers/prometheus';
import { SECRET, sessionCookie, useTempDir } from './helpers';

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

  @Post('/logout') async logout(@Inject() session: Session) {
    await session.destroy();
    return 'bye';
  }
}

const OTHER = 'other-secret-0123456789abcdef0123456789abcdef';
const app = (sessions: SessionSettingsInput) =>
  createApp({ routes: [Routes], logger: new Logger('test', 'silent'), settings: { sessions } });

describe('the SQLite session store', () => {
  const tmp = useTempDir('serv-sessions-');

  it('keeps sessions across a restart of the app', async () => {
    const store = { kind: 'sqlite' as const, path: join(tmp.dir, 'data', 'serv.db') };
    const first = createTestClient(app({ secret: SECRET, store }));
    const cookie = sessionCookie(await first.post('/login')) as string;
    await first.close();
    const second = createTestClient(app({ secret: SECRET, store }));
    try {
      expect((await second.get('/me', { headers: { cookie } })).json()).toEqual({ user: { name: 'ada' } });
    } finally {
      await second.close();
    }
  });

  it('expires sessions on the server: a valid cookie past its expiry is anonymous', async () => {
    const file = join(tmp.dir, 'serv.db');
    const client = createTestClient(app({ secret: SECRET, store: { kind: 'sqlite', path: file }, maxAgeS: 3600 }));
    try {
      const login = await client.post('/login');
      expect(login.headers['set-cookie']?.[0]).toContain('Max-Age=3600');
      const cookie = sessionCookie(login) as string;
      expect((await client.get('/me', { headers: { cookie } })).json()).toEqual({ user: { name: 'ada' } });
      const db = new Database(file);
      const row = db.prepare('SELECT expires_at FROM serv_sessions').get() as { expires_at: number };
      expect(row.expires_at - Date.now()).toBeGreaterThan(3590_000);
      expect(row.expires_at - Date.now()).toBeLessThanOrEqual(3600_000);
      // The hour passes: the row's expiry moves into the past while the browser still holds the cookie.
      db.prepare('UPDATE serv_sessions SET expires_at = ?').run(Date.now() - 1);
      db.close();
      expect((await client.get('/me', { headers: { cookie } })).json()).toEqual({ user: null });
    } finally {
      await client.close();
    }
  });

  it('rotates secrets: the first signs, every listed one verifies, a dropped one no longer does', async () => {
    const store = { kind: 'sqlite' as const, path: join(tmp.dir, 'serv.db') };
    const before = createTestClient(app({ secret: OTHER, store }));
    const oldCookie = sessionCookie(await before.post('/login')) as string;
    await before.close();
    const during = createTestClient(app({ secret: [SECRET, OTHER], store }));
    const newCookie = sessionCookie(await during.post('/login')) as string;
    try {
      expect((await during.get('/me', { headers: { cookie: oldCookie } })).json()).toEqual({ user: { name: 'ada' } });
    } finally {
      await during.close();
    }
    const after = createTestClient(app({ secret: SECRET, store }));
    try {
      expect((await after.get('/me', { headers: { cookie: newCookie } })).json()).toEqual({ user: { name: 'ada' } });
      expect((await after.get('/me', { headers: { cookie: oldCookie } })).json()).toEqual({ user: null });
    } finally {
      await after.close();
    }
  });
});

describe('the Redis session store', () => {
  const prefix = `serv-test-${process.pid}-${Date.now()}:`;
  let available = false;

  beforeAll(async () => {
    const probe = createClient({ url: 'redis://127.0.0.1:6379', socket: { reconnectStrategy: false } });
    probe.on('error', () => {});
    try {
      await probe.connect();
      available = true;
      await probe.quit();
    } catch (err) {
      if (process.env.CI === 'true') throw new Error(`Redis is required at 127.0.0.1:6379 under CI: ${(err as Error).message}`);
      console.warn('Redis is not running at 127.0.0.1:6379; skipping the Redis session store tests (start it: redis-server --daemonize yes)');
    }
  });

  afterAll(async () => {
    if (!available) return;
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  it('shares sessions between two instances of the app', async () => {
    if (!available) return;
    const sessions = { secret: SECRET, store: { kind: 'redis' as const, url: 'redis://127.0.0.1:6379', keyPrefix: prefix } };
    const a = createTestClient(app(sessions));
    const b = createTestClient(app(sessions));
    try {
      const cookie = sessionCookie(await a.post('/login')) as string;
      expect((await b.get('/me', { headers: { cookie } })).json()).toEqual({ user: { name: 'ada' } });
      const redis = createClient({ url: 'redis://127.0.0.1:6379' });
      await redis.connect();
      const keys = await redis.keys(`${prefix}session:*`);
      const ttl = await redis.pTTL(keys[0] as string);
      await redis.quit();
      expect(keys).toHaveLength(1);
      expect(ttl).toBeGreaterThan(1_209_500_000);
      // A logout on one instance ends the session on the other at once.
      await b.post('/logout', { headers: { cookie } });
      expect((await a.get('/me', { headers: { cookie } })).json()).toEqual({ user: null });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps the expiry inside the value (one GET per read), and still reads values stored without it', async () => {
    if (!available) return;
    const sessions = { secret: SECRET, store: { kind: 'redis' as const, url: 'redis://127.0.0.1:6379', keyPrefix: prefix } };
    const client = createTestClient(app(sessions));
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    try {
      const cookie = sessionCookie(await client.post('/login')) as string;
      const key = `${prefix}session:${decodeURIComponent(cookie.split('=')[1] as string).split('.')[0] as string}`;
      const stored = JSON.parse((await redis.get(key)) as string) as { expiresAt: number };
      expect(stored.expiresAt).toBe(await redis.pExpireTime(key));
      // An older value: no expiresAt inside, the key's own expiry is the session's.
      const id = newSessionId();
      await redis.set(`${prefix}session:${id}`, JSON.stringify({ user: { name: 'old' }, data: {} }), { PX: 60_000 });
      const oldCookie = `serv_session=${signSessionId(id, SECRET)}`;
      expect((await client.get('/me', { headers: { cookie: oldCookie } })).json()).toEqual({ user: { name: 'old' } });
      // A value whose inner expiry has passed is gone even if the key lingered.
      await redis.set(key, JSON.stringify({ ...stored, expiresAt: Date.now() - 1 }), { PX: 60_000 });
      expect((await client.get('/me', { headers: { cookie } })).json()).toEqual({ user: null });
    } finally {
      await redis.quit();
      await client.close();
    }
  });

  it('fails the start with the setting named when Redis cannot be reached', async () => {
    if (!available) return;
    const broken = app({ secret: SECRET, store: { kind: 'redis', url: 'redis://127.0.0.1:1', keyPrefix: prefix } });
    await expect(broken.start()).rejects.toThrow(/^settings\.sessions\.store: the session store cannot be opened: .*ECONNREFUSED/);
    await broken.close();
  });
});

describe('/readyz with the Redis session store', () => {
  let redis: PrivateRedis;
  let served: App | undefined;
  beforeAll(async () => {
    redis = await PrivateRedis.start(); // its own redis-server on a free port, stopped and restarted below
  });
  afterAll(async () => {
    await served?.close();
    await redis.stop();
  });

  it('reports the store in its checks: 503 while Redis is down, 200 once node-redis has reconnected', async () => {
    const waiters: Array<[RegExp, () => void]> = [];
    const logged = (pattern: RegExp): Promise<void> => new Promise((resolve) => waiters.push([pattern, resolve]));
    const logger = new Logger('test', 'info', (_level, line) => {
      for (const w of [...waiters]) if (w[0].test(line)) w[1]();
    });
    served = createApp({ routes: [Routes], logger, settings: { sessions: { secret: SECRET, store: { kind: 'redis', url: redis.url, keyPrefix: 'readyz:' } } } });
    const { url } = await served.listen({ host: '127.0.0.1', port: 0 });
    expect(await fetchOnce(`${url}/readyz`)).toMatchObject({ status: 200, body: '{"status":"ready","checks":{"sessions":true}}' });

    const down = logged(new RegExp(`Session store ${redis.url}: `));
    await redis.stop();
    await down;
    expect(await fetchOnce(`${url}/readyz`)).toMatchObject({ status: 503, body: '{"status":"dependency down","checks":{"sessions":false}}' });
    expect((await fetchOnce(`${url}/healthz`)).status).toBe(200);

    const back = logged(new RegExp(`Session store ${redis.url} is back`));
    await redis.restart();
    await back;
    expect(await fetchOnce(`${url}/readyz`)).toMatchObject({ status: 200, body: '{"status":"ready","checks":{"sessions":true}}' });
  });

  it('adds no check for the in-process stores', async () => {
    const memory = createApp({ routes: [Routes], logger: new Logger('test', 'silent'), settings: { sessions: { secret: SECRET, store: { kind: 'memory' } } } });
    const { url } = await memory.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(await fetchOnce(`${url}/readyz`)).toMatchObject({ status: 200, body: '{"status":"ready","checks":{}}' });
    } finally {
      await memory.close();
    }
  });
});
