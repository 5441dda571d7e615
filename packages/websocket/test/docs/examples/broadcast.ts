import { Inject, Injectable, Param } from '@serv/core';
import { WebSocket, WebSocketRoute } from '@serv/websocket';

/** Who is in which room, in this process; one instance per app, shared by every connection. */
@Injectable()
export class RoomRegistry {
  private readonly rooms = new Map<string, Set<WebSocket>>();

  /** Add `ws` to `room`; call the returned function when the connection ends. */
  join(room: string, ws: WebSocket): () => void {
    const members = this.rooms.get(room) ?? new Set<WebSocket>();
    this.rooms.set(room, members.add(ws));
    return () => {
      members.delete(ws);
      if (members.size === 0) this.rooms.delete(room);
    };
  }

  /** Send to every member without waiting: a member that stops reading is closed 1013 by its own buffer cap. */
  broadcast(room: string, text: string): void {
    for (const member of this.rooms.get(room) ?? []) void member.send(text);
  }
}

@WebSocketRoute('/rooms/{room}')
export class BroadcastHandler {
  constructor(private readonly rooms: RoomRegistry) {}

  async handle(@Inject() ws: WebSocket, @Param('room') room: string): Promise<void> {
    await ws.accept();
    const leave = this.rooms.join(room, ws);
    try {
      for await (const message of ws) this.rooms.broadcast(room, String(message));
    } finally {
      leave(); // runs however the connection ended: peer left, 1008, heartbeat, shutdown…
    }
  }
}
