import type { SessionRecord, SessionStore } from './session-store';

/** Sessions in this process's memory: for tests and single-process apps; gone on restart. */
export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();

  async open(): Promise<void> {}

  async get(id: string): Promise<SessionRecord | undefined> {
    const record = this.records.get(id);
    if (record === undefined) return undefined;
    if (record.expiresAt <= Date.now()) {
      this.records.delete(id);
      return undefined;
    }
    // A copy, so that a request that fails half-way never changes the stored session.
    return { user: structuredClone(record.user), data: structuredClone(record.data), expiresAt: record.expiresAt };
  }

  async set(id: string, record: SessionRecord): Promise<void> {
    this.records.set(id, { user: structuredClone(record.user), data: structuredClone(record.data), expiresAt: record.expiresAt });
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
