import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreSettings } from '@serv/websocket';

/** The shared test PostgreSQL (`.ci/run` starts it when it is not answering): trust auth, database `test`. */
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A SQLite store in a fresh temporary folder, removed by `remove()`. */
export interface TempSqlite {
  readonly dir: string;
  readonly path: string;
  readonly settings: StoreSettings;
  remove(): void;
}

/** A fresh temporary SQLite store (the file itself appears only with the first publish). */
export function tempSqlite(): TempSqlite {
  const dir = mkdtempSync(join(tmpdir(), 'serv-history-'));
  const path = join(dir, 'serv.db');
  return { dir, path, settings: { kind: 'sqlite', path }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const PING = `
const { Client } = require('pg');
const c = new Client({ connectionString: ${JSON.stringify(POSTGRES_URL)}, connectionTimeoutMillis: 2000 });
c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`;

/**
 * Whether PostgreSQL answers at 127.0.0.1:5432. Without it a suite warns and skips on a developer's machine; with
 * `CI=true` its absence throws, failing the suite.
 */
export function postgresAvailable(suite: string): boolean {
  const answered = spawnSync(process.execPath, ['-e', PING], { timeout: 10_000 }).status === 0;
  if (answered) return true;
  const how = 'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (trust auth, database "test")';
  if (process.env.CI === 'true') throw new Error(`${suite} needs PostgreSQL at 127.0.0.1:5432, which is not answering; ${how}`);
  console.warn(`SKIPPED ${suite}: PostgreSQL at 127.0.0.1:5432 is not answering; ${how}`);
  return false;
}

/** A table prefix no other test run shares. */
export function uniqueTablePrefix(name: string): string {
  return `servt_${name}_${process.pid}_${randomBytes(4).toString('hex')}_`;
}

/** Drop the tables a test run created under `prefix`. */
export async function dropTables(prefix: string): Promise<void> {
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${prefix}messages, ${prefix}streams`);
  } finally {
    await client.end();
  }
}
