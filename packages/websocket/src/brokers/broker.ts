import type { PlainHistogram } from '@serv/core';
/** One member of a room as `rooms.members()` lists it, cluster-wide. */
export interface RoomMember {
  /** Unique across every instance: `<instance>#<n>`. */
  readonly id: string;
  /** What `join(room, ws, { meta })` was given (JSON), or null. */
  readonly meta: unknown;
  /** The instance (process) the member's connection lives on. */
  readonly instance: string;
  /** When it joined, in ms since the epoch. */
  readonly since: number;
}

/** What `rooms.publish()` resolves with once the message is stored (the message store numbers it, not the broker). */
export interface PublishAck {
  /** The room's offset of this message: positive, strictly increasing per room. */
  readonly offset: number;
  /** Names the offset sequence; it changes when the sequence restarts (the counter was lost). */
  readonly epoch: string;
  /** The publisher's clock when `publish()` was called, in ms since the epoch. */
  readonly at: number;
}

/** What a broker calls back into: the local side of `Rooms` (this instance's members). */
export interface BrokerSink {
  /** Write one message to every local member of `room` (framed once, the same bytes for each). */
  deliver(room: string, payload: Buffer, binary: boolean): number;
  /** A stored message (`payload` is its envelope) from another instance: delivered in offset order, gaps filled. */
  deliverStored(room: string, offset: number, payload: Buffer): void;
  /** This instance's members of `room`, or of every room when `room` is undefined (for re-announcing). */
  localMembers(room?: string): Array<[room: string, member: RoomMember]>;
  /** Rooms with at least one local member. */
  localRooms(): string[];
  /** Where brokers report outages (once per outage) and recoveries. */
  readonly log: { info(message: string): void; error(message: string, error?: unknown): void };
}

/**
 * How rooms reach other instances. A broker fans messages out to every instance with local members and keeps
 * presence; it does not number anything (the message store gives `publish()` its offsets, and the broker relays the
 * stored envelopes). Memory, cluster (through the `--workers` primary) and Redis implement it; another engine
 * (NATS…) implements these eight methods.
 */
export interface Broker {
  /** Connect; rejects with a `RoomsError` that names the setting to fix. */
  start(sink: BrokerSink): Promise<void>;
  /**
   * `member` of this instance joined `room` (`firstLocal`: the room had no local member before, so start receiving
   * it). Resolves once this instance receives the room's messages and `member` is announced.
   */
  join(room: string, member: RoomMember, firstLocal: boolean): Promise<void>;
  /** A local member left (`lastLocal`: stop receiving the room). Fire and forget: failures are the broker's to log. */
  leave(room: string, memberId: string, lastLocal: boolean): void;
  /** Deliver a stored message's envelope to the room's members on every *other* instance (this one has it). */
  relay(room: string, offset: number, payload: Buffer): void;
  /** Deliver an ephemeral message to the room's members on every *other* instance (this one already has it). */
  broadcast(room: string, payload: Buffer, binary: boolean): void;
  /** Every member of `room`, cluster-wide. */
  members(room: string): Promise<RoomMember[]>;
  /** Every room with members, cluster-wide. */
  rooms(): Promise<string[]>;
  /** Retract this instance's presence and disconnect. */
  close(): Promise<void>;
  /** Whether the broker's connection is up, for `/readyz` (absent: always, as for the in-process memory broker). */
  reachable?(): boolean;
  /** Where a broker that sends over a network records each `relay`/`broadcast` round trip (`serv_broker_publish_seconds`). */
  publishSeconds?: PlainHistogram;
}
