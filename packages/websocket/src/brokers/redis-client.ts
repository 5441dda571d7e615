import { RoomsError } from '../rooms/rooms-error';

/** The part of a node-redis client the Redis broker uses (kept structural: `redis` is an optional peer). */
export interface RedisClientLike {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  duplicate(): RedisClientLike;
  on(event: 'error' | 'ready', listener: (error?: Error) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  sendCommand<T>(args: ReadonlyArray<string | Buffer>): Promise<T>;
  subscribe(channel: string, listener: (message: Buffer, channel: Buffer) => void, bufferMode: true): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}

/** Options node-redis' `createClient` gets from the broker. */
export interface RedisClientOptions {
  url: string;
  disableOfflineQueue: boolean;
  socket: { reconnectStrategy: (retries: number, cause: Error) => number | Error; connectTimeout: number };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/**
 * node-redis' `createClient`, required only now (an app whose broker is not Redis never loads it); a missing module
 * is a startup error that names the setting and the package.
 */
export function loadCreateClient(): (options: RedisClientOptions) => RedisClientLike {
  try {
    return (require('redis') as { createClient: (options: RedisClientOptions) => RedisClientLike }).createClient;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new RoomsError(
      'SERV_ROOMS_BROKER',
      'settings.broker.kind is "redis", which needs the node-redis package; install it next to @serv/websocket (npm install redis)',
      { cause: err },
    );
  }
}
