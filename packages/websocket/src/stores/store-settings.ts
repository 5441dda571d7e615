import { expectKnownKeys, expectMapping, expectString, fail, isUnset, keyAt, type At } from '@serv/core';
import * as path from 'node:path';
import { expectServiceUrl } from '../settings/expect-url';

/** Where published messages are kept (`settings.store`). */
export type StoreSettings =
  | {
      kind: 'sqlite';
      /** The database file; relative paths resolve against the folder of serv.config.yaml. Default "./data/serv.db". */
      path: string;
    }
  | {
      kind: 'postgres';
      /** `postgres://` or `postgresql://` URL. */
      url: string;
      /** Prefix of the two tables (`<prefix>streams`, `<prefix>messages`). Default "serv_". */
      prefix: string;
    }
  | { kind: 'memory' };

/** The default store: SQLite next to the config file. */
export const DEFAULT_STORE: StoreSettings = { kind: 'sqlite', path: './data/serv.db' };

/** Store settings that are the default, not written by the user (their driver is loaded only when first used). */
const defaults = new WeakSet<StoreSettings>([DEFAULT_STORE]);

/** The default store resolved against the config file's folder `dir`, remembered as a default. */
export function defaultStore(dir: string): StoreSettings {
  const store: StoreSettings = { kind: 'sqlite', path: path.resolve(dir, './data/serv.db') };
  defaults.add(store);
  return store;
}

/** Whether `store` is the default rather than written in settings. */
export function isDefaultStore(store: StoreSettings): boolean {
  return defaults.has(store);
}

const PREFIX = /^[a-z_][a-z0-9_]{0,40}$/;

/** `store: { kind: sqlite, path? }`, `{ kind: postgres, url, prefix? }` or `{ kind: memory }`, checked at load time. */
export function readStore(value: unknown, at: At, dir: string): StoreSettings {
  const block = expectMapping(value, at);
  const kind = expectString(block.kind, keyAt(at, 'kind'));
  if (kind === 'memory') {
    expectKnownKeys(block, at, ['kind']);
    return { kind: 'memory' };
  }
  if (kind === 'sqlite') {
    expectKnownKeys(block, at, ['kind', 'path']);
    const file = isUnset(block.path) ? './data/serv.db' : expectString(block.path, keyAt(at, 'path'));
    return { kind: 'sqlite', path: path.resolve(dir, file) };
  }
  if (kind !== 'postgres') fail(keyAt(at, 'kind'), 'be "sqlite", "postgres" or "memory"', kind);
  expectKnownKeys(block, at, ['kind', 'url', 'prefix']);
  const url = expectServiceUrl(block.url, keyAt(at, 'url'), ['postgres', 'postgresql'], 'postgres://user@127.0.0.1:5432/app');
  const prefixAt = keyAt(at, 'prefix');
  const prefix = isUnset(block.prefix) ? 'serv_' : expectString(block.prefix, prefixAt);
  if (!PREFIX.test(prefix)) fail(prefixAt, 'be lower-case letters, digits and _ (a table name prefix such as "serv_")', prefix);
  return { kind: 'postgres', url, prefix };
}
