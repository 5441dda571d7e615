import { WebSocketHandshakeError } from '../../src/testing';
import { captureRoute, deferred, Harness, rawHandshake } from './harness';

/** Connect and return the handshake error the server answered with. */
async function refusal(harness: Harness, path: string, headers?: Record<string, string>) {
  const error = await harness.connect(path, { headers }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WebSocketHandshakeError);
  return error as WebSocketHandshakeError;
}

describe('WebSocket handshake', () => {
  let harness: Harness;

  afterEach(async () => {
    await harness.stop();
  });

  describe('refused by the handler closing before accept()', () => {
    beforeEach(async () => {
      harness = await Harness.start();
    });

    it.each([
      [4401, 'Unauthorized', 401, 'Unauthorized'],
      [4403, 'Banned', 403, 'Banned'],
      [4404, '', 404, 'Not Found'],
      [4429, 'Slow down', 429, 'Slow down'],
      [3000, 'Custom', 403, 'Custom'],
      [1000, '', 403, 'Forbidden'],
    ])('close(%d, %j) answers HTTP %d with body %j', async (code, reason, status, body) => {
      harness.routes.set('/ws', { run: (ws) => ws.close(code, reason) });
      const error = await refusal(harness, '/ws');
      expect(error.status).toBe(status);
      expect(error.body).toBe(body);
    });

    it('answers HTTP 403 when the handler returns without accepting or closing', async () => {
      harness.routes.set('/ws', { run: () => undefined });
      const error = await refusal(harness, '/ws');
      expect(error.status).toBe(403);
      expect(error.body).toBe('Forbidden');
    });

    it('answers HTTP 500 when the handler throws before accepting, and logs the error', async () => {
      const boom = new Error('token store down');
      harness.routes.set('/ws', {
        run: async () => {
          throw boom;
        },
      });
      const error = await refusal(harness, '/ws');
      expect(error.status).toBe(500);
      expect(error.body).toBe('Internal Server Error');
      expect(harness.log.error).toEqual([
        { message: 'WebSocket handler for /ws threw; refused the handshake with HTTP 500', error: boom },
      ]);
    });

    it('lets accept() fail with the disconnect after the handler already refused', async () => {
      const outcome = deferred<unknown>();
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.close(4401, 'Unauthorized');
          outcome.resolve(await ws.accept().catch((err: unknown) => err));
        },
      });
      await refusal(harness, '/ws');
      expect((await outcome.promise) as Error).toMatchObject({
        message: 'WebSocket disconnected: 4401 Unauthorized',
        code: 4401,
      });
    });
  });

  describe('refused by the hub', () => {
    it('answers HTTP 403 naming the path when no route matches (hub.reject)', async () => {
      harness = await Harness.start();
      const error = await refusal(harness, '/nope');
      expect(error.status).toBe(403);
      expect(error.body).toBe('No WebSocket route matches /nope');
    });

    it('answers HTTP 403 to an origin outside the route allow-list', async () => {
      harness = await Harness.start();
      harness.routes.set('/ws', { options: { origins: ['https://chat.example'] }, run: (ws) => ws.accept() });
      const error = await refusal(harness, '/ws', { Origin: 'https://evil.example' });
      expect(error.status).toBe(403);
      expect(error.body).toBe('Origin https://evil.example is not allowed');
    });

    it('admits an allowed origin and a client that sends no Origin', async () => {
      harness = await Harness.start();
      harness.routes.set('/ws', {
        options: { origins: ['https://chat.example'] },
        run: async (ws) => {
          await ws.accept();
          await ws.send('welcome');
          for await (const _ of ws);
        },
      });
      const browser = await harness.connect('/ws', { headers: { Origin: 'https://chat.example' } });
      expect(await browser.receive()).toBe('welcome');
      const script = await harness.connect('/ws');
      expect(await script.receive()).toBe('welcome');
    });

    it('answers HTTP 503 past maxConnections and admits again once one has ended', async () => {
      harness = await Harness.start({ maxConnections: 2 });
      const ended = deferred();
      harness.routes.set('/ws', {
        run: async (ws) => {
          await ws.accept();
          for await (const _ of ws);
        },
        hooks: { onEnd: () => ended.resolve() },
      });
      const first = await harness.connect('/ws');
      await harness.connect('/ws');
      expect(harness.hub.size).toBe(2);
      const error = await refusal(harness, '/ws');
      expect(error.status).toBe(503);
      expect(error.body).toBe('Server is at max_connections (2)');
      await first.close();
      await ended.promise;
      expect(harness.hub.size).toBe(1);
      const again = await harness.connect('/ws');
      expect(again.raw.readyState).toBe(again.raw.OPEN);
    });

    it('answers HTTP 400 to an upgrade request that is not a valid WebSocket handshake', async () => {
      harness = await Harness.start();
      harness.routes.set('/ws', { run: (ws) => ws.accept() });
      const socket = await harness.tcp();
      socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      await new Promise((resolve) => socket.once('close', resolve));
      const response = Buffer.concat(chunks).toString();
      expect(response.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect(response.endsWith('\r\n\r\nMissing or invalid Sec-WebSocket-Key header')).toBe(true);
    });
  });

  it('does not negotiate permessage-deflate unless enabled', async () => {
    harness = await Harness.start();
    const route = captureRoute(harness, '/ws');
    const server = route.next();
    const client = harness.connect('/ws', { perMessageDeflate: true });
    await (await server).accept();
    expect((await client).raw.extensions).toBe('');
    route.release();
  });

  it('negotiates permessage-deflate when the hub enables it', async () => {
    harness = await Harness.start({ perMessageDeflate: true });
    const route = captureRoute(harness, '/ws');
    const server = route.next();
    const clientPromise = harness.connect('/ws', { perMessageDeflate: true });
    const ws = await server;
    await ws.accept();
    const client = await clientPromise;
    expect(client.raw.extensions).toContain('permessage-deflate');
    await ws.send('compressed hello');
    expect(await client.receive()).toBe('compressed hello');
    route.release();
  });

  it('completes a hand-written handshake (raw TCP helper sanity check)', async () => {
    harness = await Harness.start();
    harness.routes.set('/ws', { run: (ws) => ws.accept() });
    const head = await rawHandshake(await harness.tcp(), '/ws');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});
