import { requireDriver } from './require-driver';
import { decodeRecord, encodeRecord, type SessionRecord, type SessionStore } from './session-store';

// The slice of node-redis's API this store uses (the package is an optional peer, so its types are not required).
interface RedisClient {
  connect(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  pTTL(key: string): Promise<number>;
  set(key: string, value: string, options: { PXAT: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  quit(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  readonly isReady: boolean;
}
interface RedisModule {
  createClient(options: { url: string; socket: { reconnectStrategy: (retries: number, cause: Error) => number | Error } }): RedisClient;
}

/**
 * Sessions in Redis (node-redis), one key per session (`<key_prefix>session:<id>`) expiring with the session, so
 * that every instance of the app sees the same sessions.
 */
export class RedisSessionStore implements SessionStore {
  private readonly client: RedisClient;
  private lastError = '';
  private connected = false;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    setting: string,
    log: (message: string, err: unknown) => void,
    back: (message: string) => void,
  ) {
    const redis = requireDriver<RedisModule>('redis', 'redis', setting);
    // Unreachable at startup fails the start (a clear error beats an app that hangs); once connected, retry forever.
    // (A new Error, not `cause`: node-redis tests `instanceof Error`, which a socket error from another realm fails.)
    const reconnectStrategy = (retries: number, cause: Error): number | Error =>
      (this.connected ? Math.min(50 * 2 ** retries, 2000) : new Error(cause.message, { cause }));
    this.client = redis.createClient({ url, socket: { reconnectStrategy } });
    // node-redis reconnects by itself; say so once per distinct failure instead of once per retry.
    this.client.on('error', (err) => {
      if (err.message === this.lastError) return;
      this.lastError = err.message;
      log(`Session store ${url}: ${err.message}`, err);
    });
    // After an outage, say once that it is over (and be ready to report the next failure again).
    this.client.on('ready', () => {
      if (this.lastError === '') return;
      this.lastError = '';
      back(`Session store ${url} is back`);
    });
  }

  reachable(): boolean {
    return this.connected && this.client.isReady;
  }

  async open(): Promise<void> {
    await this.client.connect();
    this.connected = true;
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const key = this.key(id);
    // One command: the value carries its expiry (the key expires at the same instant, PXAT).
    const text = await this.client.get(key);
    if (text === null) return undefined;
    const record = decodeRecord(text);
    if (record !== undefined) return record.expiresAt > Date.now() ? record : undefined;
    // A value written before the expiry was part of it: ask the key's own.
    const ttl = await this.client.pTTL(key);
    return ttl <= 0 ? undefined : decodeRecord(text, Date.now() + ttl);
  }

  async set(id: string, record: SessionRecord): Promise<void> {
    await this.client.set(this.key(id), encodeRecord(record, true), { PXAT: record.expiresAt });
  }

  async delete(id: string): Promise<void> {
    await this.client.del(this.key(id));
  }

  async close(): Promise<void> {
    if (this.connected) await this.client.quit();
  }

  private key(id: string): string {
    return `${this.keyPrefix}session:${id}`;
  }
}
