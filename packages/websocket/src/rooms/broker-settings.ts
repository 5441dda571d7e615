import { expectKnownKeys, expectMapping, expectString, fail, isUnset, keyAt, type At } from '@serv/core';
import { expectServiceUrl } from '../settings/expect-url';

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
  const url = expectServiceUrl(block.url, keyAt(at, 'url'), ['redis', 'rediss'], 'redis://127.0.0.1:6379');
  const prefix = isUnset(block.prefix) ? 'serv:' : expectString(block.prefix, keyAt(at, 'prefix'));
  return { kind: 'redis', url, prefix };
}
