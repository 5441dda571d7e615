import { App, Injectable, PlainHistogram } from '@serv/core';
import { hostname } from 'node:os';
import type { Broker, PublishAck, RoomMember } from '../brokers/broker';
import { createBroker } from '../brokers/create-broker';
import { WebSocketState } from '../connection/frame-type';
import { WebSocketConnectionError } from '../connection/errors';
import { describe } from '../connection/outbox';
import type { WebSocket } from '../connection/websocket';
import { createStore } from '../stores/create-store';
import { NO_UPPER_BOUND } from '../stores/message-store';
import { randomId, toJsonText } from './envelope';
import { LocalMembers } from './local-members';
import { RoomHistory } from './room-history';
import { assertRoomName } from './room-name';
import { RoomsError } from './rooms-error';

/** Options of `rooms.join()`. */
export interface JoinOptions {
  /** Shown to everyone in `members()` (any JSON value); default null. */
  meta?: unknown;
  /** The last offset the client saw: every stored message after it is sent first, then live ones. */
  after?: number;
  /** The epoch the client's `after` belongs to; another epoch means that history is gone (`recovered: false`). */
  epoch?: string;
}

/** Options of `rooms.history()`. */
export interface HistoryOptions {
  /** Only messages with a greater offset. Default 0. */
  after?: number;
  /** Only messages with a smaller offset. Default none. */
  before?: number;
  /** At most this many (the oldest first). Default 100. */
  limit?: number;
}

/** A stored message as `rooms.history()` returns it: the envelope a member received, with `data` parsed. */
export interface HistoryMessage {
  readonly room: string;
  readonly offset: number;
  readonly epoch: string;
  readonly at: number;
  readonly data: unknown;
}

/** What `rooms.join()` resolves with. */
export interface JoinResult {
  /**
   * Whether every message after `after` was replayed: false when retention no longer reaches back to it, or the
   * store lost that history (another `epoch`, or an offset it never gave). True without `after`.
   */
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
  readonly #history: RoomHistory | null;
  /** Why the configured store cannot be used; thrown by `_start()` so that startup fails naming the setting. */
  readonly #storeError: unknown = null;
  readonly #app: App;
  /** Each room's epoch as last seen by a join here, for a connection joining a room it is already in. */
  readonly #epochs = new Map<string, string>();
  #started: Promise<void> | null = null;
  /** @internal Broker round trips (`serv_broker_publish_seconds`). */
  readonly _brokerPublishSeconds = new PlainHistogram();
  /** @internal Message-store writes (`serv_store_write_seconds`). */
  readonly _storeWriteSeconds = new PlainHistogram();

  constructor(app: App) {
    this.#app = app;
    this.instance = `${hostname()}/${process.pid}/${randomId(4)}`;
    this.#broker = createBroker(app.settings, this.instance);
    this.#broker.publishSeconds = this._brokerPublishSeconds;
    let history: RoomHistory | null = null;
    try {
      history = new RoomHistory(createStore(app.settings), this.#local, this.#broker, this._storeWriteSeconds);
    } catch (err) {
      this.#storeError = err;
    }
    this.#history = history;
  }

  /** @internal Connect the broker (the WebSocket protocol calls this at app startup). */
  _start(): Promise<void> {
    const local = this.#local;
    const instance = this.instance;
    const logger = this.#app.logger;
    if (this.#storeError !== null) return Promise.reject(this.#storeError as Error);
    const history = this.#history as RoomHistory;
    history.log = { info: (m) => logger.info(m), error: (m, e) => logger.error(m, e) };
    this.#started ??= history.store.start().then(() => this.#broker.start({
      deliver: (room, payload, binary) => local.deliver(room, payload, binary),
      deliverStored: (room, offset, payload) => history.accept(room, offset, payload),
      localMembers: (room) => local.records(instance, room),
      localRooms: () => local.rooms(),
      log: { info: (m) => logger.info(m), error: (m, e) => logger.error(m, e) },
    }));
    return this.#started;
  }

  /** @internal Retract this instance's presence and disconnect (app shutdown, after the connections closed). */
  async _close(): Promise<void> {
    if (this.#started === null) return;
    await this.#started.catch(() => undefined);
    await this.#broker.close();
    await this.#history?.close();
  }

  /** @internal This instance's rooms and memberships, for the metrics gauges. */
  _counts(): { rooms: number; members: number } {
    return this.#local.counts();
  }

  /** @internal What `/readyz` checks: the broker's connection and the message store (PostgreSQL answers a query). */
  async _readiness(): Promise<Record<string, boolean>> {
    const store = this.#history?.store;
    const [broker, stored] = [this.#broker.reachable?.() ?? true, store?.ping === undefined ? this.#history !== null : await store.ping()];
    return { broker, store: stored };
  }

  /** @internal The connection's socket closed: it leaves every room. */
  _connectionClosed(ws: WebSocket): void {
    for (const room of this.#local.roomsOf(ws)) void this.leave(room, ws);
  }

  /**
   * Add `ws` (accepted) to `room`; it leaves by itself when it closes. Resolves once `ws` receives the room's
   * messages from every instance and is listed in `members()`. Joining twice keeps the first membership. With
   * `after`, every stored message with a greater offset is sent first, then live ones: no gap, no duplicate.
   */
  async join(room: string, ws: WebSocket, options: JoinOptions = {}): Promise<JoinResult> {
    assertRoomName(room, 'rooms.join()');
    if (options === null || typeof options !== 'object') {
      throw new RoomsError('SERV_ROOMS_ARGUMENT', `rooms.join(${JSON.stringify(room)}, ws, options): options must be an object, got ${describe(options)}`);
    }
    const { after, epoch } = options;
    if (after !== undefined && !(Number.isSafeInteger(after) && after >= 0)) {
      throw new RoomsError('SERV_ROOMS_ARGUMENT', `rooms.join(${JSON.stringify(room)}, ws, { after }): after must be an offset (an integer >= 0), got ${describe(after)}`);
    }
    if (epoch !== undefined && typeof epoch !== 'string') {
      throw new RoomsError('SERV_ROOMS_ARGUMENT', `rooms.join(${JSON.stringify(room)}, ws, { epoch }): epoch must be a string, got ${describe(epoch)}`);
    }
    if (ws.state !== WebSocketState.CONNECTED) {
      throw new WebSocketConnectionError('WebSocket connection is not active', { errorCode: 'SERV_WS_NOT_ACTIVE' });
    }
    if (options.meta !== undefined) toJsonText(options.meta);
    const history = this.#started === null ? null : this.#history;
    if (history === null) throw new RoomsError('SERV_ROOMS_ARGUMENT', 'rooms.join(): the app has not started (rooms work once app.listen() or serv launch started it)');
    const { member, first, added } = this.#local.add(room, ws, options.meta);
    if (!added) return { recovered: true, missed: 0, epoch: this.#epochs.get(room) ?? '' };
    // Live messages wait in `pending` while the replay runs, so that none is missed or sent twice.
    if (after !== undefined) member.pending = [];
    history.watch(room);
    let result: JoinResult;
    try {
      await this.#broker.join(room, member.record(this.instance), first);
      await history.ready(room);
      result = after === undefined
        ? { recovered: true, missed: 0, epoch: (await history.store.position(room))?.epoch ?? '' }
        : await history.replay(room, member, after, epoch);
    } catch (err) {
      member.pending = null;
      void this.leave(room, ws);
      throw err;
    }
    if (this.#local.size(room) > 0) this.#epochs.set(room, result.epoch);
    // The connection closed while the broker was busy: its leave ran first, so retract what join announced.
    if (member.left) this.#broker.leave(room, member.record(this.instance).id, this.#local.size(room) === 0);
    return result;
  }

  /** Remove `ws` from `room`; idempotent. */
  leave(room: string, ws: WebSocket): Promise<void> {
    assertRoomName(room, 'rooms.leave()');
    const left = this.#local.remove(room, ws);
    if (left === null) return Promise.resolve();
    if (left.last) {
      this.#epochs.delete(room);
      this.#history?.forget(room);
    }
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
   * Store `data` (any JSON value) with the room's next offset, then deliver `{"room","offset","epoch","at","data"}`
   * as a text frame to every member everywhere, in offset order for all. Resolves `{ offset, epoch, at }` once
   * stored (the acknowledgement); rejects `SERV_ROOMS_STORE_DOWN` when the store cannot take it.
   */
  publish(room: string, data: unknown): Promise<PublishAck> {
    try {
      assertRoomName(room, 'rooms.publish()');
      const dataJson = toJsonText(data);
      if (this.#started === null || this.#history === null) {
        throw new RoomsError('SERV_ROOMS_ARGUMENT', 'rooms.publish(): the app has not started (rooms work once app.listen() or serv launch started it)');
      }
      return this.#history.publish(room, dataJson, Date.now());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** Stored messages of `room` in offset order: `after < offset < before`, at most `limit` (default 100). */
  async history(room: string, options: HistoryOptions = {}): Promise<HistoryMessage[]> {
    assertRoomName(room, 'rooms.history()');
    const { after = 0, before = NO_UPPER_BOUND, limit = 100 } = options;
    for (const [name, value, min] of [['after', after, 0], ['before', before, 1], ['limit', limit, 1]] as const) {
      if (!Number.isSafeInteger(value) || value < min) {
        throw new RoomsError('SERV_ROOMS_ARGUMENT', `rooms.history(${JSON.stringify(room)}, { ${name} }): ${name} must be an integer >= ${min}, got ${typeof value === 'number' ? value : describe(value)}`);
      }
    }
    if (this.#started === null || this.#history === null) {
      throw new RoomsError('SERV_ROOMS_ARGUMENT', 'rooms.history(): the app has not started (rooms work once app.listen() or serv launch started it)');
    }
    const store = this.#history.store;
    const [position, messages] = await Promise.all([store.position(room), store.read(room, after, before, limit)]);
    const epoch = position?.epoch ?? '';
    return messages.map((m) => ({ room, offset: m.offset, epoch, at: m.at, data: JSON.parse(m.data) as unknown }));
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
