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
}

/** A record's data as the JSON a shared store keeps. */
export function encodeRecord(record: SessionRecord): string {
  return JSON.stringify({ user: record.user, data: record.data });
}

/** The inverse of {@link encodeRecord}. */
export function decodeRecord(text: string, expiresAt: number): SessionRecord {
  const parsed = JSON.parse(text) as { user?: unknown; data?: Record<string, unknown> };
  return { user: parsed.user ?? undefined, data: parsed.data ?? {}, expiresAt };
}
