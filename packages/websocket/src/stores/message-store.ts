/** One message to store: its room, the publisher's clock (ms since the epoch) and its data as JSON text. */
export interface AppendRequest {
  readonly room: string;
  readonly at: number;
  readonly data: string;
}

/** Where a stored message landed: its room's offset and epoch. */
export interface AppendResult {
  readonly offset: number;
  readonly epoch: string;
}

/** A message as the store returns it. */
export interface StoredMessage {
  readonly offset: number;
  /** The publisher's clock when `publish()` was called, in ms since the epoch. */
  readonly at: number;
  /** The message data as JSON text. */
  readonly data: string;
}

/** Where a room's stream stands: its epoch, its last offset and the first offset still retained. */
export interface StreamPosition {
  readonly epoch: string;
  readonly last: number;
  /** The first retained offset; `last + 1` when retention kept nothing. */
  readonly first: number;
}

/** Retention limits every store applies (`history_max_per_room`, `history_ttl_s`). */
export interface Retention {
  readonly maxPerRoom: number;
  readonly ttlMs: number;
}

/**
 * Where published messages are kept: one stream of offsets per room. `append` writes a batch in one transaction and
 * gives each room's messages its next offsets, in order; memory, SQLite and PostgreSQL implement it.
 */
export interface MessageStore {
  /** What the store is, for logs and errors (`sqlite /srv/app/data/serv.db`). */
  readonly description: string;
  /** Load the driver and check the store can be reached; rejects with a `RoomsError` naming the setting. */
  start(): Promise<void>;
  /** Store a batch atomically per room; results in request order. Resolving means durable (see docs/history.md). */
  append(batch: readonly AppendRequest[]): Promise<AppendResult[]>;
  /** Retained messages of `room` with `after < offset < before`, in offset order, at most `limit`. */
  read(room: string, after: number, before: number, limit: number): Promise<StoredMessage[]>;
  /** The room's stream position, or null when nothing was ever published to it (or the store lost it). */
  position(room: string): Promise<StreamPosition | null>;
  /** Release connections and files. */
  close(): Promise<void>;
  /** Whether the store answers now, for `/readyz` (absent: always, as for memory and SQLite, which are in-process). */
  ping?(): Promise<boolean>;
}

/** Offsets above every real one, for an open-ended `before`. */
export const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;
