import { createApp, createTestClient, Logger, type App, type ServSettings, type TestClient, type TestSocket } from '@serv/core';
import { Rooms, RoomsError } from '@serv/websocket';
import { existsSync } from 'node:fs';
import { dropTables, POSTGRES_URL, postgresAvailable, tempSqlite, uniqueTablePrefix } from '../helpers/stores';
import { HistoryApi, HistoryChat } from './fixtures/history-chat';

jest.setTimeout(120_000);

interface Envelope {
  room: string;
  offset: number;
  epoch: string;
  at: number;
  data: { text: string };
}
interface Joined {
  joined: string;
  recovered: boolean;
  missed: number;
  epoch: string;
}

/** Reads the replay and the `joined` line, in arrival order; returns the envelopes before it and the line. */
async function join(client: TestClient, path: string): Promise<{ ws: TestSocket; replayed: Envelope[]; joined: Joined }> {
  const ws = await client.websocket(path);
  const replayed: Envelope[] = [];
  for (;;) {
    const message = await ws.receiveJson<Envelope | Joined>();
    if ('joined' in message) return { ws, replayed, joined: message };
    replayed.push(message);
  }
}

const offsets = (list: Envelope[]): number[] => list.map((m) => m.offset);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A store for one test: its settings, and how to remove what it wrote. */
interface TestStore {
  readonly settings: ServSettings['store'];
  remove(): void | Promise<void>;
}

const STORES: Array<[string, () => TestStore]> = [
  ['memory', () => ({ settings: { kind: 'memory' }, remove: () => undefined })],
  ['sqlite', () => tempSqlite()],
];
if (postgresAvailable('message history with the postgres store')) {
  STORES.push(['postgres', () => {
    const prefix = uniqueTablePrefix('history');
    return { settings: { kind: 'postgres', url: POSTGRES_URL, prefix }, remove: () => dropTables(prefix) };
  }]);
}

describe.each(STORES)('message history with the %s store', (_kind, makeStore) => {
  let app: App;
  let client: TestClient;
  let store: TestStore;

  async function start(extra: Partial<ServSettings> = {}): Promise<void> {
    const settings: Partial<ServSettings> = { heartbeatIntervalMs: 0, store: store.settings, ...extra };
    app = createApp({ routes: [HistoryChat, HistoryApi], logger: new Logger('t', 'silent'), settings });
    client = createTestClient(app);
    await app.start();
  }

  beforeEach(async () => {
    store = makeStore();
    await start();
  });
  afterEach(async () => {
    await client.close();
    await store.remove();
  });

  it('replays exactly 51..150 to a client that saw 1..50, then live messages', async () => {
    const first = await join(client, '/history/r1');
    expect(first.joined).toMatchObject({ joined: 'r1', recovered: true, missed: 0, epoch: '' });
    const rooms = app.container.resolve(Rooms);
    for (let i = 1; i <= 50; i += 1) await rooms.publish('r1', { text: `m${i}` });
    const seen: Envelope[] = [];
    while (seen.length < 50) seen.push(await first.ws.receiveJson<Envelope>());
    expect(offsets(seen)).toEqual(range(1, 50));
    await first.ws.close();
    const acks = await Promise.all(range(51, 150).map((i) => rooms.publish('r1', { text: `m${i}` })));
    expect(acks.map((a) => a.offset)).toEqual(range(51, 150));
    const again = await join(client, `/history/r1?after=50&epoch=${seen[0]?.epoch}`);
    expect(again.joined).toMatchObject({ joined: 'r1', recovered: true, missed: 100, epoch: seen[0]?.epoch });
    expect(offsets(again.replayed)).toEqual(range(51, 150));
    expect(again.replayed.map((m) => m.data.text)).toEqual(range(51, 150).map((i) => `m${i}`));
    await rooms.publish('r1', { text: 'live' });
    expect(await again.ws.receiveJson()).toMatchObject({ offset: 151, data: { text: 'live' } });
    expect((await rooms.history('r1', { after: 140, before: 145 })).map((m) => m.offset)).toEqual([141, 142, 143, 144]);
  });

  it('has no gap and no duplicate over 1 000 reconnect cycles while messages are being published', async () => {
    const rooms = app.container.resolve(Rooms);
    const acks: Array<Promise<unknown>> = [];
    const received: number[] = [];
    let epoch = '';
    for (let cycle = 0; cycle < 1000; cycle += 1) {
      // Publishes racing the reconnect: some land before the replay is read, some while it runs, some after.
      for (let i = 0; i < 3; i += 1) acks.push(rooms.publish('busy', { text: `c${cycle}` }));
      const after = `?after=${received[received.length - 1] ?? 0}${epoch === '' ? '' : `&epoch=${epoch}`}`;
      const { ws, replayed, joined } = await join(client, `/history/busy${after}`);
      expect(joined.recovered).toBe(true);
      epoch = joined.epoch;
      received.push(...offsets(replayed));
      // A few live ones, then the connection drops with more on their way.
      const live = cycle % 4;
      await Promise.all(Array.from({ length: live }, () => rooms.publish('busy', { text: 'live' })));
      for (let i = 0; i < live; i += 1) received.push((await ws.receiveJson<Envelope>()).offset);
      acks.push(rooms.publish('busy', { text: 'while closing' }));
      await ws.close();
    }
    await Promise.all(acks);
    const total = (await rooms.history('busy', { after: 0, limit: 100_000 })).at(-1)?.offset ?? 0;
    const { replayed } = await join(client, `/history/busy?after=${received[received.length - 1] ?? 0}&epoch=${epoch}`);
    received.push(...offsets(replayed));
    expect(total).toBeGreaterThan(5000);
    expect(received).toEqual(range(1, total));
  });

  it('answers recovered: false for another epoch, an offset the store never gave, and history past retention', async () => {
    await client.close();
    await start({ historyMaxPerRoom: 10 });
    const rooms = app.container.resolve(Rooms);
    const { ws } = await join(client, '/history/short');
    for (let i = 1; i <= 30; i += 1) await rooms.publish('short', { text: `m${i}` });
    await ws.close();
    expect((await join(client, '/history/short?after=3&epoch=other')).joined).toMatchObject({ recovered: false, missed: 0 });
    expect((await join(client, '/history/short?after=31')).joined).toMatchObject({ recovered: false, missed: 0 });
    const late = await join(client, '/history/short?after=5');
    expect(late.joined).toMatchObject({ recovered: false, missed: 10 });
    expect(offsets(late.replayed)).toEqual(range(21, 30));
    expect((await join(client, '/history/short?after=20')).joined).toMatchObject({ recovered: true, missed: 10 });
  });
});

const describePostgres = STORES.some(([kind]) => kind === 'postgres') ? describe : describe.skip;

describePostgres('the PostgreSQL store after a database reset', () => {
  it('rejects publish once, logs the outage once, then recreates its tables and starts a new epoch', async () => {
    const prefix = uniqueTablePrefix('reset');
    const lines: string[] = [];
    const logger = new Logger('t', 'info', (_level, line) => lines.push(line));
    const app = createApp({ routes: [HistoryChat, HistoryApi], logger, settings: { heartbeatIntervalMs: 0, store: { kind: 'postgres', url: POSTGRES_URL, prefix } } });
    const client = createTestClient(app);
    try {
      await app.start();
      const rooms = app.container.resolve(Rooms);
      const before = await rooms.publish('reset', 'one');
      await dropTables(prefix);
      await expect(rooms.publish('reset', 'two')).rejects.toMatchObject({ code: 'SERV_ROOMS_STORE_DOWN' });
      await expect(rooms.publish('reset', 'three')).resolves.toMatchObject({ offset: 1 });
      const after = await rooms.publish('reset', 'four');
      expect(after.offset).toBe(2);
      expect(after.epoch).not.toBe(before.epoch);
      expect(lines.filter((l) => l.includes('message store postgres') && l.includes('failed'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('message store postgres') && l.includes('is back'))).toHaveLength(1);
      const resumed = await join(client, `/history/reset?after=1&epoch=${before.epoch}`);
      expect(resumed.joined).toMatchObject({ recovered: false, missed: 0, epoch: after.epoch });
    } finally {
      await client.close();
      await dropTables(prefix);
    }
  });
});

describe('the SQLite store on disk', () => {
  it('creates nothing until the first publish, then keeps history across an app restart with the same epoch', async () => {
    const store = tempSqlite();
    const settings: Partial<ServSettings> = { heartbeatIntervalMs: 0, store: store.settings };
    try {
      let app = createApp({ routes: [HistoryChat, HistoryApi], logger: new Logger('t', 'silent'), settings });
      let client = createTestClient(app);
      const { ws } = await join(client, '/history/kept');
      expect(existsSync(store.path)).toBe(false);
      const ack = await app.container.resolve(Rooms).publish('kept', { text: 'hello' });
      expect(existsSync(store.path)).toBe(true);
      await ws.close();
      await client.close();
      app = createApp({ routes: [HistoryChat, HistoryApi], logger: new Logger('t', 'silent'), settings });
      client = createTestClient(app);
      const again = await join(client, `/history/kept?after=0&epoch=${ack.epoch}`);
      expect(again.joined).toMatchObject({ joined: 'kept', recovered: true, missed: 1, epoch: ack.epoch });
      expect(again.replayed[0]).toEqual({ room: 'kept', offset: 1, epoch: ack.epoch, at: ack.at, data: { text: 'hello' } });
      expect((await app.container.resolve(Rooms).publish('kept', 2)).offset).toBe(2);
      await client.close();
    } finally {
      store.remove();
    }
  });

  it('refuses bad history arguments with SERV_ROOMS_ARGUMENT', async () => {
    const app = createApp({ routes: [HistoryChat], logger: new Logger('t', 'silent'), settings: { store: { kind: 'memory' } } });
    const client = createTestClient(app);
    await app.start();
    const rooms = app.container.resolve(Rooms);
    await expect(rooms.history('r', { limit: 0 })).rejects.toThrow(new RoomsError('SERV_ROOMS_ARGUMENT', 'rooms.history("r", { limit }): limit must be an integer >= 1, got 0'));
    await client.close();
  });
});
