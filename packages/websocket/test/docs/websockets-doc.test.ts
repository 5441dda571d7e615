import { Body, createApp, createTestClient, Inject, loadProject, Logger, RouteDefinitionError, type App, type TestClient } from '@serv/core';
import {
  ConnectionContext,
  connectTestWebSocket,
  WebSocket,
  WebSocketRoute,
  type WebSocketEndInfo,
} from '@serv/websocket';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BroadcastHandler } from './examples/broadcast';
import { RoomHandler } from './examples/room-handler';

/**
 * Backs docs/websockets.md: its tagged code blocks must be the files under ./examples (which run: the Jest example is
 * examples/room-handler.test.ts, the YAML project is loaded below), and the tables' answers are checked here.
 */

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'websockets.md');
const EXAMPLES = join(__dirname, 'examples');
const silent = new Logger('test', 'silent');

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

/** Every `<!-- example: path -->` fenced block of the doc, by path. */
function exampleBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of markdown.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    blocks.set(match[1] as string, `${match[2] as string}\n`);
  }
  return blocks;
}

/** A route whose answer to the handshake is chosen by `?do=`. */
@WebSocketRoute('/answers')
class Answers {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    switch (ws.query.do) {
      case '4401':
        return ws.close(4401, 'Unauthorized');
      case '4429':
        return ws.close(4429);
      case '1008':
        return ws.close(1008, 'Policy');
      case 'return':
        return;
      case 'throw':
        throw new Error('boom before accept');
      case 'throw-open':
        await ws.accept();
        throw new Error('boom after accept');
      default:
        await ws.accept();
        for await (const message of ws) await ws.send(message);
    }
  }
}

describe('docs/websockets.md', () => {
  const clients: TestClient[] = [];

  function clientFor(app: App): TestClient {
    const client = createTestClient(app);
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('shows exactly the example files that the tests run', () => {
    const blocks = exampleBlocks(readFileSync(DOC, 'utf8'));
    expect([...blocks.keys()].sort()).toEqual([
      'examples/broadcast.ts',
      'examples/extensions/rooms/extension.yaml',
      'examples/extensions/rooms/main.ts',
      'examples/room-handler.test.ts',
      'examples/room-handler.ts',
      'examples/serv.config.yaml',
    ]);
    for (const [file, code] of blocks) expect(code).toBe(readFileSync(join(__dirname, file), 'utf8'));
  });

  describe('the YAML project', () => {
    it('serves the decorated class with the router config as @Settings()', async () => {
      const client = clientFor(await loadProject({ cwd: EXAMPLES, env: {}, logger: silent }));
      const ws = await client.websocket('/chat/ws/lobby?token=let-me-in');
      expect(await ws.receiveJson()).toEqual({ type: 'welcome', room: 'lobby', greeting: 'Welcome' });
      await ws.send('hi');
      expect(await ws.receiveText()).toBe('[lobby] hi');
      const refused = await client.websocket('/chat/ws/lobby').catch((err: unknown) => err);
      expect(refused).toMatchObject({ status: 401, body: 'Unauthorized' });
    });

    it('calls the plain function as (ws, ctx) with Buffers in and binary frames out', async () => {
      const client = clientFor(await loadProject({ cwd: EXAMPLES, env: {}, logger: silent }));
      const ann = await client.websocket('/chat/echo', { headers: { cookie: 'user=ann' } });
      await ann.send('hi'); // a text frame; frame_type: binary hands it to the handler as a Buffer
      expect(await ann.receive()).toEqual(Buffer.from('Echo ann: hi'));
      const bob = await client.websocket('/chat/echo', { headers: { 'X-User': 'bob' } });
      await bob.send(Buffer.from([1, 2]));
      expect(await bob.receiveBytes()).toEqual(Buffer.concat([Buffer.from('Echo bob: '), Buffer.from([1, 2])]));
    });

    it('resolves limits as YAML route key > decorator option > settings > default', async () => {
      const app = await loadProject({ cwd: EXAMPLES, env: {}, logger: silent });
      app.prepare();
      const options = (path: string) => app.routes.all().find((route) => route.path === path)?.options;
      expect(options('/chat/ws/{room_id}')).toEqual({
        frameType: 'text',
        maxMessageBytes: 65536, // the decorator's 64 KiB beats settings.max_message_bytes
        rateLimitMessages: 20, // YAML route keys
        rateLimitIntervalMs: 1000,
        heartbeatIntervalMs: 15000, // settings
        heartbeatTimeoutMs: 10000, // defaults
        sendHighWaterBytes: 1048576,
        maxBufferedBytes: 8388608,
        sendTimeoutMs: 30000,
        messageTimeoutMs: 30000,
        origins: [],
      });
      expect(options('/chat/echo')).toMatchObject({ frameType: 'binary', maxMessageBytes: 16384, rateLimitMessages: 1000 });
    });
  });

  describe('handshake answers', () => {
    it.each([
      ['/nowhere', 403, 'No WebSocket route matches /nowhere'],
      ['/answers?do=4401', 401, 'Unauthorized'],
      ['/answers?do=4429', 429, 'Too Many Requests'],
      ['/answers?do=1008', 403, 'Policy'],
      ['/answers?do=return', 403, 'Forbidden'],
      ['/answers?do=throw', 500, 'Internal Server Error'],
    ])('%s is answered with HTTP %i "%s"', async (path, status, body) => {
      const client = clientFor(createApp({ routes: [Answers], logger: silent }));
      const error = await client.websocket(path).catch((err: unknown) => err);
      expect(error).toMatchObject({ name: 'WebSocketHandshakeError', status, body });
    });

    it('answers 403 to an origin outside settings.origins and 503 past max_connections', async () => {
      const app = createApp({ routes: [Answers], logger: silent, settings: { origins: ['https://chat.example'], maxConnections: 1 } });
      const client = clientFor(app);
      const evil = await client.websocket('/answers', { headers: { origin: 'https://evil.example' } }).catch((e: unknown) => e);
      expect(evil).toMatchObject({ status: 403, body: 'Origin https://evil.example is not allowed' });
      const first = await client.websocket('/answers', { headers: { origin: 'https://CHAT.example/' } });
      const second = await client.websocket('/answers').catch((err: unknown) => err);
      expect(second).toMatchObject({ status: 503, body: 'Server is at max_connections (1)' });
      await first.close();
    });
  });

  it('closes 1011 "Internal server error" when the handler throws, and reports the error in app.websocket.end', async () => {
    const app = createApp({ routes: [Answers], logger: silent });
    const ended = deferred<WebSocketEndInfo>();
    app.on<WebSocketEndInfo>('app.websocket.end', (payload) => ended.resolve(payload));
    const ws = await clientFor(app).websocket('/answers?do=throw-open');
    expect(await ws.closed).toEqual({ code: 1011, reason: 'Internal server error' });
    const info = await ended.promise;
    expect(info).toMatchObject({ code: 1011, reason: 'Internal server error' });
    expect((info.error as Error).message).toBe('boom after accept');
  });

  it('emits app.websocket.begin/end and logs one line per open and close in debug mode', async () => {
    const lines: string[] = [];
    const logger = new Logger('serv', 'debug', (_level, line) => lines.push(line));
    const app = createApp({ routes: [RoomHandler], logger, settings: { debug: true } });
    const begun = deferred<{ app: App; ws: WebSocket; ctx: ConnectionContext }>();
    const ended = deferred<WebSocketEndInfo & { app: App; ws: WebSocket; ctx: ConnectionContext }>();
    app.on('app.websocket.begin', begun.resolve);
    app.on('app.websocket.end', ended.resolve);
    const ws = await clientFor(app).websocket('/ws/r?token=let-me-in');
    await ws.receiveJson();
    await ws.close(1000, 'bye');
    const begin = await begun.promise;
    expect(begin.app).toBe(app);
    expect(begin.ws).toBeInstanceOf(WebSocket);
    expect(begin.ctx).toBeInstanceOf(ConnectionContext);
    const end = await ended.promise;
    expect(end).toMatchObject({ app, ws: begin.ws, ctx: begin.ctx, code: 1000, reason: 'bye' });
    expect(end.durationMs).toEqual(expect.any(Number));
    expect('error' in end).toBe(false);
    const wsLines = lines.filter((line) => line.includes(' WebSocket '));
    expect(wsLines).toHaveLength(2);
    expect(wsLines[0]).toMatch(/ DEBUG \[serv\] WebSocket \/ws\/r open from 127\.0\.0\.1:\d+$/);
    expect(wsLines[1]).toMatch(/ DEBUG \[serv\] WebSocket \/ws\/r closed 1000 bye after \d+ ms$/);
  });

  it('broadcasts to the members of one room only (the rooms example)', async () => {
    const client = clientFor(createApp({ routes: [BroadcastHandler], logger: silent }));
    const [a1, a2, b] = await Promise.all([
      client.websocket('/rooms/a'),
      client.websocket('/rooms/a'),
      client.websocket('/rooms/b'),
    ]);
    await a1.send('hello a');
    expect(await a1.receive()).toBe('hello a');
    expect(await a2.receive()).toBe('hello a');
    await b.send('hello b');
    expect(await b.receive()).toBe('hello b'); // the first message b sees is its own room's
  });

  it('rejects bad route options when decorating and when the app starts, naming the route', () => {
    expect(() => {
      @WebSocketRoute('/ws', { maxMessageBytes: 0 })
      class Bad {
        handle(): void {}
      }
      return Bad;
    }).toThrow(new RouteDefinitionError('@WebSocketRoute("/ws") on Bad: WebSocket option maxMessageBytes must be a positive integer, got 0'));
    expect(() => {
      @WebSocketRoute('/ws')
      class NoHandle {}
      return NoHandle;
    }).toThrow('@WebSocketRoute("/ws") on NoHandle: NoHandle needs a handle(...) method, called once per connection');
    const app = createApp({ routes: [Answers], logger: silent, settings: { rateLimitIntervalMs: 0 } });
    expect(() => app.prepare()).toThrow(/^@WebSocketRoute on Answers \(.+\): WebSocket option rateLimitIntervalMs must be a positive integer, got 0$/);
  });

  it('refuses to start a route whose handle() asks for @Body()', () => {
    @WebSocketRoute('/body')
    class WithBody {
      async handle(@Inject() ws: WebSocket, @Body() body: unknown): Promise<void> {
        await ws.accept();
        await ws.send(String(body));
      }
    }
    const app = createApp({ routes: [WithBody], logger: silent });
    expect(() => app.prepare()).toThrow(
      /^Cannot resolve parameter #1 of WithBody\.handle \(.+\): @Body\(\) only exists for HTTP requests; read messages with ws\.receive\(\)$/,
    );
  });

  it('refuses the handshake with HTTP 500 when an app.websocket.begin listener throws', async () => {
    const app = createApp({ routes: [Answers], logger: silent });
    app.on('app.websocket.begin', () => {
      throw new Error('no entry');
    });
    const error = await clientFor(app).websocket('/answers').catch((err: unknown) => err);
    expect(error).toMatchObject({ status: 500, body: 'Internal Server Error' });
  });

  it('sends 1001 at once on app.close(), then gives handlers shutdown_grace_ms to finish', async () => {
    const loopEnded = deferred<number | null>();
    const finish = deferred();
    const arrived = deferred();
    @WebSocketRoute('/linger')
    class Linger {
      async handle(@Inject() ws: WebSocket): Promise<void> {
        if (ws.query.wait === '1') {
          arrived.resolve();
          await finish.promise; // still deciding whether to accept when shutdown begins
          return;
        }
        await ws.accept();
        for await (const message of ws) await ws.send(message);
        loopEnded.resolve(ws.closeCode);
        await finish.promise; // in-flight cleanup
      }
    }
    const app = createApp({ routes: [Linger], logger: silent, settings: { shutdownGraceMs: 60_000 } });
    const client = createTestClient(app);
    const open = await client.websocket('/linger');
    const waiting = client.websocket('/linger?wait=1').catch((err: unknown) => err);
    await arrived.promise;
    let closed = false;
    const closing = client.close().then(() => (closed = true));
    expect(await open.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(await loopEnded.promise).toBe(1001);
    expect(await waiting).toMatchObject({ status: 503, body: 'Server is shutting down' });
    expect(closed).toBe(false); // the handlers are still running
    finish.resolve();
    await closing;
  });

  it('terminates a peer that stops answering pings: 1006 "Heartbeat timeout" on the server side', async () => {
    const failure = deferred<unknown>();
    @WebSocketRoute('/watch')
    class Watch {
      async handle(@Inject() ws: WebSocket): Promise<void> {
        await ws.accept();
        failure.resolve(await ws.receive().catch((err: unknown) => err));
      }
    }
    const app = createApp({ routes: [Watch], logger: silent, settings: { heartbeatIntervalMs: 20, heartbeatTimeoutMs: 20 } });
    const client = clientFor(app);
    const url = `${(await client.baseUrl()).replace(/^http/, 'ws')}/watch`;
    const dead = await connectTestWebSocket(url, { autoPong: false });
    expect((await dead.closed).code).toBe(1006);
    expect(await failure.promise).toMatchObject({ message: 'WebSocket disconnected: 1006 Heartbeat timeout', code: 1006 });
  });
});
