import { createApp, Inject, Logger, Param, Post, Route, type App, type ServSettings } from '@serv/core';
import { Rooms, WebSocket, WebSocketRoute } from '@serv/websocket';
import { WebSocket as WsClient } from 'ws';
import { fetchOnce, parseScrape, valueOf, type Scrape } from '../../../core/test/helpers/prometheus';
import { connectionEnds } from '../helpers/connection-ends';
import { PrivateRedis, redisAvailable, uniquePrefix } from '../helpers/redis';
import { tempSqlite } from '../helpers/stores';

jest.setTimeout(60_000);

/** Joins `room`, answers every message with `echo <text>`; `close:CODE` makes the server close with CODE. */
@WebSocketRoute('/echo/{room}', { rateLimitMessages: 0 })
class EchoRoom {
  constructor(private readonly rooms: Rooms) {}

  async handle(@Inject() ws: WebSocket, @Param('room') room: string): Promise<void> {
    await ws.accept();
    await this.rooms.join(room, ws);
    await ws.send('joined');
    for await (const message of ws) {
      const text = String(message);
      if (text.startsWith('close:')) {
        await ws.close(Number(text.slice(6)), 'bye');
        return;
      }
      await ws.send(`echo ${text}`);
    }
  }
}

@Route('/publish')
class PublishRoute {
  constructor(private readonly rooms: Rooms) {}

  @Post('/{room}') publish(@Param('room') room: string) {
    return this.rooms.publish(room, { hello: room });
  }
}

/** A `ws` client whose messages can be awaited one by one. */
class Client {
  private readonly queue: string[] = [];
  private readonly waiting: Array<(text: string) => void> = [];
  readonly closed: Promise<number>;

  private constructor(readonly socket: WsClient) {
    socket.on('message', (data) => {
      const next = this.waiting.shift();
      if (next !== undefined) next(String(data));
      else this.queue.push(String(data));
    });
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  }

  static open(url: string): Promise<Client> {
    const socket = new WsClient(url);
    const client = new Client(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  next(): Promise<string> {
    const queued = this.queue.shift();
    return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

const silent = (): Logger => new Logger('test', 'silent');

async function scrape(url: string): Promise<Scrape> {
  return parseScrape((await fetchOnce(`${url}/metrics`)).body);
}

describe('WebSocket metrics', () => {
  let app: App;
  afterEach(() => app.close());

  it('counts connections, messages each way, closes by code, rooms and members, and store writes', async () => {
    app = createApp({ routes: [EchoRoom, PublishRoute], logger: silent(), settings: { store: { kind: 'memory' }, heartbeatIntervalMs: 0 } });
    const { url, port } = await app.listen({ host: '127.0.0.1', port: 0 });
    const route = { route: '/echo/{room}' };
    const before = await scrape(url);
    expect(valueOf(before, 'serv_websocket_connections', 'GAUGE', route)).toBe(0);

    const clients = await Promise.all(['lobby', 'lobby', 'side'].map((room) => Client.open(`ws://127.0.0.1:${port}/echo/${room}`)));
    for (const c of clients) expect(await c.next()).toBe('joined');
    const M = 5;
    for (const c of clients) {
      for (let i = 0; i < M; i += 1) {
        c.socket.send(`m${i}`);
        expect(await c.next()).toBe(`echo m${i}`);
      }
    }
    expect((await fetchOnce(`${url}/publish/lobby`, 'POST')).status).toBe(200);
    for (const c of clients.slice(0, 2)) expect(JSON.parse(await c.next())).toMatchObject({ room: 'lobby', data: { hello: 'lobby' } });

    const open = await scrape(url);
    expect(valueOf(open, 'serv_websocket_connections', 'GAUGE', route)).toBe(3);
    expect(valueOf(open, 'serv_websocket_messages_received_total', 'COUNTER', route)).toBe(3 * M);
    // "joined" and the echoes, plus the published message fanned out to the two lobby members.
    expect(valueOf(open, 'serv_websocket_messages_sent_total', 'COUNTER', route)).toBe(3 + 3 * M + 2);
    expect(valueOf(open, 'serv_rooms', 'GAUGE')).toBe(2);
    expect(valueOf(open, 'serv_room_members', 'GAUGE')).toBe(3);
    expect(valueOf(open, 'serv_store_write_seconds', 'HISTOGRAM')).toBe(1);
    expect(valueOf(open, 'serv_broker_publish_seconds', 'HISTOGRAM')).toBe(0); // the memory broker has no hop to time
    expect(open.get('serv_websocket_closes_total')?.metrics).toEqual([]);

    const [first, second] = clients as [Client, Client, Client];
    const ended = connectionEnds(app, 2);
    first.socket.send('close:4001');
    second.socket.close(1000);
    expect(await first.closed).toBe(4001);
    await ended;

    const after = await scrape(url);
    expect(valueOf(after, 'serv_websocket_connections', 'GAUGE', route)).toBe(1);
    expect(valueOf(after, 'serv_websocket_closes_total', 'COUNTER', { ...route, code: '4001' })).toBe(1);
    expect(valueOf(after, 'serv_websocket_closes_total', 'COUNTER', { ...route, code: '1000' })).toBe(1);
    expect(valueOf(after, 'serv_websocket_messages_received_total', 'COUNTER', route)).toBe(3 * M + 1);
    expect(valueOf(after, 'serv_rooms', 'GAUGE')).toBe(1);
    expect(valueOf(after, 'serv_room_members', 'GAUGE')).toBe(1);
    const last = connectionEnds(app);
    clients[2]?.socket.close(1000);
    await last;
  });

  it('reports the app ready with its broker and store checks', async () => {
    app = createApp({ routes: [EchoRoom], logger: silent(), settings: { store: { kind: 'memory' } } });
    const { url } = await app.listen({ host: '127.0.0.1', port: 0 });
    const ready = await fetchOnce(`${url}/readyz`);
    expect([ready.status, ready.body]).toEqual([200, '{"status":"ready","checks":{"broker":true,"store":true}}']);
  });
});

const describeRedis = redisAvailable('Readiness with the Redis broker') ? describe : describe.skip;

describeRedis('/readyz with the Redis broker', () => {
  let redis: PrivateRedis;
  let app: App;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(() => redis.stop());
  afterEach(() => app.close());

  it('turns 503 when Redis stops and 200 when it is back', async () => {
    const waiters: Array<[RegExp, () => void]> = [];
    const logged = (pattern: RegExp): Promise<void> => new Promise((resolve) => waiters.push([pattern, resolve]));
    const logger = new Logger('test', 'info', (_level, line) => {
      for (const w of [...waiters]) if (w[0].test(line)) w[1]();
    });
    const store = tempSqlite();
    const settings: Partial<ServSettings> = { broker: { kind: 'redis', url: redis.url, prefix: uniquePrefix('readyz') }, store: store.settings };
    app = createApp({ routes: [EchoRoom], logger, settings });
    app.on('app.shutdown', () => store.remove());
    const { url } = await app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetchOnce(`${url}/readyz`)).body).toBe('{"status":"ready","checks":{"broker":true,"store":true}}');

    const down = logged(/is unreachable/);
    await redis.stop();
    await down;
    const unready = await fetchOnce(`${url}/readyz`);
    expect([unready.status, unready.body]).toEqual([503, '{"status":"dependency down","checks":{"broker":false,"store":true}}']);
    expect((await fetchOnce(`${url}/healthz`)).status).toBe(200);

    const back = logged(/is back/);
    await redis.restart();
    await back;
    const again = await fetchOnce(`${url}/readyz`);
    expect([again.status, again.body]).toEqual([200, '{"status":"ready","checks":{"broker":true,"store":true}}']);
    expect(valueOf(await scrape(url), 'serv_broker_publish_seconds', 'HISTOGRAM')).toBe(0);
  });
});
