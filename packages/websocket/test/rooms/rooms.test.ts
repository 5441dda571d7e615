import { createApp, createTestClient, Logger, type App, type TestClient, type TestSocket } from '@serv/core';
import { Rooms, RoomsError } from '@serv/websocket';
import { WebSocket as WsClient } from 'ws';
import { connectionEnds } from '../helpers/connection-ends';
import { BurstHandler, ChatHandler, RoomsApi } from './fixtures/chat';

const silent = new Logger('test', 'silent');

describe('Rooms with the memory broker', () => {
  let app: App;
  let client: TestClient;

  beforeEach(() => {
    app = createApp({ routes: [ChatHandler, RoomsApi, BurstHandler], logger: silent, settings: { heartbeatIntervalMs: 0, store: { kind: 'memory' } } });
    client = createTestClient(app);
  });

  afterEach(() => client.close());

  async function join(room: string, user: string): Promise<TestSocket> {
    const ws = await client.websocket(`/chat/${room}?user=${user}`);
    expect(await ws.receiveJson()).toMatchObject({ joined: room });
    return ws;
  }

  it('delivers a published envelope to every member of the room and not to another room', async () => {
    const alice = await join('red', 'alice');
    const bob = await join('red', 'bob');
    const carol = await join('blue', 'carol');
    await alice.send('pub:hello');
    for (const ws of [alice, bob]) {
      const envelope = await ws.receiveJson<Record<string, unknown>>();
      expect(envelope).toEqual({ room: 'red', offset: 1, epoch: expect.any(String), at: expect.any(Number), data: { user: 'alice', text: 'hello' } });
      expect(Object.keys(envelope)).toEqual(['room', 'offset', 'epoch', 'at', 'data']);
    }
    await carol.send('pub:in blue');
    expect(await carol.receiveJson()).toMatchObject({ room: 'blue', offset: 1, data: { text: 'in blue' } });
    await alice.send('pub:second');
    expect(await bob.receiveJson()).toMatchObject({ room: 'red', offset: 2, data: { text: 'second' } });
    // Had blue's message reached red (or red's reached blue), it would be the next one read here.
    await carol.send('members');
    expect(await carol.receiveJson()).toEqual({ members: [expect.objectContaining({ meta: { user: 'carol' } })] });
    await alice.receiveJson(); // alice's own copy of "second"
    await alice.send('members');
    expect((await alice.receiveJson<{ members: unknown[] }>()).members).toHaveLength(2);
  });

  it('skips the connections named in except', async () => {
    const alice = await join('room-1', 'alice');
    const bob = await join('room-1', 'bob');
    await alice.send('bc:typing');
    expect(await bob.receive()).toBe('alice: typing');
    await bob.send('bc:me too');
    expect(await alice.receive()).toBe('bob: me too'); // not "alice: typing": except kept it from alice
  });

  it('lists members with their meta, instance and since, and drops a member when its connection closes', async () => {
    const before = Date.now();
    const alice = await join('lobby', 'alice');
    const bob = await join('lobby', 'bob');
    const listed = (await client.get('/rooms/lobby/members')).json<{ members: Array<Record<string, unknown>>; size: number }>();
    expect(listed.size).toBe(2);
    expect(listed.members.map((m) => m.meta)).toEqual([{ user: 'alice' }, { user: 'bob' }]);
    const rooms = app.container.resolve(Rooms);
    for (const m of listed.members) {
      expect(m).toEqual({ id: expect.stringMatching(/#\d+$/), meta: expect.any(Object), instance: rooms.instance, since: expect.any(Number) });
      expect(m.since as number).toBeGreaterThanOrEqual(before - 1);
    }
    const gone = connectionEnds(app);
    await bob.close();
    await gone;
    expect((await client.get('/rooms/lobby/members')).json()).toEqual({ members: [expect.objectContaining({ meta: { user: 'alice' } })], size: 1 });
    expect((await client.get('/rooms')).json()).toMatchObject({ rooms: ['lobby'] });
    const last = connectionEnds(app);
    await alice.close();
    await last;
    expect((await client.get('/rooms')).json()).toMatchObject({ rooms: [] });
  });

  it('publishes and broadcasts from an HTTP route', async () => {
    const alice = await join('news', 'alice');
    const res = await client.post('/rooms/news/publish', { json: { headline: 'rooms ship' } });
    expect(res.status).toBe(200);
    const ack = res.json<{ offset: number; epoch: string; at: number }>();
    expect(ack).toEqual({ offset: 1, epoch: expect.any(String), at: expect.any(Number) });
    expect(await alice.receiveJson()).toEqual({ room: 'news', ...ack, data: { headline: 'rooms ship' } });
    await client.post('/rooms/news/broadcast', { json: { ping: 1 } });
    expect(await alice.receive()).toBe('{"ping":1}');
  });

  it('leaves on leave() and keeps leave() idempotent', async () => {
    const alice = await join('quiet', 'alice');
    const bob = await join('quiet', 'bob');
    await bob.send('leave');
    await bob.send('leave');
    await bob.send('members'); // answered after both leaves ran: the handler reads in order
    expect((await bob.receiveJson<{ members: unknown[] }>()).members).toEqual([expect.objectContaining({ meta: { user: 'alice' } })]);
    await alice.send('pub:only alice');
    expect(await alice.receiveJson()).toMatchObject({ offset: 1 });
    await bob.send('members');
    expect(await bob.receiveJson()).toMatchObject({ members: [expect.anything()] }); // no envelope arrived first
  });

  it('refuses bad room names with a clear error', async () => {
    await app.start();
    const rooms = app.container.resolve(Rooms);
    expect(() => rooms.broadcast('has space', 'x')).toThrow(
      new RoomsError('SERV_ROOMS_NAME', 'rooms.broadcast(): the room name "has space" contains " "; use letters, digits and _ . : @ ~ - only'),
    );
    expect(() => rooms.broadcast('', 'x')).toThrow('rooms.broadcast(): the room name must be 1 to 128 characters long, got 0 ("")');
    await expect(rooms.publish('x'.repeat(129), 1)).rejects.toMatchObject({ code: 'SERV_ROOMS_NAME' });
    await expect(rooms.publish('ok', undefined)).rejects.toThrow('Data is not JSON serializable: undefined has no JSON representation');
    const res = await client.post('/rooms/a%20b/publish', { json: 1 });
    expect(res.status).toBe(500);
  });

  it('keeps each connection\'s order and max_buffered_bytes when many broadcasts go out in one tick', async () => {
    // 200 broadcasts of 96 B in one tick are ~19 KiB per member, far past the route's 4 KiB max_buffered_bytes: the
    // sockets the fan-out corks hold at most half of it (then flush), so neither reading member is closed 1013.
    const sender = await client.websocket('/burst/tick');
    const other = await client.websocket('/burst/tick');
    for (const ws of [sender, other]) expect(await ws.receive()).toBe('joined');
    const expected = (count: number): string[] => Array.from({ length: count }, (_, i) => `${i}:${'x'.repeat(90)}`.slice(0, 96));
    for (let round = 0; round < 2; round += 1) {
      await sender.send('200');
      const got: string[] = [];
      for (let i = 0; i < 201; i += 1) got.push(String(await sender.receive()));
      const inOrder = expected(200);
      // The direct send, written between the 100th and 101st broadcast, arrives between them too.
      expect(got).toEqual([...inOrder.slice(0, 100), 'direct', ...inOrder.slice(100)]);
      const others: string[] = [];
      for (let i = 0; i < 200; i += 1) others.push(String(await other.receive()));
      expect(others).toEqual(inOrder);
    }
    await sender.send('2');
    expect([await other.receive(), await other.receive()]).toEqual(expected(2));
  });

  it('gives each app its own rooms', async () => {
    const other = createApp({ routes: [ChatHandler, RoomsApi], logger: silent, settings: { heartbeatIntervalMs: 0, store: { kind: 'memory' } } });
    const otherClient = createTestClient(other);
    try {
      await join('shared-name', 'alice');
      const bob = await otherClient.websocket('/chat/shared-name?user=bob');
      await bob.receiveJson();
      expect((await client.get('/rooms/shared-name/members')).json()).toMatchObject({ size: 1 });
      expect((await otherClient.get('/rooms/shared-name/members')).json()).toMatchObject({ size: 1 });
      expect(app.container.resolve(Rooms)).not.toBe(other.container.resolve(Rooms));
    } finally {
      await otherClient.close();
    }
  });

  it('closes a member that stops reading with 1013 while the others get every message', async () => {
    const fast = await join('firehose', 'fast');
    const url = `${(await client.baseUrl()).replace('http', 'ws')}/chat/firehose?user=slow`;
    const slow = new WsClient(url);
    const slowJoined = new Promise<void>((resolve) => slow.once('message', () => resolve()));
    await slowJoined;
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const codes: number[] = [];
    const slowEnded = new Promise<void>((resolve) => {
      const off = app.on<{ code: number }>('app.websocket.end', ({ code }) => {
        codes.push(code);
        off();
        resolve();
      });
    });
    const rooms = app.container.resolve(Rooms);
    const chunk = 'x'.repeat(16 * 1024);
    const count = 2000; // 32 MiB: far past the kernel's buffers and the route's 1 MiB max_buffered_bytes
    let received = 0;
    const all = new Promise<void>((resolve, reject) => {
      void (async () => {
        while (received < count) {
          const message = await fast.receive();
          if (message !== chunk) reject(new Error(`unexpected message ${String(message).slice(0, 40)}`));
          received += 1;
        }
        resolve();
      })();
    });
    for (let i = 0; i < count; i += 1) {
      rooms.broadcast('firehose', chunk);
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    await slowEnded;
    expect(codes).toEqual([1013]);
    expect(received).toBe(count);
    slow.terminate();
  });
});
