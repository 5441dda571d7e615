/**
 * docs/deployment.md, run: a real nginx with the documented configuration (read out of the doc) in front of two
 * `serv launch` instances sharing Redis (broker, sessions) and PostgreSQL (history).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { parse } from 'yaml';
import { deleteKeys, REDIS_URL, redisAvailable, uniquePrefix } from '../../../websocket/test/helpers/redis';
import { dropTables, POSTGRES_URL, postgresAvailable, uniqueTablePrefix } from '../../../websocket/test/helpers/stores';
import { freePorts } from '../helpers/free-ports';
import { deploymentBlock, documentedNginx, findOrInstallNginx, NginxProcess, TLS_DIR } from '../helpers/nginx';
import { RoomClient } from '../helpers/room-client';
import { cacheEnv } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, ServProcess } from '../helpers/serv-process';

jest.setTimeout(120_000);

const SUITE = 'serv launch behind nginx (docs/deployment.md)';
const FIXTURE = resolve(__dirname, '..', 'fixtures', 'nginx');
const CA_FILE = join(TLS_DIR, 'cert.pem');
const CA = readFileSync(CA_FILE);
/** The test's clients connect from here, so the proxy's address (127.0.0.1) and the client's can be told apart. */
const CLIENT_ADDRESS = '127.0.0.2';
const APP_YAML = '# serv.config.yaml: the same file on every instance';
const SITE = '# /etc/nginx/conf.d/serv.conf';

interface Reply<T> {
  status: number;
  headers: IncomingHttpHeaders;
  json: T;
}

/** One request from CLIENT_ADDRESS without keep-alive (so nginx balances each one), trusting the test certificate. */
function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const options = { method, agent: false, localAddress: CLIENT_ADDRESS, ca: CA, headers: { 'content-type': 'application/json', ...headers } };
    const req = send(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, json: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A WebSocket handshake from CLIENT_ADDRESS with `headers`; resolves with its HTTP status (101 when accepted). */
function handshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, { headers, localAddress: CLIENT_ADDRESS, ca: CA });
    ws.on('open', () => {
      ws.on('close', () => done(101));
      ws.close();
    });
    ws.on('unexpected-response', (req, res) => {
      done(res.statusCode ?? 0);
      req.destroy();
    });
    ws.on('error', fail);
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const nginxBinary = redisAvailable(SUITE) && postgresAvailable(SUITE) ? findOrInstallNginx(SUITE) : undefined;
const describeNginx = nginxBinary === undefined ? describe.skip : describe;

describeNginx(SUITE, () => {
  const prefix = uniquePrefix('nginx');
  const tables = uniqueTablePrefix('nginx');
  const clients: RoomClient[] = [];
  let dir: string;
  let nginx: NginxProcess | undefined;
  let servers: ServProcess[] = [];
  let http: string; // nginx's plain HTTP address
  let https: string; // nginx's TLS address: the app's public origin
  const instances = new Map<string, ServProcess>(); // instance id → its process

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('serv-nginx-');
    cpSync(join(FIXTURE, 'extensions'), join(dir, 'extensions'), { recursive: true });
    const config = parse(deploymentBlock('yaml', APP_YAML)) as { settings: Record<string, Record<string, unknown>> };
    const settings = config.settings;
    settings.broker = { ...settings.broker, url: REDIS_URL, prefix };
    settings.store = { ...settings.store, url: POSTGRES_URL, prefix: tables };
    settings.sessions!.store = { ...(settings.sessions!.store as object), url: REDIS_URL, key_prefix: prefix };
    writeFileSync(join(dir, 'serv.config.yaml'), JSON.stringify(config, null, 2)); // JSON is YAML
    const env = { ...cacheEnv(dir), SERV_SESSION_SECRET: randomBytes(32).toString('hex') };
    servers = [0, 1].map(() => new ServProcess(['launch', '--port', '0'], { cwd: dir, env }));
    const [a, b] = await Promise.all(servers.map((s) => s.listening()));
    for (const [i, at] of [a!, b!].entries()) instances.set((await call<{ instance: string }>('GET', `${at.url}/whoami`)).json.instance, servers[i]!);

    const [httpPort, httpsPort] = await freePorts(2); // nginx cannot listen on port 0 and report the port
    nginx = new NginxProcess(nginxBinary!, join(dir, 'nginx'), documentedNginx({ upstreams: [a!.port, b!.port], httpPort: httpPort!, httpsPort: httpsPort! }));
    await nginx.ready();
    http = `http://127.0.0.1:${httpPort}`;
    https = `https://127.0.0.1:${httpsPort}`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await deleteKeys(prefix);
    await dropTables(tables);
    removeTempDir(dir);
  });

  /** A resuming chat client through nginx, from CLIENT_ADDRESS; resolves once it has joined. */
  async function member(room: string): Promise<RoomClient> {
    const client = new RoomClient(`${https.replace('https', 'wss')}/chat/${room}`, CLIENT_ADDRESS, CA_FILE);
    clients.push(client);
    await client.until(() => client.joins.length > 0, 'joining');
    return client;
  }

  /** Clients join `room` until each instance holds `each` of them (round robin: about 2 × each; at most 8 × each). */
  async function joinBoth(room: string, each: number): Promise<RoomClient[]> {
    const joined: RoomClient[] = [];
    const count = (id: string): number => joined.filter((c) => c.instance === id).length;
    for (let i = 0; i < 8 * each && [...instances.keys()].some((id) => count(id) < each); i += 1) joined.push(await member(room));
    for (const id of instances.keys()) expect(count(id)).toBeGreaterThanOrEqual(each);
    return joined;
  }

  it('sets proxy timeouts longer than the heartbeat it documents', () => {
    const { settings } = parse(deploymentBlock('yaml', APP_YAML)) as { settings: Record<string, number> };
    const site = deploymentBlock('nginx', SITE);
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const seconds = Number(new RegExp(`${directive}\\s+(\\d+)s;`).exec(site)?.[1]);
      expect(seconds * 1000).toBeGreaterThan(settings.heartbeat_interval_ms! + settings.heartbeat_timeout_ms!);
    }
  });

  it('redirects plain HTTP to HTTPS and serves the app over TLS, balanced over both instances', async () => {
    const redirect = await call('GET', `${http}/whoami?x=1`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('https://127.0.0.1/whoami?x=1');
    const seen = new Set<string>();
    for (let i = 0; i < 8 && seen.size < 2; i += 1) {
      const { status, json } = await call<{ instance: string; peer: string; proto: string }>('GET', `${https}/whoami`);
      expect(status).toBe(200);
      expect(json).toMatchObject({ peer: '127.0.0.1', proto: 'https' });
      seen.add(json.instance);
    }
    expect(seen).toEqual(new Set(instances.keys()));
  });

  it('gives the app the real client address (127.0.0.2), not the proxy’s, through trust_proxy', async () => {
    // The client's own X-Forwarded-For is replaced by nginx, never believed.
    const { json } = await call<{ client: string; peer: string }>('GET', `${https}/whoami`, undefined, { 'x-forwarded-for': '203.0.113.9' });
    const publicHost = https.slice('https://'.length);
    expect(json).toEqual(expect.objectContaining({ client: CLIENT_ADDRESS, scheme: 'https', host: publicHost, peer: '127.0.0.1' }));
    const joined = await member('addresses');
    expect(joined.joins[0]!.client).toBe(CLIENT_ADDRESS);
  });

  it('keeps a session across instances without sticky sessions (sessions live in Redis)', async () => {
    const written = await call<{ instance: string }>('POST', `${https}/session`, { note: 'kept' });
    const cookie = String(written.headers['set-cookie']?.[0]).split(';')[0]!;
    let read = await call<{ instance: string; note: string | null }>('GET', `${https}/session`, undefined, { cookie });
    for (let i = 0; i < 8 && read.json.instance === written.json.instance; i += 1) read = await call<typeof read.json>('GET', `${https}/session`, undefined, { cookie });
    expect(read.json.instance).not.toBe(written.json.instance);
    expect(read.json.note).toBe('kept');
    // A browser's handshake carries the cookie and the page's origin: the same origin as the Host nginx passes on.
    const status = await handshake(`${https.replace('https', 'wss')}/chat/session`, { cookie, origin: https });
    expect(status).toBe(101);
    expect(await handshake(`${https.replace('https', 'wss')}/chat/session`, { cookie, origin: 'https://elsewhere.example' })).toBe(403);
  });

  it('passes WebSocket upgrades through: two clients on different instances talk in one room', async () => {
    const all = await joinBoth('talk', 1);
    const [x, y] = [...instances.keys()].map((id) => all.find((c) => c.instance === id)!) as [RoomClient, RoomClient];
    x.send('pub:hello from x');
    await Promise.all([x, y].map((c) => c.until(() => c.envelopes.length >= 1, 'the first message')));
    y.send('pub:hello from y');
    await Promise.all([x, y].map((c) => c.until(() => c.envelopes.length >= 2, 'the second message')));
    for (const c of [x, y]) {
      expect(c.envelopes.map((e) => [e.offset, (e.data as { text: string }).text])).toEqual([[1, 'hello from x'], [2, 'hello from y']]);
    }
  });

  it('moves the clients of a kill -9ed instance to the other one, every message delivered exactly once in offset order', async () => {
    const members = await joinBoth('resume', 2);
    const publish = async (from: number, to: number): Promise<void> => {
      for (const i of range(from, to)) {
        const { status, json } = await call<{ offset: number }>('POST', `${https}/rooms/resume`, { i });
        expect([status, json.offset]).toEqual([200, i]);
      }
    };
    const everyoneHas = (n: number): Promise<void[]> => Promise.all(members.map((c) => c.until(() => c.envelopes.length >= n, `${n} messages`)));

    await publish(1, 20);
    await everyoneHas(20);
    const [victimId, survivorId] = [...instances.keys()] as [string, string];
    const moved = members.filter((c) => c.instance === victimId);
    await instances.get(victimId)!.stop('SIGKILL');
    await publish(21, 40); // while the victim's clients reconnect: they get these by resuming
    await Promise.all(moved.map((c) => c.until(() => c.joins.length === 2, 'rejoining')));
    await publish(41, 50); // after: live
    await everyoneHas(50);

    for (const c of members) expect(c.offsets).toEqual(range(1, 50));
    for (const c of moved) expect(c.joins[1]).toMatchObject({ instance: survivorId, recovered: true });
    for (const c of members.filter((m) => !moved.includes(m))) expect(c.joins).toHaveLength(1);
  });
});
