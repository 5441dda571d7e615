import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { REDIS_URL, deleteKeys, redisAvailable } from '../../../packages/websocket/test/helpers/redis';
import { POSTGRES_URL, postgresAvailable } from '../../../packages/websocket/test/helpers/stores';
import type { LaunchedExample } from '../../websocket_chat/test/launch-example';
import { copyRoomChat, launchRoomChat } from './room-chat';

/** The config file a pair writes into its copy: serv.production.yaml with this run's prefixes. */
const CONFIG = 'serv.two-instances.yaml';

/** Whether Redis and PostgreSQL both answer (with CI=true a missing one fails the suite; elsewhere it is skipped loudly). */
export function productionServicesAvailable(suite: string): boolean {
  return redisAvailable(suite) && postgresAvailable(suite);
}

/** Two `serv launch` instances of one copy of the room chat in production shape. */
export interface ProductionPair {
  /** The copy both instances run in: uploaded files land in its data/files, which both read. */
  readonly dir: string;
  readonly first: LaunchedExample;
  readonly second: LaunchedExample;
}

/** This run's Redis key prefix (broker and sessions) and PostgreSQL table prefix: unique, so runs never meet. */
export interface PairPrefixes {
  readonly redisPrefix: string;
  readonly tablePrefix: string;
}

/** Fresh prefixes for one run. */
export function pairPrefixes(): PairPrefixes {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  return { redisPrefix: `room_chat_test:${id}:`, tablePrefix: `rct_${id}_` };
}

/**
 * Writes serv.production.yaml of a fresh copy with `prefixes` (Redis broker `prefix`, Redis sessions `key_prefix`,
 * PostgreSQL store `prefix`, which also names the app's users and rooms tables) and launches it twice with one
 * `SERV_SESSION_SECRET`, as two machines behind a proxy would run it (here: one folder, so one data/files).
 */
export async function launchProductionPair(prefixes: PairPrefixes): Promise<ProductionPair> {
  const dir = copyRoomChat();
  const doc = parseDocument(readFileSync(join(dir, 'serv.production.yaml'), 'utf8'));
  const shape = [doc.getIn(['settings', 'broker', 'kind']), doc.getIn(['settings', 'store', 'kind']), doc.getIn(['settings', 'sessions', 'store', 'kind'])];
  if (shape.join() !== 'redis,postgres,redis') throw new Error(`serv.production.yaml must use the Redis broker, the PostgreSQL store and Redis sessions, got ${shape.join(', ')}`);
  doc.setIn(['settings', 'broker', 'url'], REDIS_URL);
  doc.setIn(['settings', 'broker', 'prefix'], prefixes.redisPrefix);
  doc.setIn(['settings', 'sessions', 'store', 'url'], REDIS_URL);
  doc.setIn(['settings', 'sessions', 'store', 'key_prefix'], prefixes.redisPrefix);
  doc.setIn(['settings', 'store', 'url'], POSTGRES_URL);
  doc.setIn(['settings', 'store', 'prefix'], prefixes.tablePrefix);
  writeFileSync(join(dir, CONFIG), doc.toString());
  const env = { SERV_SESSION_SECRET: randomBytes(32).toString('base64url') };
  const first = await launchRoomChat(dir, 0, ['--config', CONFIG], env);
  const second = await launchRoomChat(dir, 0, ['--config', CONFIG], env);
  return { dir, first, second };
}

/** Deletes what a run left in Redis (every key under its prefix) and PostgreSQL (its tables). */
export async function cleanUpPrefixes(prefixes: PairPrefixes): Promise<void> {
  await deleteKeys(prefixes.redisPrefix);
  const { Client } = require('pg') as typeof import('pg');
  const pg = new Client({ connectionString: POSTGRES_URL });
  await pg.connect();
  try {
    const tables = ['messages', 'streams', 'users', 'rooms'].map((name) => `${prefixes.tablePrefix}${name}`);
    await pg.query(`DROP TABLE IF EXISTS ${tables.join(', ')}`);
  } finally {
    await pg.end();
  }
}
