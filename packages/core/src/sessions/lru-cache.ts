/**
 * A map that holds at most `limit` entries and forgets the least recently used one first: what the session manager
 * and the SQLite store keep per process, so that neither grows with the number of visitors.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  /** The most recently used key (at the young end of `entries`), if known. */
  private youngest: K | undefined = undefined;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`LruCache limit must be a positive integer, got ${String(limit)}`);
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The value of `key` (which becomes the most recently used), or undefined. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    // A Map iterates in insertion order: re-inserting moves the key to the young end. The key already there (one
    // visitor's burst of requests) stays put: a delete and a set cost more than the lookup itself.
    if (value !== undefined && key !== this.youngest) {
      this.entries.delete(key);
      this.entries.set(key, value);
      this.youngest = key;
    }
    return value;
  }

  /** Remember `value` under `key`; past the limit, the least recently used entry goes. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.youngest = key;
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** Forget `key`. */
  delete(key: K): void {
    this.entries.delete(key);
    if (key === this.youngest) this.youngest = undefined;
  }

  /** Forget everything. */
  clear(): void {
    this.entries.clear();
    this.youngest = undefined;
  }
}
