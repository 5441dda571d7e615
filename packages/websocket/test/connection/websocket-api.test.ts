import {
  FrameType,
  WebSocketConnectionError,
  WebSocketError,
  WebSocketState,
  type WebSocket,
} from '../../src/connection';
import { connectionOf } from '../../src/connection/websocket';
import { captureRoute, deferred, Harness } from './harness';

describe('WebSocket API', () => {
  let harness: Harness;
  let route: ReturnType<typeof captureRoute>;

  beforeEach(async () => {
    harness = await Harness.start();
    route = captureRoute(harness, '/ws');
  });

  afterEach(async () => {
    route.release();
    await harness.stop();
  });

  /** Connect a client and hand back both ends once the server side has accepted. */
  async function open(path = '/ws', subprotocols?: string[]) {
    const server = route.next();
    const clientPromise = harness.connect(path, { subprotocols });
    const ws = await server;
    await ws.accept(subprotocols?.[0]);
    return { ws, client: await clientPromise };
  }

  describe('before accept()', () => {
    it('starts CONNECTING, not connected, with the request path, query, headers and client', async () => {
      const server = route.next();
      const client = harness.connect('/ws?test=value&x=1&x=2', { headers: { 'X-Custom': 'yes' } });
      const ws = await server;
      expect(ws.state).toBe(WebSocketState.CONNECTING);
      expect(ws.isConnected).toBe(false);
      expect(ws.path).toBe('/ws');
      expect(ws.queryString).toBe('test=value&x=1&x=2');
      expect(ws.query).toEqual({ test: 'value', x: '2' });
      expect(ws.headers['x-custom']).toBe('yes');
      expect(ws.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
      // Hop-by-hop and handshake-only headers are not kept with the connection.
      for (const name of ['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version']) expect(ws.headers[name]).toBeUndefined();
      expect(ws.client.host).toBe('127.0.0.1');
      expect(ws.client.port).toBeGreaterThan(0);
      expect(ws.frameType).toBe(FrameType.TEXT);
      expect(ws.subprotocol).toBeNull();
      expect(ws.closeCode).toBeNull();
      await ws.accept();
      await client;
    });

    it('rejects send() with "WebSocket connection is not active", before checking the data type', async () => {
      const server = route.next();
      const client = harness.connect('/ws');
      const ws = await server;
      await expect(ws.send('hi')).rejects.toThrow(new WebSocketConnectionError('WebSocket connection is not active: call `await ws.accept()` first'));
      await expect(ws.send(123 as unknown as string)).rejects.toThrow('WebSocket connection is not active');
      await expect(ws.receive()).rejects.toThrow('WebSocket connection is not active');
      await ws.accept();
      await client;
    });

    it('iterating a socket that was never accepted yields nothing and ends quietly', async () => {
      const server = route.next();
      const client = harness.connect('/ws').catch((err: unknown) => err);
      const ws = await server;
      const seen: unknown[] = [];
      for await (const message of ws) seen.push(message);
      expect(seen).toEqual([]);
      await ws.close(4401, 'Unauthorized');
      expect(await client).toMatchObject({ status: 401 });
    });
  });

  describe('accept()', () => {
    it('moves to CONNECTED and makes isConnected true', async () => {
      const { ws } = await open();
      expect(ws.state).toBe(WebSocketState.CONNECTED);
      expect(ws.isConnected).toBe(true);
    });

    it('refuses a second call with "WebSocket connection already established"', async () => {
      const { ws } = await open();
      const error = await ws.accept().catch((err: unknown) => err);
      expect(error).toBeInstanceOf(WebSocketConnectionError);
      expect((error as Error).message).toBe('WebSocket connection already established');
    });

    it('answers with the subprotocol passed to accept() among those the client offered', async () => {
      const server = route.next();
      const clientPromise = harness.connect('/ws', { subprotocols: ['chat.v1', 'chat.v2'] });
      const ws = await server;
      expect(ws.requestedSubprotocols).toEqual(['chat.v1', 'chat.v2']);
      await ws.accept('chat.v2');
      const client = await clientPromise;
      expect(ws.subprotocol).toBe('chat.v2');
      expect(client.subprotocol).toBe('chat.v2');
    });

    it('refuses a subprotocol the client did not offer, naming both', async () => {
      const server = route.next();
      const clientPromise = harness.connect('/ws', { subprotocols: ['a'] });
      const ws = await server;
      const error = await ws.accept('b').catch((err: unknown) => err);
      expect(error).toBeInstanceOf(WebSocketError);
      expect((error as Error).message).toBe('Cannot accept subprotocol "b" on /ws: the client offered "a"');
      expect(ws.state).toBe(WebSocketState.CONNECTING);
      await ws.accept('a');
      expect((await clientPromise).subprotocol).toBe('a');
    });
  });

  describe('close()', () => {
    it('sends the code and reason to the peer and moves to DISCONNECTED', async () => {
      const { ws, client } = await open();
      await ws.close(1001, 'Going away');
      expect(ws.state).toBe(WebSocketState.DISCONNECTED);
      expect(ws.isConnected).toBe(false);
      expect(ws.closeCode).toBe(1001);
      expect(ws.closeReason).toBe('Going away');
      expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    });

    it('defaults to 1000 with an empty reason and is idempotent', async () => {
      const { ws, client } = await open();
      await ws.close();
      await ws.close(4000, 'ignored');
      expect(ws.closeCode).toBe(1000);
      expect(await client.closed).toEqual({ code: 1000, reason: '' });
    });

    it('makes send() fail with "WebSocket connection is not active" and receive() with the disconnect', async () => {
      const { ws } = await open();
      await ws.close(4000, 'bye');
      await expect(ws.send('late')).rejects.toThrow('WebSocket connection is not active');
      await expect(ws.receive()).rejects.toThrow('WebSocket disconnected: 4000 bye');
    });

    it('throws a TypeError for a code that cannot go in a close frame', async () => {
      const { ws } = await open();
      expect(() => ws.close(1005)).toThrow(
        new TypeError('WebSocket close code must be 1000-1014 (except 1004-1006) or 3000-4999, got 1005'),
      );
      expect(ws.isConnected).toBe(true);
    });
  });

  describe('send()', () => {
    it('sends strings as text frames and bytes as binary frames', async () => {
      const { ws, client } = await open();
      await ws.send('Hello, WebSocket!');
      await ws.send(Buffer.from('Binary data'));
      await ws.send(new Uint8Array([1, 2, 3]));
      expect(await client.receive()).toBe('Hello, WebSocket!');
      expect(await client.receive()).toEqual(Buffer.from('Binary data'));
      expect(await client.receive()).toEqual(Buffer.from([1, 2, 3]));
    });

    it('rejects other types with TypeError "WebSocket data must be string or bytes"', async () => {
      const { ws } = await open();
      const error = await ws.send(123 as unknown as string).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('WebSocket data must be string or bytes, got number');
    });

    it('sendText() sends text, sendBytes() sends binary', async () => {
      const { ws, client } = await open();
      await ws.sendText('text');
      await ws.sendBytes(Buffer.from('bytes'));
      expect(await client.receive()).toBe('text');
      expect(await client.receive()).toEqual(Buffer.from('bytes'));
    });

    it('sendJson() sends the JSON encoding as text', async () => {
      const { ws, client } = await open();
      const value = { message: 'Hello', type: 'greeting' };
      await ws.sendJson(value);
      expect(await client.receive()).toBe(JSON.stringify(value));
    });

    it('sendJson() of a cyclic value rejects with TypeError "Data is not JSON serializable: …"', async () => {
      const { ws } = await open();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const error = (await ws.sendJson(cyclic).catch((err: unknown) => err)) as Error;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^Data is not JSON serializable: Converting circular structure to JSON/);
    });

    it('sendJson() of a BigInt rejects with TypeError "Data is not JSON serializable: …"', async () => {
      const { ws } = await open();
      const error = (await ws.sendJson({ n: 1n }).catch((err: unknown) => err)) as Error;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('Data is not JSON serializable: Do not know how to serialize a BigInt');
    });
  });

  describe('receive()', () => {
    it('returns text frames as strings and binary frames as Buffers', async () => {
      const { ws, client } = await open();
      await client.send('text');
      await client.send(Buffer.from([0, 255]));
      expect(await ws.receive()).toBe('text');
      expect(await ws.receive()).toEqual(Buffer.from([0, 255]));
    });

    it('receiveJson() parses the message', async () => {
      const { ws, client } = await open();
      await client.sendJson({ action: 'ping', data: { timestamp: 12345 } });
      expect(await ws.receiveJson()).toEqual({ action: 'ping', data: { timestamp: 12345 } });
    });

    it('receiveJson() of malformed JSON raises a WebSocketError naming the problem', async () => {
      const { ws, client } = await open();
      await client.send('{not json');
      let parseMessage = '';
      try {
        JSON.parse('{not json');
      } catch (err) {
        parseMessage = (err as Error).message;
      }
      const error = (await ws.receiveJson().catch((err: unknown) => err)) as WebSocketError;
      expect(error).toBeInstanceOf(WebSocketError);
      expect(error.message).toBe(`Invalid JSON message: ${parseMessage}`);
      expect(error.cause).toBeInstanceOf(SyntaxError);
    });

    it('receiveText() of a binary frame raises TypeError "Expected text message, got binary"', async () => {
      const { ws, client } = await open();
      await client.send(Buffer.from('bytes'));
      await expect(ws.receiveText()).rejects.toThrow(new TypeError('Expected text message, got binary'));
    });

    it('receiveBytes() of a text frame raises TypeError "Expected binary message, got text"', async () => {
      const { ws, client } = await open();
      await client.send('text');
      await expect(ws.receiveBytes()).rejects.toThrow(new TypeError('Expected binary message, got text'));
    });

    it('raises "WebSocket disconnected: <code> <reason>" with code and reason when the peer closes', async () => {
      const { ws, client } = await open();
      const pending = ws.receive().catch((err: unknown) => err);
      await client.close(1000, 'Normal closure');
      const error = (await pending) as WebSocketConnectionError;
      expect(error).toBeInstanceOf(WebSocketConnectionError);
      expect(error.message).toBe('WebSocket disconnected: 1000 Normal closure');
      expect(error.code).toBe(1000);
      expect(error.reason).toBe('Normal closure');
      expect(ws.state).toBe(WebSocketState.DISCONNECTED);
    });

    it('delivers messages that arrived before the close, then the disconnect', async () => {
      const { ws, client } = await open();
      await client.send('last words');
      await client.close(4000, 'bye');
      expect(await ws.receive()).toBe('last words');
      await expect(ws.receive()).rejects.toThrow('WebSocket disconnected: 4000 bye');
    });

    it('refuses a second concurrent receive() with a message saying why', async () => {
      const { ws, client } = await open();
      const first = ws.receive();
      await expect(ws.receive()).rejects.toThrow(
        'WebSocket receive() called while another receive() or for-await loop is already waiting on this ' +
          'connection; read from one place at a time',
      );
      await client.send('one');
      expect(await first).toBe('one');
    });

    it('gives a waiting reader a message that arrived together with the close, then the disconnect', async () => {
      const { ws, client } = await open();
      const first = ws.receive();
      void client.send('just in time');
      void client.close(4000, 'bye');
      expect(await first).toBe('just in time');
      await expect(ws.receive()).rejects.toThrow('WebSocket disconnected: 4000 bye');
    });

    it('refuses a concurrent receive() while a message waits for delivery to the first, which still gets it', async () => {
      const { ws, client } = await open();
      const first = ws.receive();
      // Runs right after Serv's own 'message' listener: the message is held for `first`, not yet delivered.
      const second = new Promise<unknown>((resolve) => {
        (connectionOf(ws).raw as import('ws').WebSocket).once('message', () => {
          resolve(ws.receive().catch((err: unknown) => err));
        });
      });
      await client.send('one');
      expect(((await second) as Error).message).toMatch(/^WebSocket receive\(\) called while another receive\(\)/);
      expect(await first).toBe('one');
    });
  });

  describe('for await', () => {
    it('delivers messages from many connections that arrive in the same turn, each to its own loop', async () => {
      const pairs = await Promise.all(Array.from({ length: 20 }, () => open()));
      const loops = pairs.map(async ({ ws }) => {
        const seen: unknown[] = [];
        for await (const message of ws) seen.push(message);
        return seen;
      });
      pairs.forEach(({ client }, i) => {
        void client.send(`a${i}`);
        void client.send(`b${i}`);
        void client.close();
      });
      expect(await Promise.all(loops)).toEqual(pairs.map((_, i) => [`a${i}`, `b${i}`]));
    });

    it('delivers 16 KiB messages from many connections intact and in order, past a full wake-up batch', async () => {
      // 20 × 16 KiB arriving together is more than one batch (128 KiB): the full batch goes early, the rest after it.
      const pairs = await Promise.all(Array.from({ length: 20 }, () => open()));
      const big = (tag: string): string => tag.padEnd(16 * 1024, tag);
      const loops = pairs.map(async ({ ws }) => {
        const seen: unknown[] = [];
        for await (const message of ws) seen.push(message);
        return seen;
      });
      pairs.forEach(({ client }, i) => {
        void client.send(big(`a${i}`));
        void client.send(big(`b${i}`));
        void client.close();
      });
      expect(await Promise.all(loops)).toEqual(pairs.map((_, i) => [big(`a${i}`), big(`b${i}`)]));
    });

    it('yields messages in order and ends quietly when the peer disconnects', async () => {
      const { ws, client } = await open();
      for (const text of ['Message 1', 'Message 2', 'Message 3']) await client.send(text);
      void client.close();
      const seen: unknown[] = [];
      for await (const message of ws) seen.push(message);
      expect(seen).toEqual(['Message 1', 'Message 2', 'Message 3']);
    });

    it('ends when the handler closes the connection itself', async () => {
      const { ws, client } = await open();
      const loop = (async () => {
        const seen: unknown[] = [];
        for await (const message of ws) {
          seen.push(message);
          await ws.close();
        }
        return seen;
      })();
      await client.send('only');
      expect(await loop).toEqual(['only']);
    });
  });

  it('queues messages sent right after the handshake while the handler awaits something else', async () => {
    const gate = deferred();
    const received: unknown[] = [];
    const done = deferred();
    harness.routes.set('/late-reader', {
      run: async (ws) => {
        await ws.accept();
        await gate.promise; // e.g. a database lookup before the first read
        for (let i = 0; i < 100; i++) received.push(await ws.receive());
        done.resolve();
      },
    });
    const client = await harness.connect('/late-reader');
    for (let i = 0; i < 100; i++) void client.send(`m${i}`);
    await client.send('flush');
    gate.resolve();
    await done.promise;
    expect(received).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
  });

  describe('frameType BINARY', () => {
    it('hands text frames over as Buffers and sends strings as binary frames', async () => {
      const binary = captureRoute(harness, '/bin', { frameType: FrameType.BINARY });
      const server = binary.next();
      const clientPromise = harness.connect('/bin');
      const ws: WebSocket = await server;
      await ws.accept();
      const client = await clientPromise;
      expect(ws.frameType).toBe(FrameType.BINARY);
      await client.send('text frame');
      expect(await ws.receive()).toEqual(Buffer.from('text frame'));
      await ws.send('as bytes');
      expect(await client.receive()).toEqual(Buffer.from('as bytes'));
      await client.send('text again');
      expect(await ws.receiveText()).toBe('text again');
      binary.release();
    });
  });
});
