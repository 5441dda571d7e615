import { createApp, createTestClient, Get, Inject, Logger, Route } from '@serv/core';
import { WebSocket, WebSocketRoute } from '@serv/websocket';
import { join } from 'node:path';

@Route('/hello')
class Hello {
  @Get() get() {
    return 'hello over TLS';
  }
}

@WebSocketRoute('/ws')
class SecureEcho {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.accept();
    for await (const message of ws) await ws.send(`Echo: ${String(message)}`);
  }
}

const tls = { certFile: join(__dirname, 'fixtures', 'tls', 'cert.pem'), keyFile: join(__dirname, 'fixtures', 'tls', 'key.pem') };

describe('TLS (settings.tls)', () => {
  it('serves HTTPS and WSS on the same port', async () => {
    const app = createApp({ routes: [Hello, SecureEcho], logger: new Logger('test', 'silent'), settings: { tls, heartbeatIntervalMs: 0 } });
    const client = createTestClient(app);
    try {
      expect(await client.baseUrl()).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await client.get('/hello');
      expect(res.status).toBe(200);
      expect(res.text()).toBe('hello over TLS');
      const ws = await client.websocket('/ws');
      await ws.send('secret');
      expect(await ws.receiveText()).toBe('Echo: secret');
      await ws.close();
    } finally {
      await client.close();
    }
  });
});
