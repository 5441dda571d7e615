import { createApp, createTestClient, Logger, type App, type ServSettings, type TestClient, type TestSocket } from '@serv/core';
import { Rooms, RoomsError } from '@serv/websocket';
import { connectionEnds } from '../helpers/connection-ends';
import { deleteKeys, PrivateRedis, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis';
import { tempSqlite, type TempSqlite } from '../helpers/stores';
import { ChatHandler, RoomsApi } from './fixtures/chat';

jest.setTimeout(60_000);

const describeRedis = redisAvailable('Rooms with the Redis broker') ? describe : describe.skip;

/** An app on the Redis broker whose log lines can be awaited. */
class Instance {
  readonly app: App;
  readonly client: TestClient;
  readonly lines: string[] = [];
  private readonly waiters: Array<[RegExp, () => void]> = [];

  constructor(url: string, prefix: string, store: TempSqlite, presenceTtlMs = 15000) {
    const logger = new Logger('test', 'info', (_level, line) => {
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (waiter[0].test(line)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter[1]();
        }
      }
    });
    const settings: Partial<ServSettings> = { heartbeatIntervalMs: 0, broker: { kind: 'redis', url, prefix }, presenceTtlMs, store: store.settings };
    this.app = createApp({ routes: [ChatHandler, RoomsApi], logger, settings });
    this.client = createTestClient(this.app);
  }

  /** Resolves at the next log line matching `pattern`. */
  logged(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => this.waiters.push([pattern, resolve]));
  }

  async join(room: string, user: string): Promise<TestSocket> {
    const ws = await this.client.websocket(`/chat/${room}?user=${user}`);
    expect(await ws.receiveJson()).toMatchObject({ joined: room });
    return ws;
  }
}

describeRedis('Rooms with the Redis broker, two instances', () => {
  const prefix = uniquePrefix('rooms');
  let a: Instance;
  let b: Instance;
  let store: TempSqlite;

  beforeEach(() => {
    store = tempSqlite();
    a = new Instance(REDIS_URL, prefix, store);
    b = new Instance(REDIS_URL, prefix, store);
  });

  afterEach(async () => {
    await Promise.all([a.client.close(), b.client.close()]);
    store.remove();
  });

  afterAll(() => deleteKeys(prefix));

  it('delivers publish and broadcast across instances and lists members of both', async () => {
    const alice = await a.join('cross', 'alice');
    const bob = await b.join('cross', 'bob');
    await alice.send('pub:hi bob');
    const envelope = await bob.receiveJson();
    expect(envelope).toEqual({ room: 'cross', offset: 1, epoch: expect.any(String), at: expect.any(Number), data: { user: 'alice', text: 'hi bob' } });
    expect(await alice.receiveJson()).toEqual(envelope);
    await bob.send('bc:typing');
    expect(await alice.receive()).toBe('bob: typing');
    const res = await a.client.get('/rooms/cross/members');
    const { members, size } = res.json<{ members: Array<{ meta: unknown; instance: string }>; size: number }>();
    expect(size).toBe(2);
    expect(members.map((m) => m.meta).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([{ user: 'alice' }, { user: 'bob' }]);
    expect(new Set(members.map((m) => m.instance)).size).toBe(2);
    expect((await b.client.get('/rooms')).json()).toMatchObject({ rooms: ['cross'] });
    const posted = await b.client.post('/rooms/cross/publish', { json: { from: 'http' } });
    expect(await alice.receiveJson()).toEqual({ room: 'cross', ...posted.json<object>(), data: { from: 'http' } });
  });

  it('holds one Redis subscription per room per instance with members, not one per connection', async () => {
    const { createClient } = await import('redis');
    const probe = createClient({ url: REDIS_URL });
    await probe.connect();
    try {
      const channel = `${prefix}room:subs`;
      const subscribers = async (): Promise<number> => {
        const reply = (await probe.sendCommand(['PUBSUB', 'NUMSUB', channel])) as Array<string | number>;
        return Number(reply[1]);
      };
      const a1 = await a.join('subs', 'a1');
      const a2 = await a.join('subs', 'a2');
      await b.join('subs', 'b1');
      expect(await subscribers()).toBe(2); // three members, two instances
      const gone = connectionEnds(a.app, 2);
      await Promise.all([a1.close(), a2.close()]);
      await gone;
      // UNSUBSCRIBE went out when the last local member left; polled, since NUMSUB is answered on another connection.
      let count = await subscribers();
      for (let i = 0; i < 100 && count !== 1; i += 1) count = await subscribers();
      expect(count).toBe(1);
    } finally {
      await probe.close();
    }
  });

  it('delivers 10 000 messages published from both instances in one and the same order to every member', async () => {
    const members = [await a.join('order', 'a1'), await a.join('order', 'a2'), await b.join('order', 'b1'), await b.join('order', 'b2')];
    const total = 10_000;
    const seen = members.map(() => [] as string[]);
    const reading = members.map(async (ws, i) => {
      while (seen[i].length < total) {
        const { offset, data } = await ws.receiveJson<{ offset: number; data: { user: string; text: string } }>();
        seen[i].push(`${offset}:${data.user}:${data.text}`);
      }
    });
    // Both publishers at once: their messages interleave in Redis, and that one interleaving is what everyone sees.
    for (let i = 0; i < total / 2; i += 1) {
      void members[0].send(`pub:${i}`);
      void members[2].send(`pub:${i}`);
    }
    await Promise.all(reading);
    expect(seen[0].map((s) => Number(s.split(':')[0]))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
    const fromA = seen[0].filter((s) => s.includes(':a1:')).map((s) => Number(s.split(':')[2]));
    expect(fromA).toEqual(Array.from({ length: total / 2 }, (_, i) => i)); // each publisher's own order is kept
  });

  it('fails startup with a clear error when Redis is not there', async () => {
    const dead = new Instance('redis://127.0.0.1:1', prefix, store);
    // Startup listeners' errors reach the caller wrapped ("1 listener(s) of "app.startup" failed: …"), message intact.
    await expect(dead.app.start()).rejects.toThrow(
      /settings\.broker\.url: cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\); start Redis there or point the URL at it$/,
    );
    await dead.client.close();
  });
});

describeRedis('Rooms with the Redis broker through a Redis outage', () => {
  const prefix = uniquePrefix('outage');
  let redis: PrivateRedis;
  let a: Instance;
  let b: Instance;
  let store: TempSqlite;

  beforeEach(async () => {
    redis = await PrivateRedis.start();
    store = tempSqlite();
    a = new Instance(redis.url, prefix, store);
    b = new Instance(redis.url, prefix, store);
  });

  afterEach(async () => {
    await Promise.all([a.client.close(), b.client.close()]);
    await redis.stop();
    store.remove();
  });

  it('keeps local delivery going, logs once, stores publishes, and the other instance fills the gap from the store when Redis is back', async () => {
    const a1 = await a.join('storm', 'a1');
    const a2 = await a.join('storm', 'a2');
    const b1 = await b.join('storm', 'b1');
    const aDown = a.logged(/Redis at .* is unreachable/);
    const bDown = b.logged(/Redis at .* is unreachable/);
    await redis.stop();
    await Promise.all([aDown, bDown]);

    for (let i = 0; i < 20; i += 1) {
      await a1.send(`bc:during ${i}`);
      expect(await a2.receive()).toBe(`a1: during ${i}`);
    }
    // The store takes the message (that is the acknowledgement); only this instance's members get it now.
    await a1.send('pub:while down');
    const stored = { room: 'storm', offset: 1, epoch: expect.any(String), at: expect.any(Number), data: { user: 'a1', text: 'while down' } };
    expect(await a2.receiveJson()).toEqual(stored);
    expect(await a1.receiveJson()).toEqual(stored);
    expect(a.lines.filter((line) => line.includes('is unreachable'))).toHaveLength(1);
    await expect(a.app.container.resolve(Rooms).members('storm')).rejects.toMatchObject({
      name: RoomsError.name,
      code: 'SERV_ROOMS_BROKER_DOWN',
      message: `rooms.members("storm"): Redis at ${redis.url} is unreachable, so presence across instances is unknown until it is back`,
    });

    // Rooms first joined while Redis is away are subscribed and announced once it is back.
    const a4 = await a.join('calm', 'a4');
    const b2 = await b.join('calm', 'b2');

    const back = Promise.all([a.logged(/is back/), b.logged(/is back/)]);
    await redis.restart();
    await back;
    await a1.send('pub:after');
    for (const ws of [a1, a2]) expect(await ws.receiveJson()).toMatchObject({ room: 'storm', offset: 2, data: { text: 'after' } });
    // b1 missed offset 1 while Redis was away: offset 2 reveals the gap, which is read from the store, in order.
    expect(await b1.receiveJson()).toMatchObject({ room: 'storm', offset: 1, data: { text: 'while down' } });
    expect(await b1.receiveJson()).toMatchObject({ room: 'storm', offset: 2, data: { text: 'after' } });
    await b1.send('bc:hello again');
    expect(await a2.receive()).toBe('b1: hello again');
    expect((await b.client.get('/rooms/storm/members')).json()).toMatchObject({ size: 3 });
    await b2.send('bc:calm again');
    expect(await a4.receive()).toBe('b2: calm again');
    expect((await a.client.get('/rooms/calm/members')).json()).toMatchObject({ size: 2 });
    expect(a.lines.filter((line) => line.includes('is unreachable'))).toHaveLength(1);
  });
});
