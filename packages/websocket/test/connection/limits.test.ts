import { once } from 'node:events';
import { WebSocketConnectionError, type WebSocket, type WebSocketEndInfo } from '../../src/connection';
import { captureRoute, deferred, Harness, rawHandshake } from './harness';

describe('WebSocket limits', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await Harness.start();
  });

  afterEach(async () => {
    await harness.stop();
  });

  /** A route that echoes until the connection ends, reporting how it ended. */
  function echoRoute(path: string, options: Parameters<typeof captureRoute>[2]) {
    const ended = deferred<{ ws: WebSocket; info: WebSocketEndInfo }>();
    harness.routes.set(path, {
      options,
      run: async (ws) => {
        await ws.accept();
        for await (const message of ws) await ws.send(message);
      },
      hooks: { onEnd: (ws, info) => ended.resolve({ ws, info }) },
    });
    return ended.promise;
  }

  it('closes with 1009 when a message exceeds maxMessageBytes', async () => {
    const ended = echoRoute('/small', { maxMessageBytes: 1024 });
    const client = await harness.connect('/small');
    await client.send('x'.repeat(1024));
    expect(await client.receive()).toBe('x'.repeat(1024));
    await client.send('x'.repeat(1025));
    expect((await client.closed).code).toBe(1009);
    expect((await ended).info.code).toBe(1009);
  });

  it('closes with 1008 "Rate limit exceeded" when a peer floods past the rate limit', async () => {
    const seen: unknown[] = [];
    const ended = deferred<WebSocketEndInfo>();
    harness.routes.set('/limited', {
      options: { rateLimitMessages: 10, rateLimitIntervalMs: 60_000 },
      run: async (ws) => {
        await ws.accept();
        for await (const message of ws) seen.push(message);
      },
      hooks: { onEnd: (_ws, info) => ended.resolve(info) },
    });
    const client = await harness.connect('/limited');
    for (let i = 0; i < 50; i++) void client.send(`flood ${i}`);
    expect(await client.closed).toEqual({ code: 1008, reason: 'Rate limit exceeded' });
    expect(await ended.promise).toMatchObject({ code: 1008, reason: 'Rate limit exceeded' });
    // The ten messages within the limit still reach the handler; nothing after the limit does.
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `flood ${i}`));
  });

  it('lets a peer send exactly rateLimitMessages in a window', async () => {
    const ended = echoRoute('/steady', { rateLimitMessages: 3, rateLimitIntervalMs: 60_000 });
    const client = await harness.connect('/steady');
    for (let i = 0; i < 3; i++) {
      await client.send(`tick ${i}`);
      expect(await client.receive()).toBe(`tick ${i}`);
    }
    await client.close();
    expect((await ended).info.code).toBe(1000);
  });

  it('closes with 1007 when a text frame is not valid UTF-8', async () => {
    const ended = echoRoute('/utf8', {});
    const client = await harness.connect('/utf8');
    // ws sends a Buffer as-is in a text frame when told binary: false, which lets us put bad UTF-8 on the wire.
    client.raw.send(Buffer.from([0x48, 0x69, 0xff, 0xfe]), { binary: false });
    expect((await client.closed).code).toBe(1007);
    expect((await ended).info.code).toBe(1007);
  });

  it('closes 1013 and drops a peer that stops reading once the backlog passes maxBufferedBytes', async () => {
    const cap = 1024 * 1024;
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const outcome = deferred<{ maxBuffered: number; sent: number; error: unknown }>();
    harness.routes.set('/firehose', {
      // A high-water mark above the cap makes send() resolve at once, like a fan-out that never awaits.
      options: { maxBufferedBytes: cap, sendHighWaterBytes: 64 * cap },
      run: async (ws) => {
        await ws.accept();
        let maxBuffered = 0;
        for (let sent = 0; ; sent++) {
          const pending = ws.send(chunk);
          maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
          try {
            await pending;
          } catch (error) {
            outcome.resolve({ maxBuffered, sent, error });
            return;
          }
        }
      },
    });
    const ended = deferred<WebSocketEndInfo>();
    harness.routes.get('/firehose')!.hooks = { onEnd: (_ws, info) => ended.resolve(info) };
    await rawHandshake(await harness.tcp(), '/firehose'); // leaves the socket paused: it never reads
    const { maxBuffered, sent, error } = await outcome.promise;
    expect(error).toBeInstanceOf(WebSocketConnectionError);
    expect((error as Error).message).toBe('WebSocket disconnected: 1013 Send buffer limit exceeded');
    expect(maxBuffered).toBeGreaterThan(cap);
    expect(maxBuffered).toBeLessThanOrEqual(cap + chunk.length + 4); // + one message and its frame header
    expect(sent).toBeGreaterThan(cap / chunk.length);
    expect(await ended.promise).toMatchObject({ code: 1013, reason: 'Send buffer limit exceeded' });
    expect(harness.hub.size).toBe(0);
  });

  it('makes send() wait for the socket to drain while more than sendHighWaterBytes are buffered', async () => {
    const highWater = 64 * 1024;
    const chunk = Buffer.alloc(16 * 1024, 0x62);
    const blocked = deferred<number>();
    const result = deferred<{ maxBuffered: number }>();
    harness.routes.set('/paced', {
      options: { sendHighWaterBytes: highWater, maxBufferedBytes: 64 * 1024 * 1024 },
      run: async (ws) => {
        await ws.accept();
        let maxBuffered = 0;
        for (let sent = 1; sent <= 100_000; sent++) {
          const pending = ws.send(chunk);
          maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
          let settled = false;
          void pending.then(() => (settled = true));
          await null;
          if (!settled) {
            blocked.resolve(sent); // the kernel buffers are full and send() is now waiting for 'drain'
            await pending;
            break;
          }
        }
        await ws.send('done');
        result.resolve({ maxBuffered });
      },
    });
    const client = await harness.connect('/paced');
    client.raw.pause();
    const sent = await blocked.promise;
    client.raw.resume();
    let chunks = 0;
    let intact = 0;
    for (;;) {
      const message = await client.receive();
      if (message === 'done') break;
      chunks++;
      if (Buffer.isBuffer(message) && message.equals(chunk)) intact++;
    }
    expect(chunks).toBe(sent);
    expect(intact).toBe(sent);
    const { maxBuffered } = await result.promise;
    expect(maxBuffered).toBeGreaterThan(highWater);
    expect(maxBuffered).toBeLessThanOrEqual(highWater + chunk.length + 4);
    expect((await client.closed).code).toBe(1000);
  });

  it('pauses reading when the handler falls behind and loses nothing', async () => {
    const gate = deferred();
    const received = deferred<number>();
    harness.routes.set('/backlog', {
      options: { maxMessageBytes: 64 * 1024, rateLimitMessages: 0 },
      run: async (ws) => {
        await ws.accept();
        await gate.promise;
        let count = 0;
        for await (const message of ws) {
          expect(message).toBe(`m${count}`);
          if (++count === 5000) break;
        }
        received.resolve(count);
      },
    });
    const client = await harness.connect('/backlog');
    for (let i = 0; i < 4999; i++) void client.send(`m${i}`);
    await client.send('m4999');
    gate.resolve();
    expect(await received.promise).toBe(5000);
    expect((await client.closed).code).toBe(1000);
  });

  it('keeps the raw TCP peer from the slow-reader test paused (sanity)', async () => {
    harness.routes.set('/ws', { run: (ws) => ws.accept() });
    const socket = await harness.tcp();
    await rawHandshake(socket, '/ws');
    expect(socket.isPaused()).toBe(true);
    socket.destroy();
    await once(socket, 'close');
  });
});
