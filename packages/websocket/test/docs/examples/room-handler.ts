import { Inject, Logger, Param, Query, Settings } from '@serv/core';
import { WebSocket, WebSocketRoute } from '@serv/websocket';

/** One chat room per path: /ws/lobby, /ws/room-1, … */
@WebSocketRoute('/ws/{room_id}', { maxMessageBytes: 64 * 1024 })
export class RoomHandler {
  constructor(private readonly log: Logger) {} // constructor DI: built once per app

  async handle(
    @Inject() ws: WebSocket, // this connection
    @Param('room_id') roomId: string, // from the path
    @Query('token') token: string | undefined, // from ?token=…
    @Settings() settings: Record<string, unknown>, // YAML router + route `config` ({} for decorator-only apps)
  ): Promise<void> {
    if (token !== 'let-me-in') {
      await ws.close(4401, 'Unauthorized'); // before accept(): the handshake is answered with HTTP 401
      return;
    }
    // A client that offers subprotocols must get one of them back, or it fails the connection.
    await ws.accept(ws.requestedSubprotocols.includes('chat.v1') ? 'chat.v1' : undefined);
    this.log.debug(`${ws.client.host}:${ws.client.port} joined ${roomId}`);
    await ws.sendJson({ type: 'welcome', room: roomId, greeting: settings.greeting ?? 'Hello' });
    for await (const message of ws) {
      // The loop ends quietly when the peer disconnects.
      if (message === 'bye') return; // returning while open closes with 1000
      await ws.send(`[${roomId}] ${String(message)}`);
    }
  }
}
