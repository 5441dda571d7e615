import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket as RawServerSocket } from 'ws';
import { WebSocketConnectionError } from '../../src/connection';
import { connectTestWebSocket, WebSocketHandshakeError, type TestWebSocket } from '../../src/testing';

/** A bare ws server (no hub) so the client is tested on its own. */
describe('connectTestWebSocket', () => {
  let server: Server;
  let wss: WebSocketServer;
  let url: string;
  let serverSockets: RawServerSocket[];
  const clients: TestWebSocket[] = [];
  let onConnection: (socket: RawServerSocket) => void;

  beforeEach(async () => {
    serverSockets = [];
    onConnection = () => undefined;
    server = createServer((_req, res) => {
      res.statusCode = 418;
      res.end('not here');
    });
    wss = new WebSocketServer({ server, handleProtocols: (protocols) => [...protocols].at(-1) ?? false });
    wss.on('connection', (socket) => {
      serverSockets.push(socket);
      onConnection(socket);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.terminate()));
    for (const socket of serverSockets) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function connect(path = '/', options?: Parameters<typeof connectTestWebSocket>[1]) {
    const client = await connectTestWebSocket(`${url}${path}`, options);
    clients.push(client);
    return client;
  }

  it('queues messages from the moment the connection opens', async () => {
    onConnection = (socket) => {
      socket.send('first');
      socket.send(Buffer.from('second'));
      socket.send(JSON.stringify({ third: 3 }));
    };
    const client = await connect();
    expect(await client.receive()).toBe('first');
    expect(await client.receiveBytes()).toEqual(Buffer.from('second'));
    expect(await client.receiveJson()).toEqual({ third: 3 });
  });

  it('sends headers and subprotocols, and reports the accepted subprotocol', async () => {
    const seen = new Promise<[string | undefined, string]>((resolve) => {
      wss.once('connection', (socket, req) => resolve([req.headers['x-token'] as string | undefined, socket.protocol]));
    });
    const client = await connect('/', { headers: { 'X-Token': 'abc' }, subprotocols: ['a', 'b'] });
    expect(await seen).toEqual(['abc', 'b']);
    expect(client.subprotocol).toBe('b');
  });

  it('sends text, binary and JSON', async () => {
    const received: [string, boolean][] = [];
    const got = new Promise<void>((resolve) => {
      onConnection = (socket) =>
        socket.on('message', (data, isBinary) => {
          received.push([data.toString(), isBinary]);
          if (received.length === 3) resolve();
        });
    });
    const client = await connect();
    await client.send('text');
    await client.send(Buffer.from('bytes'));
    await client.sendJson({ a: 1 });
    await got;
    expect(received).toEqual([
      ['text', false],
      ['bytes', true],
      ['{"a":1}', false],
    ]);
  });

  it('rejects receive() after the server closed with an error naming the code and reason', async () => {
    onConnection = (socket) => socket.close(4001, 'Kicked');
    const client = await connect();
    expect(await client.closed).toEqual({ code: 4001, reason: 'Kicked' });
    const error = (await client.receive().catch((err: unknown) => err)) as WebSocketConnectionError;
    expect(error).toBeInstanceOf(WebSocketConnectionError);
    expect(error.message).toBe('WebSocket disconnected: 4001 Kicked');
    expect([client.closeCode, client.closeReason]).toEqual([4001, 'Kicked']);
  });

  it('rejects a refused handshake with WebSocketHandshakeError carrying status and body', async () => {
    wss.close();
    const bare = createServer();
    bare.on('upgrade', (_req, socket) => {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nBad token');
    });
    bare.listen(0, '127.0.0.1');
    await once(bare, 'listening');
    try {
      const error = await connectTestWebSocket(`ws://127.0.0.1:${(bare.address() as AddressInfo).port}/`).catch(
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error).toMatchObject({ status: 401, body: 'Bad token' });
      expect((error as Error).message).toMatch(
        /^WebSocket handshake to ws:\/\/127\.0\.0\.1:\d+\/ was refused with HTTP 401: Bad token$/,
      );
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('rejects with the connection error when nothing listens', async () => {
    const gone = createServer();
    gone.listen(0, '127.0.0.1');
    await once(gone, 'listening');
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const error = await connectTestWebSocket(`ws://127.0.0.1:${port}/`).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('close() defaults to 1000 and resolves once closed', async () => {
    const client = await connect();
    expect(await client.close()).toEqual({ code: 1000, reason: '' });
  });
});
