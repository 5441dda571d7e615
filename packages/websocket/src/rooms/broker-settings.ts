import { expectKnownKeys, expectMapping, expectString, fail, isUnset, keyAt, type At } from '@serv/core';

/** Where rooms, broadcast and presence travel between processes (`settings.broker`). */
export type BrokerSettings =
  | { kind: 'memory' }
  | {
      kind: 'redis';
      /** `redis://` or `rediss://` URL of the Redis server. */
      url: string;
      /** Prefix of every Redis key and channel the broker uses. Default "serv:". */
      prefix: string;
    };

/** `broker: { kind: memory }` or `{ kind: redis, url, prefix? }`; a malformed URL is refused here, at load time. */
export function readBroker(value: unknown, at: At): BrokerSettings {
  const block = expectMapping(value, at);
  const kind = expectString(block.kind, keyAt(at, 'kind'));
  if (kind === 'memory') {
    expectKnownKeys(block, at, ['kind']);
    return { kind: 'memory' };
  }
  if (kind !== 'redis') fail(keyAt(at, 'kind'), 'be "memory" or "redis"', kind);
  expectKnownKeys(block, at, ['kind', 'url', 'prefix']);
  const urlAt = keyAt(at, 'url');
  const url = expectString(block.url, urlAt);
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    fail(urlAt, 'be a URL like "redis://127.0.0.1:6379"', url);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') fail(urlAt, 'be a redis:// or rediss:// URL', url);
  const prefix = isUnset(block.prefix) ? 'serv:' : expectString(block.prefix, keyAt(at, 'prefix'));
  return { kind: 'redis', url, prefix };
}
