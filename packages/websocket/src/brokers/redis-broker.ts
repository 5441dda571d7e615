import type { PlainHistogram } from '@serv/core';
import { RoomsError } from '../rooms/rooms-error';
import type { Broker, BrokerSink, RoomMember } from './broker';
import { loadCreateClient, redactUrl, type RedisClientLike } from './redis-client';
import { RedisPresence } from './redis-presence';

/** Settings of the Redis broker. */
export interface RedisBrokerOptions {
  readonly url: string;
  readonly prefix: string;
  readonly presenceTtlMs: number;
}

/** Channel message kinds (first byte): a stored envelope from `<instance>\n<offset>\n`, or a text / binary broadcast from `<instance>\n`. */
const STORED = 'S';
const TEXT = 'T';
const BINARY = 'B';
const NEWLINE = 0x0a;

/**
 * Rooms across machines through Redis: one subscription per room with local members (on the subscriber
 * connection), stored envelopes and broadcasts published as they are, presence in hashes guarded by a per-instance key with a TTL. When Redis goes away, local delivery goes on, one error is logged,
 * and subscriptions and presence come back by themselves on reconnect.
 */
export class RedisBroker implements Broker {
  private _sink: BrokerSink | null = null;
  publishSeconds?: PlainHistogram;
  private _client: RedisClientLike | null = null;
  private _sub: RedisClientLike | null = null;
  private _presence: RedisPresence | null = null;
  private _started = false;
  private _closing = false;
  private _outage = false;
  private _heartbeat: NodeJS.Timeout | null = null;
  /** room → its subscription (resolved once Redis confirmed it). */
  private readonly _subscriptions = new Map<string, Promise<void>>();
  private readonly _onMessage = (message: Buffer, channel: Buffer): void => this._receive(message, channel);
  private readonly _where: string;
  private readonly _channelPrefixLength: number;

  constructor(
    private readonly _options: RedisBrokerOptions,
    private readonly _instance: string,
  ) {
    this._where = redactUrl(_options.url);
    this._channelPrefixLength = Buffer.byteLength(this._channel(''));
  }

  async start(sink: BrokerSink): Promise<void> {
    this._sink = sink;
    const createClient = loadCreateClient();
    const reconnectStrategy = (retries: number, cause: Error): number | Error =>
      this._started && !this._closing ? Math.min(50 * (retries + 1), 1000) : cause;
    // Commands fail at once while Redis is away (relays and broadcasts are dropped: local delivery goes on) instead of queueing.
    const client = createClient({ url: this._options.url, disableOfflineQueue: true, socket: { reconnectStrategy, connectTimeout: 5000 } });
    const sub = client.duplicate();
    for (const c of [client, sub]) c.on('error', (error) => this._down(error as Error));
    // Each connection reports 'ready' once it is back and (the subscriber) has re-subscribed every room.
    for (const c of [client, sub]) c.on('ready', () => this._up());
    try {
      // node-redis keeps connect() pending while it retries; the first error is the answer at startup.
      for (const c of [client, sub]) {
        await new Promise<void>((resolve, reject) => {
          c.once('error', reject);
          c.connect().then(() => {
            c.off('error', reject);
            resolve();
          }, reject);
        });
      }
    } catch (err) {
      for (const c of [client, sub]) {
        try {
          c.destroy();
        } catch {
          // Already closed by its reconnect strategy giving up.
        }
      }
      throw new RoomsError(
        'SERV_ROOMS_BROKER',
        `settings.broker.url: cannot connect to Redis at ${this._where} (${(err as Error).message}); start Redis there or point the URL at it`,
        { cause: err },
      );
    }
    this._client = client;
    this._sub = sub;
    this._presence = new RedisPresence(client, this._options.prefix, this._instance, this._options.presenceTtlMs);
    await this._presence.heartbeat();
    const every = Math.max(50, Math.floor(this._options.presenceTtlMs / 3));
    this._heartbeat = setInterval(() => void this._presence?.heartbeat().catch(() => undefined), every);
    this._heartbeat.unref();
    this._started = true;
  }

  async join(room: string, member: RoomMember): Promise<void> {
    const subscribed = this._subscriptions.get(room) ?? this._subscribe(room);
    if (!(this._client as RedisClientLike).isReady) {
      // Local members keep talking; the subscription and the announcement are redone on reconnect.
      subscribed.catch(() => undefined);
      return;
    }
    await Promise.all([subscribed, (this._presence as RedisPresence).announce(room, member)]).catch((err: unknown) => {
      this._down(err as Error);
    });
  }

  /** Subscribe to `room`'s channel; a subscription that fails (Redis away) is forgotten, and redone on reconnect. */
  private _subscribe(room: string): Promise<void> {
    const subscribed: Promise<void> = (this._sub as RedisClientLike).subscribe(this._channel(room), this._onMessage, true).catch((err: unknown) => {
      if (this._subscriptions.get(room) === subscribed) this._subscriptions.delete(room);
      throw err;
    });
    this._subscriptions.set(room, subscribed);
    return subscribed;
  }

  leave(room: string, memberId: string, lastLocal: boolean): void {
    if (lastLocal && (this._sink as BrokerSink).localMembers(room).length === 0 && this._subscriptions.delete(room)) {
      void (this._sub as RedisClientLike).unsubscribe(this._channel(room)).catch(() => undefined);
    }
    void (this._presence as RedisPresence).retract(room, memberId).catch(() => undefined);
  }

  relay(room: string, offset: number, payload: Buffer): void {
    const client = this._client as RedisClientLike;
    // Redis away: the other instances fill the gap from the store when the next message reaches them.
    if (!client.isReady) return;
    const message = Buffer.concat([Buffer.from(`${STORED}${this._instance}\n${offset}\n`), payload]);
    const started = performance.now();
    void client.sendCommand(['PUBLISH', this._channel(room), message]).then(
      () => this.publishSeconds?.observeSince(started),
      (err: unknown) => this._down(err as Error),
    );
  }

  broadcast(room: string, payload: Buffer, binary: boolean): void {
    const client = this._client as RedisClientLike;
    if (!client.isReady) return;
    const message = Buffer.concat([Buffer.from(`${binary ? BINARY : TEXT}${this._instance}\n`), payload]);
    const started = performance.now();
    void client.sendCommand(['PUBLISH', this._channel(room), message]).then(() => this.publishSeconds?.observeSince(started), () => undefined);
  }

  reachable(): boolean {
    return this._client?.isReady === true && this._sub?.isReady === true;
  }

  members(room: string): Promise<RoomMember[]> {
    return this._presenceRead(`rooms.members(${JSON.stringify(room)})`, (p) => p.members(room));
  }

  rooms(): Promise<string[]> {
    return this._presenceRead('rooms.rooms()', (p) => p.rooms());
  }

  /** A presence read; with Redis away it rejects `SERV_ROOMS_BROKER_DOWN` rather than answer for this instance only. */
  private async _presenceRead<T>(what: string, read: (presence: RedisPresence) => Promise<T>): Promise<T> {
    try {
      if (!(this._client as RedisClientLike).isReady) throw new Error('not connected');
      return await read(this._presence as RedisPresence);
    } catch (err) {
      throw new RoomsError(
        'SERV_ROOMS_BROKER_DOWN',
        `${what}: Redis at ${this._where} is unreachable, so presence across instances is unknown until it is back`,
        { cause: err },
      );
    }
  }

  async close(): Promise<void> {
    this._closing = true;
    if (this._heartbeat !== null) clearInterval(this._heartbeat);
    const client = this._client;
    const sub = this._sub;
    if (client === null || sub === null) return;
    if (client.isReady) {
      const presence = this._presence as RedisPresence;
      await Promise.all([
        presence.forgetInstance(),
        ...(this._sink as BrokerSink).localMembers().map(([room, m]) => presence.retract(room, m.id)),
      ]).catch(() => undefined);
    }
    await Promise.all([client, sub].map((c) => (c.isReady ? c.close() : Promise.resolve(c.destroy())).catch(() => c.destroy())));
  }

  private _receive(message: Buffer, channel: Buffer): void {
    const sink = this._sink as BrokerSink;
    const room = channel.toString('latin1', this._channelPrefixLength);
    const newline = message.indexOf(NEWLINE);
    if (newline < 0 || message.toString('latin1', 1, newline) === this._instance) return; // our own broadcast
    if (message.toString('latin1', 0, 1) === STORED) {
      const second = message.indexOf(NEWLINE, newline + 1);
      sink.deliverStored(room, Number(message.toString('latin1', newline + 1, second)), message.subarray(second + 1));
      return;
    }
    sink.deliver(room, message.subarray(newline + 1), message.toString('latin1', 0, 1) === BINARY);
  }

  private _down(error: Error): void {
    if (this._outage || this._closing) return;
    this._outage = true;
    this._sink?.log.error(
      `Rooms: Redis at ${this._where} is unreachable (${error.message}); local members keep talking, ` +
        'delivery across instances and presence resume by themselves when it is back',
    );
  }

  /** Both connections are back (node-redis has re-subscribed every room): re-announce presence, then say so. */
  private _up(): void {
    if (!this._started || !this._outage || this._closing) return;
    if (!(this._client as RedisClientLike).isReady || !(this._sub as RedisClientLike).isReady) return;
    this._outage = false;
    const presence = this._presence as RedisPresence;
    const sink = this._sink as BrokerSink;
    const members = sink.localMembers();
    // node-redis re-subscribed what Redis had confirmed; rooms first joined during the outage are subscribed now.
    const missing = sink.localRooms().filter((room) => !this._subscriptions.has(room));
    void Promise.all([
      presence.heartbeat(),
      ...members.map(([room, m]) => presence.announce(room, m)),
      ...missing.map((room) => this._subscribe(room)),
    ]).then(
      () => this._sink?.log.info(`Rooms: Redis at ${this._where} is back; ${members.length} local member(s) re-announced`),
      (err: unknown) => this._down(err as Error),
    );
  }

  private _channel(room: string): string {
    return `${this._options.prefix}room:${room}`;
  }
}
