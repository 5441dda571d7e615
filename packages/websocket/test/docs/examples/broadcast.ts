import { Inject, Param } from '@serv/core';
import { Rooms, WebSocket, WebSocketRoute } from '@serv/websocket';

@WebSocketRoute('/rooms/{room}')
export class BroadcastHandler {
  constructor(private readonly rooms: Rooms) {} // app-wide: every connection of the app shares it

  async handle(@Inject() ws: WebSocket, @Param('room') room: string): Promise<void> {
    await ws.accept();
    await this.rooms.join(room, ws); // left by itself however the connection ends: peer left, 1008, heartbeat, shutdown…
    for await (const message of ws) this.rooms.broadcast(room, String(message));
  }
}
