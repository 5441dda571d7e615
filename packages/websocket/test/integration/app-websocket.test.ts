import { createApp, createTestClient, loadProject, Logger, type App, type TestClient } from '@serv/core';
import { WebSocketHandshakeError } from '@serv/websocket';
import { join } from 'node:path';
import { RoomEcho } from './fixtures/echo-handlers';

const silent = new Logger('test', 'silent');

async function decoratedApp(): Promise<App> {
  return createApp({ routes: [RoomEcho], logger: silent, settings: { heartbeatIntervalMs: 0 } });
}

async function yamlApp(): Promise<App> {
  return loadProject({ cwd: join(__dirname, 'fixtures', 'yaml-app'), logger: silent });
}

describe.each([
  ['decorator', decoratedApp, '/ws/lobby', null],
  ['YAML', yamlApp, '/yaml/ws/lobby', 'hello'],
])('a WebSocket handler registered by %s', (_source, makeApp, path, greeting) => {
  let client: TestClient;

  beforeEach(async () => {
    client = createTestClient(await makeApp());
  });

  afterEach(() => client.close());

  it('echoes with its path parameter and settings', async () => {
    const ws = await client.websocket(path);
    await ws.send('hi');
    expect(await ws.receiveJson()).toEqual({ room: 'lobby', echo: 'hi', greeting });
    await ws.close();
    expect(await ws.closed).toEqual({ code: 1000, reason: '' });
  });

  it('closes 1000 when the handler returns', async () => {
    const ws = await client.websocket(path);
    await ws.send('bye');
    expect(await ws.closed).toEqual({ code: 1000, reason: '' });
  });

  it('closes 1011 when the handler throws and keeps serving', async () => {
    const ws = await client.websocket(path);
    await ws.send('boom');
    expect(await ws.closed).toEqual({ code: 1011, reason: 'Internal server error' });
    const next = await client.websocket(path);
    await next.send('again');
    expect(await next.receiveJson()).toEqual({ room: 'lobby', echo: 'again', greeting });
    await next.close();
  });

  it('answers HTTP 401 when the handler closes 4401 before accepting', async () => {
    const error = await client.websocket(`${path}?token=bad`).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(WebSocketHandshakeError);
    expect((error as WebSocketHandshakeError).status).toBe(401);
  });

  it('answers HTTP 403 naming the path when no route matches', async () => {
    const error = (await client.websocket('/nowhere').catch((err: unknown) => err)) as WebSocketHandshakeError;
    expect(error.status).toBe(403);
    expect(error.body).toBe('No WebSocket route matches /nowhere');
  });
});

describe('YAML function handlers and app lifecycle', () => {
  it('calls a plain function handler with (ws, ctx)', async () => {
    const client = createTestClient(await yamlApp());
    try {
      const ws = await client.websocket('/yaml/fn/r1');
      await ws.send('yo');
      expect(await ws.receiveText()).toBe('Echo: yo in r1');
      await ws.close();
    } finally {
      await client.close();
    }
  });

  it('lists both WebSocket routes in the route table with their YAML source', async () => {
    const app = await yamlApp();
    expect(app.routeTable().map((r) => [r.methods.join(','), r.path, r.handler])).toEqual([
      ['WS', '/yaml/ws/{room_id}', 'RoomEcho.handle'],
      ['WS', '/yaml/fn/{room_id}', 'functionEcho'],
    ]);
    expect(app.routeTable()[0].source).toMatch(/extensions[\\/]echo[\\/]extension\.yaml routers\[0\]\.routes\[0\]$/);
  });

  it('emits app.websocket.begin and app.websocket.end with the close code', async () => {
    const app = await decoratedApp();
    const seen: string[] = [];
    const ended = new Promise<void>((resolve) => {
      app.on('app.websocket.begin', () => {
        seen.push('begin');
      });
      app.on<{ code: number }>('app.websocket.end', (p) => {
        seen.push(`end ${p.code}`);
        resolve();
      });
    });
    const client = createTestClient(app);
    try {
      const ws = await client.websocket('/ws/a');
      await ws.send('bye');
      await ws.closed;
      await ended;
      expect(seen).toEqual(['begin', 'end 1000']);
    } finally {
      await client.close();
    }
  });

  it('closes 100 open connections with 1001 on app.close()', async () => {
    const app = await decoratedApp();
    const client = createTestClient(app);
    const sockets = await Promise.all(Array.from({ length: 100 }, (_, i) => client.websocket(`/ws/r${i}`)));
    await Promise.all(sockets.map(async (s, i) => {
      await s.send('ping');
      expect(await s.receiveJson()).toEqual({ room: `r${i}`, echo: 'ping', greeting: null });
    }));
    await client.close();
    const closes = await Promise.all(sockets.map((s) => s.closed));
    expect(closes.every((c) => c.code === 1001 && c.reason === 'Server shutting down')).toBe(true);
  });
});

describe('registering a @WebSocketRoute class as the wrong kind', () => {
  it('says what to write instead of "not an HTTP route"', () => {
    const app = createApp({ logger: silent });
    expect(() => app.register(RoomEcho, { kind: 'http', source: 'src/app.ts' })).toThrow(
      'src/app.ts: RoomEcho is a @WebSocketRoute class, not an HTTP route; register it without kind \'http\' or methods ' +
        '(app.register(RoomEcho)), or in YAML drop "methods" and "websocket: false"',
    );
  });
});
