import { once } from 'node:events';
import { WebSocketConnectionError, type WebSocket, type WebSocketEndInfo } from '../../src/connection';
import { WebSocketHandshakeError } from '../../src/testing';
import { heartbeatTimerOf } from '../../src/connection/hub';
import { deferred, Harness, rawHandshake } from './harness';

describe('WebSocket connection lifecycle', () => {
  let harness: Harness;

  afterEach(async () => {
    await harness.stop();
  });

  describe('after the handler', () => {
    beforeEach(async () => {
      harness = await Harness.start();
    });

    it('closes 1011 "Internal server error" when the handler throws, logs it, and keeps serving', async () => {
      const boom = new Error('handler bug');
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.accept();
          const message = await ws.receive();
          if (message === 'boom') throw boom;
          await ws.send(`Echo: ${String(message)}`);
        },
      });
      const first = await harness.connect('/ws');
      await first.send('boom');
      expect(await first.closed).toEqual({ code: 1011, reason: 'Internal server error' });
      expect(harness.log.error).toEqual([{ message: 'WebSocket handler for /ws threw; closed with 1011', error: boom }]);
      const second = await harness.connect('/ws');
      await second.send('hi');
      expect(await second.receive()).toBe('Echo: hi');
      expect(await second.closed).toEqual({ code: 1000, reason: '' });
    });

    it('closes 1000 when the handler returns while the connection is open', async () => {
      harness.routes.set('/ws', { run: (ws) => ws.accept() });
      const client = await harness.connect('/ws');
      expect(await client.closed).toEqual({ code: 1000, reason: '' });
    });

    it('treats a disconnect that ends the handler as normal: no error is logged', async () => {
      const ended = deferred<WebSocketEndInfo>();
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.accept();
          await ws.receive(); // throws WebSocketConnectionError when the peer leaves
        },
        hooks: { onEnd: (_ws, info) => ended.resolve(info) },
      });
      const client = await harness.connect('/ws');
      await client.close(4000, 'leaving');
      const info = await ended.promise;
      expect(info).toMatchObject({ code: 4000, reason: 'leaving' });
      expect(info.error).toBeInstanceOf(WebSocketConnectionError);
      expect(harness.log.error).toEqual([]);
    });

    it('ignores an upgrade whose socket is already destroyed: no handler runs, no slot is held', async () => {
      let ran = false;
      const destroyed = deferred();
      harness.routes.set('/gone', {
        beforeHandle: (socket) => {
          socket.destroy();
          destroyed.resolve();
        },
        run: () => {
          ran = true;
        },
      });
      const client = harness.connect('/gone').catch((err: unknown) => err);
      await destroyed.promise;
      expect(await client).toMatchObject({ message: 'socket hang up' });
      expect(ran).toBe(false);
      expect(harness.hub.size).toBe(0);
    });

    it('ends with 1006 when the client leaves while the handler is still deciding whether to accept', async () => {
      const arrived = deferred();
      const gate = deferred();
      const ended = deferred<WebSocketEndInfo>();
      harness.routes.set('/slow-auth', {
        run: async (ws) => {
          arrived.resolve();
          await gate.promise; // e.g. checking a token somewhere slow
          await ws.accept();
          for await (const _ of ws);
        },
        hooks: { onEnd: (_ws, info) => ended.resolve(info) },
      });
      const socket = await harness.tcp();
      socket.write(
        'GET /slow-auth HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await arrived.promise;
      socket.destroy();
      await once(socket, 'close');
      gate.resolve();
      expect((await ended.promise).code).toBe(1006);
      expect(harness.hub.size).toBe(0);
      expect(harness.log.error).toEqual([]);
    });

    it('reports the end once, after the handler settled and the socket closed, and frees the slot', async () => {
      const ends: WebSocketEndInfo[] = [];
      const ended = deferred();
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.accept();
          for await (const message of ws) await ws.send(message);
        },
        hooks: {
          onEnd: (_ws, info) => {
            ends.push(info);
            ended.resolve();
          },
        },
      });
      const client = await harness.connect('/ws');
      expect(harness.hub.size).toBe(1);
      await client.close(1000, 'done');
      await ended.promise;
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ code: 1000, reason: 'done' });
      expect(ends[0]!.durationMs).toBeGreaterThanOrEqual(0);
      expect(harness.hub.size).toBe(0);
    });
  });

  it('logs one line per connection open and one per close with code and duration in debug mode', async () => {
    harness = await Harness.start({ debug: true });
    const ended = deferred();
    harness.routes.set('/echo', {
      run: async (ws) => {
        await ws.accept();
        for await (const message of ws) await ws.send(message);
      },
      hooks: { onEnd: () => ended.resolve() },
    });
    const client = await harness.connect('/echo');
    await client.send('hi');
    await client.receive();
    await client.close(1000, 'bye');
    await ended.promise;
    expect(harness.log.debug).toHaveLength(2);
    expect(harness.log.debug[0]).toMatch(/^WebSocket \/echo open from 127\.0\.0\.1:\d+$/);
    expect(harness.log.debug[1]).toMatch(/^WebSocket \/echo closed 1000 bye after \d+ ms$/);
  });

  it('logs nothing at debug level when debug is off', async () => {
    harness = await Harness.start();
    const ended = deferred();
    harness.routes.set('/ws', { run: (ws) => ws.accept(), hooks: { onEnd: () => ended.resolve() } });
    await harness.connect('/ws');
    await ended.promise;
    expect(harness.log.debug).toEqual([]);
  });

  describe('heartbeat', () => {
    beforeEach(async () => {
      harness = await Harness.start();
    });

    it('terminates a peer that does not answer pings and ends its handler with a 1006 disconnect', async () => {
      const outcome = deferred<unknown>();
      const ended = deferred<WebSocketEndInfo>();
      harness.routes.set('/ws', {
        options: { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 50 },
        run: async (ws) => {
          await ws.accept();
          outcome.resolve(await ws.receive().catch((err: unknown) => err));
        },
        hooks: { onEnd: (_ws, info) => ended.resolve(info) },
      });
      const client = await harness.connect('/ws', { autoPong: false });
      expect((await client.closed).code).toBe(1006);
      expect(await outcome.promise).toMatchObject({
        message: 'WebSocket disconnected: 1006 Heartbeat timeout',
        code: 1006,
      });
      expect(await ended.promise).toMatchObject({ code: 1006, reason: 'Heartbeat timeout' });
      expect(harness.hub.size).toBe(0);
    });

    it('runs one hub timer only while connections with a heartbeat exist', async () => {
      const bothEnded = deferred();
      let ends = 0;
      harness.routes.set('/ws', {
        options: { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 50 },
        run: async (ws) => {
          await ws.accept();
          for await (const _ of ws);
        },
        hooks: { onEnd: () => ++ends === 2 && bothEnded.resolve() },
      });
      // The timer is unref'd, so it is invisible to process.getActiveResourcesInfo(); look at the hub's own timer.
      const timer = () => heartbeatTimerOf(harness.hub).current;
      expect(timer()).toBeNull();
      const first = await harness.connect('/ws');
      const second = await harness.connect('/ws');
      const running = timer();
      expect(running).not.toBeNull();
      await first.close();
      expect(timer()).toBe(running);
      await second.close();
      await bothEnded.promise;
      expect(harness.hub.size).toBe(0);
      expect(timer()).toBeNull();
    });

    it('keeps a peer that answers pings', async () => {
      harness.routes.set('/ws', {
        // A generous timeout keeps a loaded machine from failing the test; the pings still come every 10 ms.
        options: { heartbeatIntervalMs: 10, heartbeatTimeoutMs: 1000 },
        run: async (ws) => {
          await ws.accept();
          for await (const message of ws) await ws.send(message);
        },
      });
      const client = await harness.connect('/ws');
      for (let i = 0; i < 5; i++) await once(client.raw, 'ping');
      await client.send('still here');
      expect(await client.receive()).toBe('still here');
      expect(client.closeCode).toBeNull();
    });

    it('counts messages as signs of life even when pongs never come', async () => {
      harness.routes.set('/ws', {
        options: { heartbeatIntervalMs: 10, heartbeatTimeoutMs: 1000 },
        run: async (ws) => {
          await ws.accept();
          for await (const message of ws) await ws.send(message);
        },
      });
      const client = await harness.connect('/ws', { autoPong: false });
      for (let i = 0; i < 5; i++) {
        await once(client.raw, 'ping');
        await client.send(`alive ${i}`);
        expect(await client.receive()).toBe(`alive ${i}`);
      }
      expect(client.closeCode).toBeNull();
    });
  });

  describe('hub.close()', () => {
    it('sends 1001 "Server shutting down" to every connection, ends their loops and resolves', async () => {
      harness = await Harness.start();
      let settled = 0;
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.accept();
          for await (const message of ws) await ws.send(message);
          settled++;
        },
      });
      const clients = await Promise.all(Array.from({ length: 100 }, () => harness.connect('/ws')));
      expect(harness.hub.size).toBe(100);
      await harness.hub.close(5000);
      expect(harness.hub.size).toBe(0);
      expect(settled).toBe(100);
      const closes = await Promise.all(clients.map((client) => client.closed));
      expect(closes).toEqual(Array.from({ length: 100 }, () => ({ code: 1001, reason: 'Server shutting down' })));
    });

    it('answers new handshakes with HTTP 503 once shutdown has begun', async () => {
      harness = await Harness.start();
      harness.routes.set('/ws', { run: (ws) => ws.accept() });
      await harness.hub.close(0);
      const error = await harness.connect('/ws').catch((err: unknown) => err);
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error).toMatchObject({ status: 503, body: 'Server is shutting down' });
    });

    it('refuses with HTTP 503 a handshake whose handler had not accepted yet', async () => {
      harness = await Harness.start();
      const arrived = deferred<WebSocket>();
      const gate = deferred();
      const acceptOutcome = deferred<unknown>();
      harness.routes.set('/ws', {
        run: async (ws) => {
          arrived.resolve(ws);
          await gate.promise; // e.g. still checking a token
          acceptOutcome.resolve(await ws.accept().catch((err: unknown) => err));
        },
      });
      const client = harness.connect('/ws').catch((err: unknown) => err);
      await arrived.promise;
      const closing = harness.hub.close(1000);
      expect(await client).toMatchObject({ status: 503, body: 'Server is shutting down' });
      gate.resolve();
      expect(await acceptOutcome.promise).toMatchObject({
        message: 'WebSocket disconnected: 1001 Server shutting down',
      });
      await closing;
    });

    it('terminates a peer that never answers the close frame once the grace period is over', async () => {
      harness = await Harness.start();
      const ended = deferred<WebSocketEndInfo>();
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.accept();
          for await (const _ of ws);
        },
        hooks: { onEnd: (_ws, info) => ended.resolve(info) },
      });
      await rawHandshake(await harness.tcp(), '/ws'); // paused: never reads, so never answers the close frame
      const started = performance.now();
      await harness.hub.close(100);
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      expect(await ended.promise).toMatchObject({ code: 1001, reason: 'Server shutting down' });
      expect(harness.hub.size).toBe(0);
    });

    it('abandons a handler that ignores shutdown once the grace period is over, and says so', async () => {
      harness = await Harness.start();
      const forever = deferred();
      const ended = deferred<WebSocketEndInfo>();
      harness.routes.set('/stubborn', {
        run: async (ws) => {
          await ws.accept();
          await forever.promise; // never looks at the connection again
        },
        hooks: { onEnd: (_ws, info) => ended.resolve(info) },
      });
      const client = await harness.connect('/stubborn');
      await harness.hub.close(50);
      expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
      expect(await ended.promise).toMatchObject({ code: 1001, reason: 'Server shutting down' });
      expect(harness.hub.size).toBe(0);
      expect(harness.log.error.map((entry) => entry.message)).toEqual([
        'WebSocket handler for /stubborn was still running 50 ms after shutdown began; its socket is closed and ' +
          'the handler is abandoned (make it return when receive() ends)',
      ]);
      forever.resolve();
    });
  });
});
