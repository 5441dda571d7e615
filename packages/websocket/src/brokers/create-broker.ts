import type { ServSettings } from '@serv/core';
import cluster from 'node:cluster';
import type { Broker } from './broker';
import { ClusterBroker } from './cluster-broker';
import { ROOMS_RELAY_ENV } from './cluster-protocol';
import { MemoryBroker } from './memory-broker';

/**
 * The broker `settings.broker` asks for: Redis (loaded only then), or memory — which, in a `serv launch --workers`
 * worker, relays through the primary so that rooms span every worker with nothing to configure.
 */
export function createBroker(settings: ServSettings, instance: string): Broker {
  const broker = settings.broker ?? { kind: 'memory' };
  if (broker.kind === 'redis') {
    // Required here, not imported: only a Redis-configured app loads it (and through it, the `redis` package).
    const { RedisBroker } = require('./redis-broker') as typeof import('./redis-broker');
    return new RedisBroker({ url: broker.url, prefix: broker.prefix ?? 'serv:', presenceTtlMs: settings.presenceTtlMs ?? 15000 }, instance);
  }
  if (cluster.isWorker && process.env[ROOMS_RELAY_ENV] === '1' && typeof process.send === 'function') {
    return new ClusterBroker();
  }
  return new MemoryBroker();
}
