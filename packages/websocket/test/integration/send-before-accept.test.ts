import { createApp, createTestClient, Inject, Logger, type LogSink } from '@serv/core';
import { WebSocket, WebSocketHandshakeError, WebSocketRoute } from '@serv/websocket';

@WebSocketRoute('/ws/eager')
class EagerHandler {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.send('hello before accept');
    await ws.accept();
  }
}

describe('send() before accept()', () => {
  it('refuses the handshake with HTTP 500 and logs what to do: call `await ws.accept()` first', async () => {
    const lines: string[] = [];
    let logged!: () => void;
    const errorLogged = new Promise<void>((resolve) => (logged = resolve));
    const sink: LogSink = (level, line) => {
      lines.push(`${level} ${line}`);
      if (level === 'error') logged();
    };
    const client = createTestClient(createApp({ routes: [EagerHandler], logger: new Logger('test', 'error', sink), settings: { heartbeatIntervalMs: 0 } }));
    try {
      const error = (await client.websocket('/ws/eager').catch((err: unknown) => err)) as WebSocketHandshakeError;
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error.status).toBe(500);
      await errorLogged;
      const logText = lines.join('\n');
      expect(logText).toContain('WebSocket handler for /ws/eager threw; refused the handshake with HTTP 500');
      expect(logText).toContain('WebSocket connection is not active: call `await ws.accept()` first');
    } finally {
      await client.close();
    }
  });
});
