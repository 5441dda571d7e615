/** What a store keeps per session: the signed-in user, the other values, and when it expires (epoch ms). */
export interface SessionRecord {
  user?: unknown;
  data: Record<string, unknown>;
  expiresAt: number;
}

/**
 * Where sessions live between requests (`settings.sessions.store`). Implementations drop a record once `expiresAt`
 * has passed, so an expired session reads as absent whatever the cookie says.
 */
export interface SessionStore {
  /** Connect (Redis) or create the table (SQLite); called once at startup. */
  open(): Promise<void>;
  /** The live record of `id`, or undefined when unknown or expired (local stores answer synchronously, saving a tick per request). */
  get(id: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  /** Save `record` under `id` until its `expiresAt`. */
  set(id: string, record: SessionRecord): Promise<void>;
  /** Forget `id` (logout, regenerate). */
  delete(id: string): Promise<void>;
  /** Release connections and files. */
  close(): Promise<void>;
  /** For a store behind a network connection: whether it is connected now (`/readyz`'s `sessions` check). */
  reachable?(): boolean;
}

/** A record's data as the JSON a shared store keeps; `withExpiry` adds `expiresAt` (for stores without a column for it). */
export function encodeRecord(record: SessionRecord, withExpiry = false): string {
  return JSON.stringify(withExpiry ? { user: record.user, data: record.data, expiresAt: record.expiresAt } : { user: record.user, data: record.data });
}

/** The inverse of {@link encodeRecord}; without `expiresAt`, the one in the JSON (undefined when it holds none). */
export function decodeRecord(text: string, expiresAt?: number): SessionRecord | undefined {
  const parsed = JSON.parse(text) as { user?: unknown; data?: Record<string, unknown>; expiresAt?: unknown };
  const expiry = expiresAt ?? (typeof parsed.expiresAt === 'number' ? parsed.expiresAt : undefined);
  if (expiry === undefined) return undefined;
  return { user: parsed.user ?? undefined, data: parsed.data ?? {}, expiresAt: expiry };
}
