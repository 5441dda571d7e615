'use strict';
/**
 * Section 6, message history: persisted `rooms.publish()` throughput with the SQLite store against better-sqlite3
 * inserting the same rows in the same batch sizes by itself, the same with PostgreSQL against pg, interleaved rounds
 * in one process (servers/history-bench.ts); and the time a reconnecting client takes to receive 1 000 missed messages.
 */

const path = require('node:path');
const { spawn } = require('node:child_process');
const { num, ratio, verdict, markdownTable, median } = require('../lib/table');
const P = require('../lib/paths');

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const TARGETS = { sqliteRatio: 0.8, sqliteRate: 20000 };
const BATCH = 100;

function measure(options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', P.CLI_REGISTER, path.join(P.SERVERS_DIR, 'history-bench.ts')], {
      cwd: P.REPO_ROOT,
      env: { ...process.env, BENCH_HISTORY: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`history-bench exited ${code}: ${err.slice(-2000)}`))));
  });
}

async function postgresUp() {
  try {
    const { Client } = require('pg');
    const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function runHistory(opts, log) {
  const count = opts.quick ? 2000 : 100000;
  const withPostgres = await postgresUp();
  const m = await measure({ count, batch: BATCH, rounds: opts.rounds, postgresUrl: withPostgres ? POSTGRES_URL : null });
  const sqliteServ = median(m.sqliteServ);
  const sqliteBare = median(m.sqliteBare);
  const rows = [
    ['SQLite (WAL, synchronous=NORMAL)', 'better-sqlite3 alone', num(sqliteBare), ''],
    ['SQLite (WAL, synchronous=NORMAL)', 'Serv rooms.publish() (SQLite)', num(sqliteServ), ratio(sqliteServ / sqliteBare)],
    ['SQLite (WAL, synchronous=NORMAL)', 'Serv rooms.publish() (SQLite, history_max_per_room 1000: trims as it writes)', num(median(m.sqliteTrimmed)), ratio(median(m.sqliteTrimmed) / sqliteBare)],
  ];
  let pgRatio;
  if (withPostgres) {
    const pgServ = median(m.postgresServ);
    const pgBare = median(m.postgresBare);
    pgRatio = pgServ / pgBare;
    rows.push(['PostgreSQL 127.0.0.1', 'pg alone (one multi-row INSERT per batch)', num(pgBare), '']);
    rows.push(['PostgreSQL 127.0.0.1', 'Serv rooms.publish() (PostgreSQL)', num(pgServ), ratio(pgRatio)]);
  } else {
    rows.push(['PostgreSQL 127.0.0.1', 'pg alone (one multi-row INSERT per batch)', 'unavailable: PostgreSQL at 127.0.0.1:5432 not answering', '']);
  }
  log(`  history: SQLite ${num(sqliteServ)} msg/s (${ratio(sqliteServ / sqliteBare)} of better-sqlite3), recovery of 1 000 missed ${num(m.recoveryMs, 1)} ms`);
  const note = `${num(count)} messages of 60 B JSON into one room per round, ${BATCH} publishes per event-loop turn (the driver: ${BATCH} rows per transaction); median of ${opts.rounds} interleaved round(s). Retention trimming off in both (history_max_per_room above the count), and once more for Serv with the default 1 000 per room, where each message written past it also deletes one.`;
  const spreadOf = (list) => `${num(Math.min(...list))}–${num(Math.max(...list))}`;
  const spreadLine = `Rounds (min–max msg/s): better-sqlite3 ${spreadOf(m.sqliteBare)}, Serv SQLite ${spreadOf(m.sqliteServ)}${withPostgres ? `, pg ${spreadOf(m.postgresBare)}, Serv PostgreSQL ${spreadOf(m.postgresServ)}` : ''}.`;
  const markdown = `${note}\n\n${markdownTable(['store', 'writer', 'msg/s', 'ratio to the driver alone'], rows)}\n\nRecovery: a client reconnecting with \`?after=0\` received 1 000 missed messages (SQLite) in ${num(m.recoveryMs, 1)} ms, from connect to the last frame.\n\n${spreadLine}`;
  const targets = [
    { figure: 'history: SQLite publish vs better-sqlite3', target: `≥ ${ratio(TARGETS.sqliteRatio)}`, measured: ratio(sqliteServ / sqliteBare), pass: sqliteServ / sqliteBare >= TARGETS.sqliteRatio },
    { figure: 'history: SQLite persisted msg/s', target: `≥ ${num(TARGETS.sqliteRate)}`, measured: num(sqliteServ), pass: sqliteServ >= TARGETS.sqliteRate },
  ];
  return { id: 'history', title: 'Message history', rows: [], raw: m, markdown, targets };
}

module.exports = { runHistory };
