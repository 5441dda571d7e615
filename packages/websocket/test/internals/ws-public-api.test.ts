import { WebSocketConnectionError, type WebSocketEndInfo } from '../../src/connection';
import { TEXT_FRAME, writeFrameDirect } from '../../src/connection/frame-writer';
import type { OwnedRawSocket } from '../../src/connection/raw-socket';
import { connectionOf } from '../../src/connection/websocket';
import { useWsPublicApi, VERIFIED_WS_VERSION, wsInternalsStatus } from '../../src/internals/ws-internals';
import { captureRoute, deferred, Harness, rawHandshake } from '../connection/harness';

describe('ws internals self-check', () => {
  it('accepts the installed ws (the version package.json pins) and uses its private fields', () => {
    const status = wsInternalsStatus();
    expect(status.wsVersion).toMatch(VERIFIED_WS_VERSION);
    expect(status).toMatchObject({ usingInternals: true, reason: null });
  });
});

/** Everything below runs with the private fields of `ws` and Node switched off, as on an unverified `ws`. */
describe('with only the public APIs of ws and Node (the fallback)', () => {
  let harness: Harness;

  beforeAll(() => useWsPublicApi(true));
  afterAll(() => useWsPublicApi(false));
  beforeEach(async () => {
    harness = await Harness.start();
  });
  afterEach(() => harness.stop());

  function echoRoute(options?: Parameters<typeof captureRoute>[2]): void {
    harness.routes.set('/echo', {
      options,
      run: async (ws) => {
        await ws.accept();
        for await (const message of ws) await ws.send(message);
      },
    });
  }

  it('reports the fallback and writes no frame directly', async () => {
    expect(wsInternalsStatus()).toMatchObject({ usingInternals: false, reason: 'forced by useWsPublicApi(true)' });
    const route = captureRoute(harness, '/ws');
    const server = route.next();
    const connecting = harness.connect('/ws');
    const ws = await server;
    await ws.accept();
    const client = await connecting;
    expect(writeFrameDirect(connectionOf(ws).raw as OwnedRawSocket, TEXT_FRAME, 'small')).toBe(false);
    await ws.send('through ws');
    expect(await client.receive()).toBe('through ws');
    // The peer address comes from the public remoteAddress/remotePort.
    expect(ws.client.host).toBe('127.0.0.1');
    expect(ws.client.port).toBeGreaterThan(0);
    expect(ws.client.port).not.toBe(harness.port);
    route.release();
  });

  it('echoes text and binary messages, small and large, in order', async () => {
    echoRoute();
    const client = await harness.connect('/echo');
    const large = 'é'.repeat(150_000);
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i & 0xff));
    await client.send('hello');
    await client.send(Buffer.from([1, 2, 3]));
    await client.send(large);
    await client.send(bytes);
    expect(await client.receive()).toBe('hello');
    expect(await client.receive()).toEqual(Buffer.from([1, 2, 3]));
    expect(await client.receive()).toBe(large);
    expect(await client.receive()).toEqual(bytes);
  });

  it('makes send() wait for drain past sendHighWaterBytes, and loses nothing', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x62);
    const blocked = deferred<number>();
    harness.routes.set('/paced', {
      options: { sendHighWaterBytes: 64 * 1024, maxBufferedBytes: 64 * 1024 * 1024 },
      run: async (ws) => {
        await ws.accept();
        for (let sent = 1; ; sent++) {
          const pending = ws.send(chunk);
          let settled = false;
          void pending.then(() => (settled = true));
          await null;
          if (!settled) {
            blocked.resolve(sent); // send() now waits for 'drain'
            await pending;
            break;
          }
        }
        await ws.send('done');
      },
    });
    const client = await harness.connect('/paced');
    client.raw.pause();
    const sent = await blocked.promise;
    client.raw.resume();
    let intact = 0;
    for (let i = 0; i < sent; i++) if (chunk.equals((await client.receive()) as Buffer)) intact++;
    expect(intact).toBe(sent);
    expect(await client.receive()).toBe('done');
  });

  it('closes with 1013 a peer that stops reading past maxBufferedBytes', async () => {
    const outcome = deferred<unknown>();
    const ended = deferred<WebSocketEndInfo>();
    harness.routes.set('/firehose', {
      options: { maxBufferedBytes: 256 * 1024, sendHighWaterBytes: 64 * 1024 * 1024 },
      run: async (ws) => {
        await ws.accept();
        try {
          for (;;) await ws.send(Buffer.alloc(8 * 1024));
        } catch (error) {
          outcome.resolve(error);
        }
      },
      hooks: { onEnd: (_ws, info) => ended.resolve(info) },
    });
    await rawHandshake(await harness.tcp(), '/firehose'); // never reads
    const error = await outcome.promise;
    expect(error).toBeInstanceOf(WebSocketConnectionError);
    expect((error as Error).message).toBe('WebSocket disconnected: 1013 Send buffer limit exceeded');
    expect(await ended.promise).toMatchObject({ code: 1013, reason: 'Send buffer limit exceeded' });
  });

  it('closes both ways with the right codes, and 1007 / 1009 from the documented ws error codes', async () => {
    const route = captureRoute(harness, '/ws', { maxMessageBytes: 1000 });
    const server = route.next();
    const connecting = harness.connect('/ws');
    const ws = await server;
    await ws.accept();
    const client = await connecting;
    await ws.close(4000, 'bye');
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });

    const second = route.next();
    const peerConnecting = harness.connect('/ws');
    const closing = await second;
    await closing.accept();
    const peer = await peerConnecting;
    const done = closing.receive().catch((err: unknown) => err);
    await peer.close(4001, 'client done');
    expect(((await done) as Error).message).toBe('WebSocket disconnected: 4001 client done');

    const third = route.next();
    const bigConnecting = harness.connect('/ws');
    const limited = await third;
    await limited.accept();
    const big = await bigConnecting;
    void big.send('x'.repeat(1001));
    expect((await big.closed).code).toBe(1009);
    expect(limited.closeCode).toBe(1009);

    const fourth = route.next();
    const raw = await harness.tcp();
    const handshake = rawHandshake(raw, '/ws');
    const utf8 = await fourth;
    await utf8.accept();
    await handshake;
    const ended = utf8.receive().catch((err: unknown) => err);
    raw.write(Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28])); // masked text frame, invalid UTF-8
    expect(((await ended) as WebSocketConnectionError).code).toBe(1007);
    route.release();
  });
});
