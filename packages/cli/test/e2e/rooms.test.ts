import { connectTestWebSocket, type TestWebSocket } from '@serv/websocket';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
import { deleteKeys, REDIS_URL, redisAvailable, uniquePrefix } from '../../../websocket/test/helpers/redis';
import { cacheEnv } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, ServProcess } from '../helpers/serv-process';

jest.setTimeout(60_000);

// The same chat handler and HTTP routes the in-process rooms tests use, launched here as a user's extension.
const CHAT_SOURCE = readFileSync(resolve(__dirname, '../../../websocket/test/rooms/fixtures/chat.ts'), 'utf8');

const EXTENSION_YAML = `name: chat
version: 1.0.0
routers:
  - name: rooms
    routes:
      - handler: main:ChatHandler
        websocket: true
      - handler: main:RoomsApi
`;

/** A project whose one extension is the rooms chat, with `settings` appended to serv.config.yaml. */
function writeRoomsProject(dir: string, settings: string): void {
  mkdirSync(join(dir, 'extensions', 'chat'), { recursive: true });
  writeFileSync(join(dir, 'serv.config.yaml'), `extensions: [chat]\nsettings:\n  heartbeat_interval_ms: 0\n${settings}`);
  writeFileSync(join(dir, 'extensions', 'chat', 'extension.yaml'), EXTENSION_YAML);
  writeFileSync(join(dir, 'extensions', 'chat', 'main.ts'), CHAT_SOURCE);
}

function getJson<T>(url: string): Promise<T> {
  return new Promise((resolveJson, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolveJson(JSON.parse(body) as T));
    }).on('error', reject);
  });
}

interface Joined {
  ws: TestWebSocket;
  user: string;
  instance: string;
}

async function joinChat(port: number, room: string, user: string): Promise<Joined> {
  const ws = await connectTestWebSocket(`ws://127.0.0.1:${port}/chat/${room}?user=${user}`);
  const { instance } = await ws.receiveJson<{ instance: string }>();
  return { ws, user, instance };
}

interface MemberList {
  members: Array<{ meta: { user: string }; instance: string }>;
  size: number;
}

describe('rooms under serv launch', () => {
  let dir: string;
  const servers: ServProcess[] = [];
  const sockets: TestWebSocket[] = [];

  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = makeTempDir('serv-rooms-');
  });
  afterEach(async () => {
    for (const ws of sockets.splice(0)) await ws.close().catch(() => undefined);
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    removeTempDir(dir);
  });

  function launch(args: string[] = []): ServProcess {
    const server = new ServProcess(['launch', '--port', '0', ...args], { cwd: dir, env: cacheEnv(dir) });
    servers.push(server);
    return server;
  }

  it('spans --workers 2 with the default memory broker: messages and presence cross workers', async () => {
    writeRoomsProject(dir, '');
    const { port, url } = await launch(['--workers', '2']).listening();
    const joined: Joined[] = [];
    // The primary hands connections to workers in turn; keep joining until both workers have a member.
    for (let i = 0; i < 20 && new Set(joined.map((j) => j.instance)).size < 2; i += 1) {
      const member = await joinChat(port, 'hall', `u${i}`);
      sockets.push(member.ws);
      joined.push(member);
    }
    const instances = [...new Set(joined.map((j) => j.instance))];
    expect(instances).toHaveLength(2);
    const x = joined.find((j) => j.instance === instances[0]) as Joined;
    const y = joined.find((j) => j.instance === instances[1]) as Joined;

    await x.ws.send('pub:from x');
    await y.ws.send('pub:from y');
    const firstOrder: string[] = [];
    for (const member of joined) {
      const texts = [(await member.ws.receiveJson<{ data: { text: string } }>()).data.text, (await member.ws.receiveJson<{ data: { text: string } }>()).data.text];
      if (firstOrder.length === 0) firstOrder.push(...texts);
      expect(texts).toEqual(firstOrder); // one order for every member on both workers
    }
    expect([...firstOrder].sort()).toEqual(['from x', 'from y']);

    await y.ws.send('bc:typing');
    for (const member of joined) if (member !== y) expect(await member.ws.receive()).toBe(`${y.user}: typing`);

    const list = await getJson<MemberList>(`${url}/rooms/hall/members`);
    expect(list.size).toBe(joined.length);
    expect(new Set(list.members.map((m) => m.instance))).toEqual(new Set(instances));
    expect(list.members.map((m) => m.meta.user).sort()).toEqual(joined.map((j) => j.user).sort());
  });

  const describeRedis = redisAvailable('rooms under serv launch with the Redis broker') ? describe : describe.skip;

  describeRedis('with the Redis broker', () => {
    const prefix = uniquePrefix('launch');
    afterAll(() => deleteKeys(prefix));

    it('joins two instances through Redis, and drops a kill -9ed instance’s members within presence_ttl_ms', async () => {
      const ttl = 1000;
      writeRoomsProject(dir, `  presence_ttl_ms: ${ttl}\n  broker: { kind: redis, url: "${REDIS_URL}", prefix: "${prefix}" }\n`);
      const a = launch();
      const b = launch();
      const [atA, atB] = await Promise.all([a.listening(), b.listening()]);
      const alice = await joinChat(atA.port, 'plaza', 'alice');
      const bob = await joinChat(atB.port, 'plaza', 'bob');
      sockets.push(alice.ws, bob.ws);
      expect(alice.instance).not.toBe(bob.instance);

      await alice.ws.send('pub:hello bob');
      expect(await bob.ws.receiveJson()).toMatchObject({ room: 'plaza', offset: 1, data: { user: 'alice', text: 'hello bob' } });
      expect(await alice.ws.receiveJson()).toMatchObject({ room: 'plaza', offset: 1 });
      await bob.ws.send('bc:hi alice');
      expect(await alice.ws.receive()).toBe('bob: hi alice');
      const both = await getJson<MemberList>(`${atA.url}/rooms/plaza/members`);
      expect(both.members.map((m) => m.meta.user).sort()).toEqual(['alice', 'bob']);
      expect(await getJson(`${atB.url}/rooms`)).toMatchObject({ rooms: ['plaza'] });

      // What bounds the drop-out: B's liveness key, which B refreshes while it lives, never has more than
      // presence_ttl_ms left, and nobody refreshes it once B is dead. Read just before the kill (read after it, on a
      // slow run the key may already have expired).
      const { createClient } = await import('redis');
      const probe = createClient({ url: REDIS_URL });
      await probe.connect();
      const left = Number(await probe.pTTL(`${prefix}instance:${bob.instance}`));
      const killed = Date.now();
      b.child.kill('SIGKILL');
      await probe.close();
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(ttl);
      let list = both;
      // Polled (each poll is a real request to instance A); the assertion is on how long the member stayed listed.
      while (list.size > 1 && Date.now() - killed < ttl * 3) {
        await new Promise((next) => setTimeout(next, 25));
        list = await getJson<MemberList>(`${atA.url}/rooms/plaza/members`);
      }
      const elapsed = Date.now() - killed;
      expect(list.members.map((m) => m.meta.user)).toEqual(['alice']);
      // Plus the polling's own latency, generous on a loaded machine: the bound itself is the PTTL checked above.
      expect(elapsed).toBeLessThanOrEqual(ttl + 1000);
      await alice.ws.send('pub:still here');
      expect(await alice.ws.receiveJson()).toMatchObject({ offset: 2, data: { text: 'still here' } });
    });
  });
});
