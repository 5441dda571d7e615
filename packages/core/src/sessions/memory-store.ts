import { decodeRecord, encodeRecord, type SessionRecord, type SessionStore } from './session-store';

/** Sessions in this process's memory: for tests and single-process apps; gone on restart. */
export class MemorySessionStore implements SessionStore {
  // Kept as JSON, like every shared store: a request that fails half-way never changes the stored session, and a
  // value that would not survive Redis or SQLite does not survive here either.
  private readonly records = new Map<string, { json: string; expiresAt: number }>();

  async open(): Promise<void> {}

  get(id: string): SessionRecord | undefined {
    const record = this.records.get(id);
    if (record === undefined) return undefined;
    if (record.expiresAt <= Date.now()) {
      this.records.delete(id);
      return undefined;
    }
    return decodeRecord(record.json, record.expiresAt);
  }

  async set(id: string, record: SessionRecord): Promise<void> {
    this.records.set(id, { json: encodeRecord(record), expiresAt: record.expiresAt });
    if (this.records.size % 1024 === 0) this.prune();
  }

  async delete(id: string): Promise<void> {
    this.records.delete(id);
  }

  async close(): Promise<void> {
    this.records.clear();
  }

  /** Expire in bulk now and then, so abandoned sessions do not pile up. */
  private prune(): void {
    const now = Date.now();
    for (const [id, record] of this.records) if (record.expiresAt <= now) this.records.delete(id);
  }
}
