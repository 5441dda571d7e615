import { BadRequestError, createApp, createTestClient, Inject, Logger, Query } from '@serv/core';
import { ConnectionContext, WebSocket, WebSocketHandshakeError, WebSocketRoute } from '@serv/websocket';

@WebSocketRoute('/ws/numbers')
class NumberHandler {
  async handle(@Inject() ws: WebSocket, @Query('n') n: number | undefined, @Inject() ctx: ConnectionContext): Promise<void> {
    if (ctx.header('X-Token') !== 'secret') throw new BadRequestError('X-Token header is required');
    await ws.accept();
    await ws.send(`n=${String(n)}`);
  }
}

describe('errors thrown before accept()', () => {
  const app = () => createApp({ routes: [NumberHandler], logger: new Logger('test', 'silent'), settings: { heartbeatIntervalMs: 0 } });

  it('keeps the 4xx status of an HttpError in the handshake answer', async () => {
    const client = createTestClient(app());
    try {
      const error = (await client.websocket('/ws/numbers').catch((err: unknown) => err)) as WebSocketHandshakeError;
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error.status).toBe(400);
      expect(error.body).toBe('X-Token header is required');
    } finally {
      await client.close();
    }
  });

  it('reads handshake headers case-insensitively', async () => {
    const client = createTestClient(app());
    try {
      const ws = await client.websocket('/ws/numbers?n=5', { headers: { 'x-token': 'secret' } });
      expect(await ws.receiveText()).toBe('n=5');
      expect(await ws.closed).toEqual({ code: 1000, reason: '' });
    } finally {
      await client.close();
    }
  });
});
