import type { ServSettings } from '@serv/core';
import cluster from 'node:cluster';
import * as path from 'node:path';
import { RoomsError } from '../rooms/rooms-error';
import { MemoryStore } from './memory-store';
import type { MessageStore, Retention } from './message-store';
import { DEFAULT_STORE, isDefaultStore } from './store-settings';

/**
 * The message store `settings.store` asks for (its driver is loaded by `start()`, only then). A memory store keeps
 * offsets in one process, so it is refused where several processes publish to the same rooms.
 */
export function createStore(settings: ServSettings): MessageStore {
  const store = settings.store ?? DEFAULT_STORE;
  const retention: Retention = { maxPerRoom: settings.historyMaxPerRoom ?? 1000, ttlMs: (settings.historyTtlS ?? 604_800) * 1000 };
  if (store.kind === 'sqlite') {
    const { SqliteStore } = require('./sqlite-store') as typeof import('./sqlite-store');
    return new SqliteStore(path.resolve(store.path), retention, isDefaultStore(store));
  }
  if (store.kind === 'postgres') {
    const { PostgresStore } = require('./postgres-store') as typeof import('./postgres-store');
    return new PostgresStore(store.url, store.prefix ?? 'serv_', retention);
  }
  const shared = settings.broker?.kind === 'redis' ? 'settings.broker.kind is "redis"' : cluster.isWorker ? 'serv launch runs --workers' : null;
  if (shared !== null) {
    throw new RoomsError(
      'SERV_ROOMS_STORE',
      `settings.store.kind is "memory", which keeps offsets and history in one process, but ${shared}; use { kind: sqlite } (one machine) or { kind: postgres, url } (several)`,
    );
  }
  return new MemoryStore(retention);
}
