import { createApp, createTestClient, Logger, type App, type ServSettings } from '@serv/core';
import { ConnectionContext, WebSocket, WebSocketHandshakeError } from '@serv/websocket';
import { WebSocket as RawWebSocket } from 'ws';

/** An app with one echo-the-origin route, logging JSON lines into `lines`. */
function appWith(settings: Partial<ServSettings>): { app: App; lines: string[] } {
  const lines: string[] = [];
  const app = createApp({ settings: { heartbeatIntervalMs: 0, ...settings }, logger: new Logger('serv', 'info', (_level, line) => lines.push(line), 'json') });
  app.addRoute({
    kind: 'websocket',
    path: '/ws/{room}',
    handler: async (ws: WebSocket, ctx: ConnectionContext) => {
      await ws.accept();
      await ws.sendJson({ requestId: ctx.requestId, client: ctx.client.host, scheme: ctx.scheme, host: ctx.host, wsClient: ws.client.host });
      for await (const message of ws) await ws.send(message);
    },
  });
  return { app, lines };
}

describe('the WebSocket close line', () => {
  it('logs one JSON line per closed connection with its handshake request id, route, code, reason, duration and client', async () => {
    const { app, lines } = appWith({});
    const ended = new Promise<void>((resolve) => app.on('app.websocket.end', () => resolve()));
    const { url } = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const raw = new RawWebSocket(`${url.replace('http', 'ws')}/ws/lobby`);
      const upgraded = new Promise<string>((resolve) => raw.once('upgrade', (res) => resolve(res.headers['x-request-id'] as string)));
      const first = new Promise<{ requestId: string; client: string; scheme: string }>((resolve) => raw.once('message', (d) => resolve(JSON.parse(String(d)))));
      const upgradeId = await upgraded;
      const hello = await first;
      expect(upgradeId).toMatch(/^[\w-]+-[0-9a-z]+$/);
      expect(hello).toMatchObject({ requestId: upgradeId, client: '127.0.0.1', scheme: 'ws' });
      raw.close(1000, 'bye');
      await ended;
      const closes = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'websocket closed');
      expect(closes).toEqual([{
        level: 30, time: expect.any(Number), pid: process.pid, hostname: expect.any(String), name: 'serv', msg: 'websocket closed',
        reqId: upgradeId, path: '/ws/lobby', route: '/ws/{room}', code: 1000, reason: 'bye', durationMs: expect.any(Number), accepted: true,
        client: '127.0.0.1',
      }]);
    } finally {
      await app.close();
    }
  });
});

describe('trust_proxy on WebSocket handshakes', () => {
  const headers = (ip: string): Record<string, string> => ({ 'x-forwarded-for': `203.0.113.5, ${ip}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com', 'x-request-id': 'edge-1' });

  it('gives the forwarded client to ws.client and ctx, keeps the proxy\'s request id, and counts max_connections_per_ip by it', async () => {
    const { app } = appWith({ trustProxy: 1, maxConnectionsPerIp: 1 });
    const client = createTestClient(app);
    try {
      const first = await client.websocket('/ws/a', { headers: headers('198.51.100.1') });
      expect(await first.receiveJson()).toEqual({ requestId: 'edge-1', client: '198.51.100.1', scheme: 'wss', host: 'chat.example.com', wsClient: '198.51.100.1' });
      const second = await client.websocket('/ws/a', { headers: headers('198.51.100.2') });
      expect(await second.receiveJson()).toMatchObject({ client: '198.51.100.2' });
      const third = client.websocket('/ws/a', { headers: headers('198.51.100.1') });
      await expect(third).rejects.toThrow(WebSocketHandshakeError);
      await expect(third).rejects.toMatchObject({ status: 503 });
      await first.close();
      await second.close();
    } finally {
      await client.close();
    }
  });

  it('ignores forwarded headers from an untrusted peer: one address, one connection, a fresh request id', async () => {
    const { app } = appWith({ maxConnectionsPerIp: 1 });
    const client = createTestClient(app);
    try {
      const first = await client.websocket('/ws/a', { headers: headers('198.51.100.1') });
      const hello = (await first.receiveJson()) as { requestId: string };
      expect(hello).toMatchObject({ client: '127.0.0.1', scheme: 'ws', wsClient: '127.0.0.1' });
      expect(hello.requestId).not.toBe('edge-1');
      await expect(client.websocket('/ws/a', { headers: headers('198.51.100.2') })).rejects.toMatchObject({ status: 503 });
      await first.close();
    } finally {
      await client.close();
    }
  });
});
