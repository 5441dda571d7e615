import type { RoomMember } from './broker';
import type { RedisClientLike } from './redis-client';

/**
 * Presence in Redis: one hash per room (member id → member JSON), a set of room names, and one key per instance
 * that lives `ttlMs` unless refreshed. A member counts only while its instance's key exists, so a dead instance's
 * members drop out within `ttlMs`; their stale fields are deleted by the next reader that sees them.
 */
export class RedisPresence {
  constructor(
    private readonly _client: RedisClientLike,
    private readonly _prefix: string,
    private readonly _instance: string,
    private readonly _ttlMs: number,
  ) {}

  /** Keep this instance alive for another `ttlMs`. */
  heartbeat(): Promise<unknown> {
    return this._client.sendCommand(['SET', this._instanceKey(this._instance), '1', 'PX', String(this._ttlMs)]);
  }

  /** List `member` in `room`. */
  announce(room: string, member: RoomMember): Promise<unknown> {
    return Promise.all([
      this._client.sendCommand(['HSET', this._roomKey(room), member.id, JSON.stringify(member)]),
      this._client.sendCommand(['SADD', `${this._prefix}rooms`, room]),
    ]);
  }

  /** Unlist a member. */
  retract(room: string, memberId: string): Promise<unknown> {
    return this._client.sendCommand(['HDEL', this._roomKey(room), memberId]);
  }

  /** Drop this instance's liveness key at shutdown, so its members vanish at once. */
  forgetInstance(): Promise<unknown> {
    return this._client.sendCommand(['DEL', this._instanceKey(this._instance)]);
  }

  /** Members of `room` whose instance is alive. */
  async members(room: string): Promise<RoomMember[]> {
    const flat = await this._client.sendCommand<string[]>(['HGETALL', this._roomKey(room)]);
    if (flat.length === 0) return [];
    const members: RoomMember[] = [];
    for (let i = 1; i < flat.length; i += 2) members.push(JSON.parse(flat[i] as string) as RoomMember);
    const instances = [...new Set(members.map((m) => m.instance))];
    const alive = await this._client.sendCommand<Array<string | null>>(['MGET', ...instances.map((i) => this._instanceKey(i))]);
    const dead = new Set(instances.filter((_, index) => alive[index] === null));
    if (dead.size === 0) return members;
    const stale = members.filter((m) => dead.has(m.instance)).map((m) => m.id);
    void this._client.sendCommand(['HDEL', this._roomKey(room), ...stale]).catch(() => undefined);
    return members.filter((m) => !dead.has(m.instance));
  }

  /** Rooms with at least one live member (one `members()` per known room: fine for hundreds, not millions). */
  async rooms(): Promise<string[]> {
    const names = await this._client.sendCommand<string[]>(['SMEMBERS', `${this._prefix}rooms`]);
    const counts = await Promise.all(names.map((room) => this.members(room).then((m) => m.length)));
    const empty = names.filter((_, i) => counts[i] === 0);
    // Only rooms whose hash is gone leave the index: a member may be joining right now.
    for (const room of empty) {
      void this._client
        .sendCommand<number>(['EXISTS', this._roomKey(room)])
        .then((exists) => (exists === 0 ? this._client.sendCommand(['SREM', `${this._prefix}rooms`, room]) : undefined))
        .catch(() => undefined);
    }
    return names.filter((_, i) => counts[i] > 0).sort();
  }

  private _roomKey(room: string): string {
    return `${this._prefix}members:${room}`;
  }

  private _instanceKey(instance: string): string {
    return `${this._prefix}instance:${instance}`;
  }
}
