import type { Logger } from '@serv/core';
import type { Rooms, WebSocket } from '@serv/websocket';
import type { FileStore } from './file-store';
import { FloodMeter, type TypingGate } from './typing-gate';
import type { UserStore } from './user-store';

/** The limits of one room connection (the extension's `settings`). */
export interface ChatLimits {
  maxTextChars: number;
  maxFileBytes: number;
  typingIntervalMs: number;
}

/** What a connection needs from the app. */
export interface ChatServices {
  rooms: Rooms;
  files: FileStore;
  store: UserStore;
  typing: TypingGate;
  log: Logger;
}

/** The error codes of `{"type":"error","code","message"}` frames. */
export type ChatErrorCode = 'bad_message' | 'too_large' | 'rate_limited' | 'unavailable';

interface FileHeader {
  name: string;
  mime: string;
  size: number;
}

const TYPING_FLOOD_PER_SECOND = 20;

/**
 * One member's side of a room: turns each frame it sends into a published message, a typing broadcast, a stored
 * file, or an error frame. Nothing a client sends closes its socket; the frame limits of the route still apply.
 */
export class RoomConnection {
  /** A file header waiting for its binary frame. */
  #file: FileHeader | null = null;
  /** The next binary frame belongs to a refused header: drop it without a second error. */
  #discardNext = false;
  readonly #flood = new FloodMeter(TYPING_FLOOD_PER_SECOND);

  constructor(
    private readonly ws: WebSocket,
    private readonly room: string,
    private readonly user: string,
    private readonly limits: ChatLimits,
    private readonly app: ChatServices,
  ) {}

  /** Handles one frame from the client. */
  async receive(frame: string | Buffer): Promise<void> {
    if (typeof frame !== 'string') return this.#binary(frame);
    const waiting = this.#file;
    this.#file = null;
    this.#discardNext = false;
    if (waiting !== null) {
      await this.#error('bad_message', `Expected the ${waiting.size} bytes of "${waiting.name}" as one binary frame right after its header; the file was dropped`);
    }
    let message: unknown;
    try {
      message = JSON.parse(frame);
    } catch {
      return this.#error('bad_message', 'Frames must be JSON such as {"type":"message","text":"hi"}');
    }
    const type = message !== null && typeof message === 'object' ? (message as { type?: unknown }).type : undefined;
    if (type === 'message') return this.#text(message as { text?: unknown });
    if (type === 'typing') return this.#typing();
    if (type === 'file') return this.#header(message as Record<string, unknown>);
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : type === undefined ? '(none)' : `of type ${typeof type}`;
    return this.#error('bad_message', `Unknown message type ${shown}; use "message", "typing" or "file"`);
  }

  async #text(message: { text?: unknown }): Promise<void> {
    if (typeof message.text !== 'string') return this.#error('bad_message', 'A message needs "text" as a string');
    const text = message.text.trim();
    if (text === '') return this.#error('bad_message', 'A message cannot be empty');
    if (text.length > this.limits.maxTextChars) {
      return this.#error('too_large', `A message can be at most ${this.limits.maxTextChars} characters; this one has ${text.length}`);
    }
    this.app.typing.clear(this.room, this.user);
    await this.#publish(() => ({ kind: 'message', user: this.user, text }));
  }

  async #typing(): Promise<void> {
    if (this.#flood.overLimit()) {
      return this.#error('rate_limited', `Too many typing events: at most ${TYPING_FLOOD_PER_SECOND} per second are read, the rest are ignored`);
    }
    if (!this.app.typing.pass(this.room, this.user, this.limits.typingIntervalMs)) return;
    this.app.rooms.broadcast(this.room, { type: 'typing', user: this.user }, { except: this.ws });
  }

  async #header(header: Record<string, unknown>): Promise<void> {
    const { name, mime, size } = header;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
      return this.#error('bad_message', 'A file header needs "name": 1 to 255 characters');
    }
    if (typeof mime !== 'string' || mime.length > 127) return this.#error('bad_message', 'A file header needs "mime" as a string such as "image/png"');
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
      return this.#error('bad_message', 'A file header needs "size": the number of bytes of the binary frame that follows');
    }
    if (size > this.limits.maxFileBytes) {
      this.#discardNext = true;
      return this.#error('too_large', `"${name}" has ${size} bytes; files can be at most ${this.limits.maxFileBytes} bytes (${mib(this.limits.maxFileBytes)})`);
    }
    this.#file = { name, mime, size };
  }

  async #binary(bytes: Buffer): Promise<void> {
    const header = this.#file;
    this.#file = null;
    if (header === null) {
      if (this.#discardNext) {
        this.#discardNext = false;
        return;
      }
      return this.#error('bad_message', 'A binary frame must follow a {"type":"file","name","mime","size"} header');
    }
    if (bytes.length !== header.size) {
      return this.#error('bad_message', `The header of "${header.name}" announced ${header.size} bytes but the frame has ${bytes.length}; the file was dropped`);
    }
    await this.#publish(async () => ({ kind: 'file', user: this.user, file: await this.app.files.save(header.name, header.mime, bytes) }));
  }

  /** Stores and delivers what `make` gives; a failing disk or store is logged and answered, not fatal. */
  async #publish(make: () => unknown): Promise<void> {
    try {
      const data = await make();
      await this.app.store.addRoom(this.room);
      await this.app.rooms.publish(this.room, data);
    } catch (err) {
      this.app.log.error(`room_chat: could not store a message in room ${this.room}`, err);
      await this.#error('unavailable', 'The message could not be stored; send it again in a moment');
    }
  }

  async #error(code: ChatErrorCode, message: string): Promise<void> {
    await this.ws.sendJson({ type: 'error', code, message });
  }
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
