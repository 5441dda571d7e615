import { fanoutTick } from '../connection/fanout-cork';
import type { Outbox } from '../connection/outbox';
import { connectionOf, type WebSocket } from '../connection/websocket';
import type { RoomMember } from '../brokers/broker';
import { frameMessage } from './frame';

/** Milliseconds are kept relative to this, so `since` stays a small integer (no boxed double per member). */
const CLOCK_BASE = Date.now();

/** One connection's membership of one room: kept small, it is paid per member. */
export class LocalMember {
  /** Set once the member left, so a join still waiting on its broker knows to retract what it announced. */
  left = false;
  /** Stored messages up to this offset already reached the connection (through a replay): later copies are skipped. */
  floor = 0;
  /** While a join replays history: live stored messages wait here as [offset, envelope]. */
  pending: Array<[number, Buffer]> | null = null;

  constructor(
    /** The connection's sending half, where the fan-out writes. */
    readonly outbox: Outbox,
    readonly room: string,
    readonly seq: number,
    readonly meta: unknown,
    private readonly _since: number,
  ) {}

  /** The member as `members()` lists it. */
  record(instance: string): RoomMember {
    return { id: `${instance}#${this.seq}`, meta: this.meta ?? null, instance, since: this._since + CLOCK_BASE };
  }
}

/**
 * This instance's members: room → connection → membership, plus connection → memberships for leave-on-close, and
 * the fan-out that frames a message once and writes the same bytes to every local member.
 */
export class LocalMembers {
  private readonly _rooms = new Map<string, Map<WebSocket, LocalMember>>();
  private readonly _byConnection = new Map<WebSocket, LocalMember | LocalMember[]>();
  /** room → the last tick it delivered in (fanout-cork.ts): a second delivery in the same tick is corked. */
  private readonly _lastTick = new Map<string, number>();
  private _seq = 0;

  /** Add `ws` to `room`; `first` when the room had no local member. An existing membership is returned as is. */
  add(room: string, ws: WebSocket, meta: unknown): { member: LocalMember; first: boolean; added: boolean } {
    let members = this._rooms.get(room);
    const first = members === undefined;
    if (members === undefined) this._rooms.set(room, (members = new Map()));
    const existing = members.get(ws);
    if (existing !== undefined) return { member: existing, first: false, added: false };
    const member = new LocalMember(connectionOf(ws), room, ++this._seq, meta, Date.now() - CLOCK_BASE);
    members.set(ws, member);
    const held = this._byConnection.get(ws);
    if (held === undefined) this._byConnection.set(ws, member);
    else if (Array.isArray(held)) held.push(member);
    else this._byConnection.set(ws, [held, member]);
    return { member, first, added: true };
  }

  /** Remove `ws` from `room`; returns the membership and whether the room is now empty here. */
  remove(room: string, ws: WebSocket): { member: LocalMember; last: boolean } | null {
    const members = this._rooms.get(room);
    const member = members?.get(ws);
    if (members === undefined || member === undefined) return null;
    members.delete(ws);
    member.left = true;
    const last = members.size === 0;
    if (last) {
      this._rooms.delete(room);
      this._lastTick.delete(room);
    }
    const held = this._byConnection.get(ws);
    if (held === member) this._byConnection.delete(ws);
    else if (Array.isArray(held)) {
      held.splice(held.indexOf(member), 1);
      if (held.length === 1) this._byConnection.set(ws, held[0] as LocalMember);
    }
    return { member, last };
  }

  /** Every room `ws` is in (for leave-on-close). */
  roomsOf(ws: WebSocket): string[] {
    const held = this._byConnection.get(ws);
    if (held === undefined) return [];
    return Array.isArray(held) ? held.map((m) => m.room) : [held.room];
  }

  /** Frame `payload` once and write it to every local member of `room` but `except`; returns how many got it. */
  deliver(room: string, payload: Buffer, binary: boolean, except?: ReadonlySet<WebSocket> | WebSocket): number {
    const members = this._rooms.get(room);
    if (members === undefined) return 0;
    const frame = frameMessage(payload, binary);
    const cork = this._again(room);
    if (except === undefined) {
      for (const member of members.values()) member.outbox.deliver(frame, payload, binary, cork);
      return members.size;
    }
    let count = 0;
    for (const [ws, member] of members) {
      if (except === ws || (except instanceof Set && except.has(ws))) continue;
      member.outbox.deliver(frame, payload, binary, cork);
      count += 1;
    }
    return count;
  }

  /** Whether `room` already delivered in this tick (then its members' sockets are corked until the tick ends). */
  private _again(room: string): boolean {
    const tick = fanoutTick();
    if (this._lastTick.get(room) === tick) return true;
    this._lastTick.set(room, tick);
    return false;
  }

  /**
   * Write a stored message (`payload` is its envelope) to every local member of `room` that has not had it: members
   * still replaying history queue it, members whose replay went past `offset` skip it.
   */
  deliverStored(room: string, offset: number, payload: Buffer): void {
    const members = this._rooms.get(room);
    if (members === undefined) return;
    const frame = frameMessage(payload, false);
    const cork = this._again(room);
    for (const member of members.values()) {
      if (member.pending !== null) member.pending.push([offset, payload]);
      else if (member.floor < offset) member.outbox.deliver(frame, payload, false, cork);
    }
  }

  /** Members of `room` (or of every room) as records. */
  records(instance: string, room?: string): Array<[string, RoomMember]> {
    const out: Array<[string, RoomMember]> = [];
    const add = (name: string, members: Map<WebSocket, LocalMember>): void => {
      for (const member of members.values()) out.push([name, member.record(instance)]);
    };
    if (room !== undefined) {
      const members = this._rooms.get(room);
      if (members !== undefined) add(room, members);
    } else {
      for (const [name, members] of this._rooms) add(name, members);
    }
    return out;
  }

  /** Rooms with at least one local member. */
  rooms(): string[] {
    return [...this._rooms.keys()];
  }

  /** Rooms with local members, and local memberships in all of them (the `serv_rooms` and `serv_room_members` gauges). */
  counts(): { rooms: number; members: number } {
    let members = 0;
    for (const room of this._rooms.values()) members += room.size;
    return { rooms: this._rooms.size, members };
  }

  /** Local member count of `room`. */
  size(room: string): number {
    return this._rooms.get(room)?.size ?? 0;
  }
}
