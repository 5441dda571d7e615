import { App, Injectable } from '@serv/core';
import { hostname } from 'node:os';
import type { Broker, PublishAck, RoomMember } from '../brokers/broker';
import { createBroker } from '../brokers/create-broker';
import { WebSocketState } from '../connection/frame-type';
import { WebSocketConnectionError } from '../connection/errors';
import { describe } from '../connection/outbox';
import type { WebSocket } from '../connection/websocket';
import { randomId, toJsonText } from './envelope';
import { LocalMembers } from './local-members';
import { assertRoomName } from './room-name';
import { RoomsError } from './rooms-error';

/** Options of `rooms.join()`. */
export interface JoinOptions {
  /** Shown to everyone in `members()` (any JSON value); default null. */
  meta?: unknown;
}

/** What `rooms.join()` resolves with (the history part, `after`, comes with the message store). */
export interface JoinResult {
  /** Whether every message after `after` could be replayed; always true until the store exists. */
  readonly recovered: boolean;
  /** How many stored messages were replayed before live ones. */
  readonly missed: number;
  /** The room's offset sequence (see `PublishAck.epoch`). */
  readonly epoch: string;
}

/** Options of `rooms.broadcast()`. */
export interface BroadcastOptions {
  /** Connections of this instance that do not get the message (usually the sender). */
  except?: WebSocket | readonly WebSocket[];
}

/**
 * The app's rooms: who is in which room across every instance, `publish()` (sequenced, one order everywhere) and
 * `broadcast()` (ephemeral). Inject it (`constructor(private readonly rooms: Rooms)` or `@Inject() rooms: Rooms`) in
 * WebSocket and HTTP handlers; each app has its own.
 * @example
 * await this.rooms.join(room, ws, { meta: { user } });
 * for await (const text of ws) await this.rooms.publish(room, { user, text });
 */
@Injectable()
export class Rooms {
  /** This process's id in `members()` (`host/pid/random`). */
  readonly instance: string;
  readonly #local = new LocalMembers();
  readonly #broker: Broker;
  readonly #app: App;
  /** Each room's epoch as last seen by a join here, for a connection joining a room it is already in. */
  readonly #epochs = new Map<string, string>();
  #started: Promise<void> | null = null;

  constructor(app: App) {
    this.#app = app;
    this.instance = `${hostname()}/${process.pid}/${randomId(4)}`;
    this.#broker = createBroker(app.settings, this.instance);
  }

  /** @internal Connect the broker (the WebSocket protocol calls this at app startup). */
  _start(): Promise<void> {
    const local = this.#local;
    const instance = this.instance;
    const logger = this.#app.logger;
    this.#started ??= this.#broker.start({
      deliver: (room, payload, binary) => local.deliver(room, payload, binary),
      localMembers: (room) => local.records(instance, room),
      localRooms: () => local.rooms(),
      log: { info: (m) => logger.info(m), error: (m, e) => logger.error(m, e) },
    });
    return this.#started;
  }

  /** @internal Retract this instance's presence and disconnect (app shutdown, after the connections closed). */
  async _close(): Promise<void> {
    if (this.#started === null) return;
    await this.#started.catch(() => undefined);
    await this.#broker.close();
  }

  /** @internal The connection's socket closed: it leaves every room. */
  _connectionClosed(ws: WebSocket): void {
    for (const room of this.#local.roomsOf(ws)) void this.leave(room, ws);
  }

  /**
   * Add `ws` (accepted) to `room`; it leaves by itself when it closes. Resolves once `ws` receives the room's
   * messages from every instance and is listed in `members()`. Joining twice keeps the first membership.
   */
  async join(room: string, ws: WebSocket, options: JoinOptions = {}): Promise<JoinResult> {
    assertRoomName(room, 'rooms.join()');
    if (options === null || typeof options !== 'object') {
      throw new RoomsError('SERV_ROOMS_ARGUMENT', `rooms.join(${JSON.stringify(room)}, ws, options): options must be an object, got ${describe(options)}`);
    }
    if ((options as { after?: unknown }).after !== undefined) {
      throw new RoomsError('SERV_ROOMS_HISTORY', `rooms.join(${JSON.stringify(room)}, ws, { after }): resuming from an offset needs the message store, which this version does not have yet; drop "after"`);
    }
    if (ws.state !== WebSocketState.CONNECTED) {
      throw new WebSocketConnectionError('WebSocket connection is not active', { errorCode: 'SERV_WS_NOT_ACTIVE' });
    }
    if (options.meta !== undefined) toJsonText(options.meta);
    const { member, first, added } = this.#local.add(room, ws, options.meta);
    if (!added) return { recovered: true, missed: 0, epoch: this.#epochs.get(room) ?? '' };
    const epoch = await this.#broker.join(room, member.record(this.instance), first);
    if (this.#local.size(room) > 0) this.#epochs.set(room, epoch);
    // The connection closed while the broker was busy: its leave ran first, so retract what join announced.
    if (member.left) this.#broker.leave(room, member.record(this.instance).id, this.#local.size(room) === 0);
    return { recovered: true, missed: 0, epoch };
  }

  /** Remove `ws` from `room`; idempotent. */
  leave(room: string, ws: WebSocket): Promise<void> {
    assertRoomName(room, 'rooms.leave()');
    const left = this.#local.remove(room, ws);
    if (left === null) return Promise.resolve();
    if (left.last) this.#epochs.delete(room);
    this.#broker.leave(room, left.member.record(this.instance).id, left.last);
    return Promise.resolve();
  }

  /**
   * Send `data` to every member of `room` on every instance, now, unstored: strings as text frames, bytes as binary
   * frames, anything else as JSON text. `except` skips connections of this instance. Members past
   * `max_buffered_bytes` are closed with 1013; nobody waits for a slow member.
   */
  broadcast(room: string, data: unknown, options: BroadcastOptions = {}): void {
    assertRoomName(room, 'rooms.broadcast()');
    let payload: Buffer;
    let binary = false;
    if (typeof data === 'string') payload = Buffer.from(data);
    else if (data instanceof Uint8Array) {
      payload = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      binary = true;
    } else payload = Buffer.from(toJsonText(data));
    const except = options.except;
    this.#local.deliver(room, payload, binary, except === undefined || !Array.isArray(except) ? (except as WebSocket | undefined) : new Set(except));
    this.#broker.broadcast(room, payload, binary);
  }

  /**
   * Give `data` (any JSON value) the room's next offset and deliver `{"room","offset","epoch","at","data"}` as a text
   * frame to every member everywhere, in the same order for all. Resolves `{ offset, epoch, at }` once sequenced.
   * With the broker unreachable it rejects `SERV_ROOMS_BROKER_DOWN` after delivering to this instance's members.
   */
  publish(room: string, data: unknown): Promise<PublishAck> {
    try {
      assertRoomName(room, 'rooms.publish()');
      return this.#broker.publish(room, toJsonText(data), Date.now());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** Every member of `room` on every instance: `[{ id, meta, instance, since }]`. */
  members(room: string): Promise<RoomMember[]> {
    assertRoomName(room, 'rooms.members()');
    return this.#broker.members(room);
  }

  /** The rooms that have members, cluster-wide. */
  rooms(): Promise<string[]> {
    return this.#broker.rooms();
  }

  /** How many members `room` has, cluster-wide. */
  async size(room: string): Promise<number> {
    return (await this.members(room)).length;
  }
}
