import { BadRequestError, Inject, Logger, Param, Session, Settings, UseGuards } from '@serv/core';
import { Rooms, WebSocket, WebSocketRoute } from '@serv/websocket';
import { FileStore } from './file-store';
import { isRoomName, roomNameProblem } from './names';
import { announcePresence } from './presence';
import { recentMessages } from './recent-messages';
import { RoomConnection, type ChatLimits } from './room-connection';
import { chatUser, requireUser } from './require-user';
import { TypingGate } from './typing-gate';
import { UserStore } from './user-store';

/** Room settings as extension.yaml writes them. */
interface RoomSettings {
  max_text_chars?: number;
  max_file_bytes?: number;
  typing_interval_ms?: number;
  history_on_join?: number;
}

/**
 * A signed-in user in one room. A first visit gets the room's newest messages, then live ones; a reconnect with
 * `?after=<offset>&epoch=<epoch>` (what `@serv/websocket/client` sends) gets exactly what it missed, then live ones.
 */
@WebSocketRoute('/ws/rooms/{room}', { maxMessageBytes: 6 * 1024 * 1024 }) // a 5 MiB file fits in one binary frame
@UseGuards(requireUser) // anonymous handshakes get HTTP 401
export class RoomSocket {
  readonly #log: Logger;

  constructor(
    private readonly rooms: Rooms,
    private readonly files: FileStore,
    private readonly store: UserStore,
    private readonly typing: TypingGate,
    log: Logger,
  ) {
    this.#log = log.child('room_chat');
  }

  async handle(@Inject() ws: WebSocket, @Param('room') room: string, @Inject() session: Session, @Settings() settings: RoomSettings): Promise<void> {
    if (!isRoomName(room)) throw new BadRequestError(roomNameProblem(room)); // handshake refused with 400
    const resume = readResume(ws.query);
    const user = chatUser(session).name;
    await ws.accept();
    await this.#join(ws, room, user, resume, settings.history_on_join ?? 50);
    await this.#announce(room);
    const limits: ChatLimits = {
      maxTextChars: settings.max_text_chars ?? 4000,
      maxFileBytes: settings.max_file_bytes ?? 5 * 1024 * 1024,
      typingIntervalMs: settings.typing_interval_ms ?? 2000,
    };
    const connection = new RoomConnection(ws, room, user, limits, {
      rooms: this.rooms,
      files: this.files,
      store: this.store,
      typing: this.typing,
      log: this.#log,
    });
    try {
      for await (const frame of ws) await connection.receive(frame);
    } finally {
      await this.rooms.leave(room, ws);
      await this.#announce(room);
    }
  }

  /** Joins with the client's resume point, or (first visit, or history it knew is gone) from the newest messages. */
  async #join(ws: WebSocket, room: string, user: string, resume: Resume | undefined, recent: number): Promise<void> {
    const meta = { user };
    if (resume !== undefined) {
      const joined = await this.rooms.join(room, ws, { meta, ...resume });
      if (joined.recovered || joined.missed > 0) return;
      // Another epoch (the store lost that history) or an offset it never gave: start over like a first visit.
      await this.rooms.leave(room, ws);
    }
    const newest = await recentMessages(this.rooms, room, undefined, recent);
    await this.rooms.join(room, ws, { meta, after: newest.length === 0 ? 0 : (newest[0] as { offset: number }).offset - 1 });
  }

  async #announce(room: string): Promise<void> {
    try {
      await announcePresence(this.rooms, room);
    } catch (err) {
      this.#log.error(`could not announce who is in room ${room}`, err); // e.g. Redis away: presence resumes with it
    }
  }
}

interface Resume {
  after: number;
  epoch?: string;
}

/** `?after=<offset>&epoch=<epoch>` from the resuming client; a malformed one refuses the handshake with 400. */
function readResume(query: Readonly<Record<string, string>>): Resume | undefined {
  const { after, epoch } = query;
  if (after === undefined) return undefined;
  if (!/^\d{1,15}$/.test(after)) throw new BadRequestError(`Query parameter "after" must be an offset (an integer >= 0), got ${JSON.stringify(after.slice(0, 40))}`);
  return epoch === undefined ? { after: Number(after) } : { after: Number(after), epoch };
}
