import { once } from 'node:events';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { cacheEnv } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';

jest.setTimeout(30_000);

const FIXTURE = join(__dirname, '..', 'fixtures', 'decorated');

/** Opens a WebSocket, sends `message`, and resolves with the first reply (or the close when the server closes first). */
async function exchange(url: string, message: string | Buffer): Promise<{ data?: string | Buffer; binary?: boolean; close?: number }> {
  const ws = new WebSocket(url);
  await once(ws, 'open');
  ws.send(message);
  const reply: { data?: string | Buffer; binary?: boolean; close?: number } = await Promise.race([
    once(ws, 'message').then(([data, binary]) => ({ data: binary ? (data as Buffer) : String(data), binary: binary as boolean })),
    once(ws, 'close').then(([code]) => ({ close: code as number })),
  ]);
  if (reply.close === undefined) {
    ws.close();
    await once(ws, 'close');
  }
  return reply;
}

describe('an extension whose main.ts holds only decorated classes', () => {
  let dir: string;
  let cache: Record<string, string>;
  let server: ServProcess | undefined;
  let base: string;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('serv-decorated-');
    cpSync(FIXTURE, dir, { recursive: true });
    cache = cacheEnv(dir);
    server = new ServProcess(['launch'], { cwd: dir, env: cache });
    base = (await server.listening()).url;
  });
  afterAll(async () => {
    await server?.stop();
    removeTempDir(dir);
  });

  it('lists every discovered route with its main.ts:LINE source, and YAML-named classes once with their YAML source', async () => {
    const result = await runServ(['routes'], { cwd: dir, env: cache });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'METHOD  PATH                      HANDLER           SOURCE',
        'GET     /items/{id:int}           ItemRoute.get     extensions/deco/main.ts:5',
        'POST    /items/{id:int}           ItemRoute.post    extensions/deco/main.ts:5',
        'GET     /files/{rest:path}        FileRoute.get     extensions/deco/main.ts:18',
        'GET     /api/v{version:int}/ping  VersionRoute.get  extensions/deco/main.ts:26',
        'WS      /deco/echo/{room}         RoomEcho.handle   extensions/deco/main.ts:34',
        'WS      /deco/bytes               BytesEcho.handle  extensions/deco/main.ts:42',
        'GET     /v2/mounted               MountedRoute.get  extensions/mixed/extension.yaml routers[0].routes[0]',
        'GET     /plain                    PlainRoute.get    extensions/mixed/extension.yaml routers[1].routes[0]',
        'GET     /found                    FoundRoute.get    extensions/mixed/main.ts:20',
        '9 routes: 7 HTTP, 2 WebSocket',
        '',
      ].join('\n'),
    );
  });

  it('answers the HTTP routes with typed path parameters, @Body, @Query and @Header', async () => {
    expect(await (await fetch(`${base}/items/42`)).json()).toEqual({ id: 42, type: 'number' });
    expect((await fetch(`${base}/items/forty-two`)).status).toBe(404);
    const posted = await fetch(`${base}/items/7?tag=new`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token': 'secret' },
      body: JSON.stringify({ name: 'lamp' }),
    });
    expect(await posted.json()).toEqual({ id: 7, name: 'lamp', tag: 'new', token: 'secret' });
    expect(await (await fetch(`${base}/files/docs/guide/intro.md`)).text()).toBe('file docs/guide/intro.md');
    expect(await (await fetch(`${base}/api/v3/ping`)).json()).toEqual({ version: 3 });
  });

  it('answers the WebSocket routes with path parameters, binary frames and the decorator maxMessageBytes', async () => {
    const wsBase = base.replace(/^http/, 'ws');
    expect(await exchange(`${wsBase}/deco/echo/lobby`, 'hi')).toEqual({ data: 'lobby: hi', binary: false });
    expect(await exchange(`${wsBase}/deco/bytes`, Buffer.from([1, 2, 3]))).toEqual({ data: Buffer.from([60, 1, 2, 3]), binary: true });
    expect(await exchange(`${wsBase}/deco/bytes`, Buffer.alloc(17))).toEqual({ close: 1009 });
  });

  it('serves a YAML-mounted class only under its mount, and a YAML route without path at its decorator path', async () => {
    expect(await (await fetch(`${base}/v2/mounted`)).text()).toBe('mounted');
    expect((await fetch(`${base}/mounted`)).status).toBe(404);
    expect(await (await fetch(`${base}/plain`)).text()).toBe('hello from plain');
    expect(await (await fetch(`${base}/found`)).text()).toBe('found by discovery');
  });
});

describe('discovery errors and opting out', () => {
  let dir: string;
  let cache: Record<string, string>;

  beforeEach(() => {
    assertBuilt();
    dir = makeTempDir('serv-decorated-bad-');
    cpSync(FIXTURE, dir, { recursive: true });
    cache = cacheEnv(dir);
  });
  afterEach(() => removeTempDir(dir));

  const mixedYaml = (routes: string, extra = ''): void =>
    writeFileSync(join(dir, 'extensions', 'mixed', 'extension.yaml'), `name: Mixed\nversion: 1.0.0\n${extra}routers:\n  - name: r\n    routes:\n${routes}`);

  it('refuses a YAML route that collides with a decorated class, naming both sources', async () => {
    writeFileSync(join(dir, 'extensions', 'mixed', 'more.ts'), 'export function items(): string {\n  return "yaml";\n}\n');
    mixedYaml('      - path: /items/{n:int}\n        handler: more:items\n');
    const result = await runServ(['routes'], { cwd: dir, env: cache });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'GET /items/{n:int} is declared twice: by extensions/deco/main.ts:5 and by extensions/mixed/extension.yaml routers[0].routes[0]; remove one of them or change its path',
    );
  });

  it('refuses websocket: false on a @WebSocketRoute class, naming the file and key', async () => {
    mixedYaml('      - handler: main:MountedRoute\n      - path: /again\n        handler: ../deco/main:RoomEcho\n        websocket: false\n');
    const result = await runServ(['routes'], { cwd: dir, env: cache });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'extensions/mixed/extension.yaml: routers[0].routes[1].websocket: false contradicts @WebSocketRoute on ../deco/main:RoomEcho; ' +
        'remove "websocket: false" (a @WebSocketRoute class is always a WebSocket route)',
    );
  });

  it('registers nothing from main.ts with discover: false, leaving YAML the only source', async () => {
    mixedYaml('      - handler: main:PlainRoute\n', 'discover: false\n');
    const result = await runServ(['routes'], { cwd: dir, env: cache });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GET     /plain                    PlainRoute.get    extensions/mixed/extension.yaml routers[0].routes[0]\n');
    expect(result.stdout).not.toContain('/found');
    expect(result.stdout).not.toContain('/mounted');
  });

  it('refuses a !!js/function tag in serv.config.yaml without running it', async () => {
    writeFileSync(join(dir, 'serv.config.yaml'), 'site_info:\n  name: !!js/function "function () { process.exit(7) }"\nextensions: [deco]\n');
    const result = await runServ(['routes'], { cwd: dir, env: cache });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('serv.config.yaml: invalid YAML at line 2, column 56: unknown tag !<tag:yaml.org,2002:js/function>');
  });
});
