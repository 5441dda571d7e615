'use strict';
/**
 * Section 7, sessions and guards: what a cookie session costs. HTTP: autocannon against `GET /users/42` on a Serv app
 * without sessions (baseline) and on apps where the route is guarded and reads the session of a signed-in visitor,
 * one per store: SQLite (the default, which the target is judged on: ≥ 0.8× the baseline), memory and Redis (when
 * Redis answers at 127.0.0.1:6379). WebSocket: handshakes per second on the SQLite app without and with the session
 * cookie (the session read from the store and the cross-site check). Every cell also reports the server's CPU time per
 * request or handshake (from /proc), the figure that stays put on a shared machine, and its ratio. Interleaved rounds,
 * median reported.
 */

const { AUTH_SERVERS, startServer } = require('../lib/servers');
const { runLoad } = require('../lib/loadgen');
const { cpuMeter } = require('../lib/proc-stat');
const { interleave, medianResult, spread, formatSpread } = require('../lib/rounds');
const { num, ratio, verdict, markdownTable } = require('../lib/table');

const TARGET = 0.8;
const WS_CONNECTIONS = 10;
/** Stores whose server may be missing (Redis not running): their rows say so instead of failing the section. */
const OPTIONAL = new Set(['redis']);

async function expectAnswer(port, headers, status, body) {
  const response = await fetch(`http://127.0.0.1:${port}/users/42`, { headers, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  if (response.status !== status || (body !== undefined && text !== JSON.stringify(body))) {
    throw new Error(`GET /users/42 answered ${response.status} ${text.slice(0, 200)}; expected ${status}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
  }
}

/** Signs in on the sessions app and returns its `Cookie` header value. */
async function login(port) {
  const response = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST', signal: AbortSignal.timeout(5000) });
  const line = response.headers.getSetCookie().find((c) => c.startsWith('serv_session='));
  if (response.status !== 200 || line === undefined) throw new Error(`POST /login answered ${response.status} without a session cookie`);
  return line.split(';', 1)[0];
}

/** Runs one load generator against `server` while metering its CPU; adds `cpuUs`, server CPU µs per operation. */
async function metered(server, script, config, figure, opts) {
  let meter = null;
  let cpu = {};
  const result = await runLoad(script, config, {
    timeoutMs: opts.durationMs + 60000,
    onPhase: (phase, loadPid) => {
      if (phase === 'measure') meter = cpuMeter({ server: server.pid, load: loadPid });
      if (phase === 'drain' && meter) cpu = meter.stop();
    },
  });
  const cpuUs = cpu.server && result[figure] > 0 ? (cpu.server / 100 / result[figure]) * 1e6 : null;
  return { ...result, cpuUs, serverCpuPercent: cpu.server ?? null, othersCpuPercent: cpu.othersUser ?? null };
}

async function httpRound(server, headers, opts) {
  const result = await metered(server, 'http.js', {
    url: `http://127.0.0.1:${server.port}/users/42`, headers, connections: opts.httpConnections, durationSec: opts.durationMs / 1000, warmupSec: opts.quick ? 0 : 1,
  }, 'reqPerSec', opts);
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx answers, ${result.timeouts} timeouts under load`);
  return result;
}

function wsRound(server, headers, opts) {
  return metered(server, 'ws-handshake.js', {
    url: `ws://127.0.0.1:${server.port}/ws`, headers, connections: WS_CONNECTIONS, durationSec: opts.durationMs / 1000, warmupSec: opts.quick ? 0 : 0.5,
  }, 'perSec', opts);
}

/** Starts the servers; an optional store that cannot start (Redis not running) is recorded as unavailable. */
async function startAll(servers, unavailable) {
  for (const id of Object.keys(AUTH_SERVERS)) {
    try {
      servers[id] = await startServer(AUTH_SERVERS[id]);
      if (id !== 'plain') {
        await expectAnswer(servers[id].port, {}, 401);
        const cookie = await login(servers[id].port);
        servers[id].cookie = cookie;
        await expectAnswer(servers[id].port, { cookie }, 200, { id: 42, name: 'user-42' });
      }
    } catch (error) {
      if (!OPTIONAL.has(id)) throw error;
      unavailable[id] = error.message.split('\n')[0];
      if (servers[id]) await servers[id].child.stop();
      delete servers[id];
    }
  }
  await expectAnswer(servers.plain.port, {}, 200, { id: 42, name: 'user-42' });
}

/** Runs the sessions comparison; returns the section result. */
async function runAuth(opts, log) {
  const servers = {};
  const unavailable = {};
  try {
    await startAll(servers, unavailable);
    const sqlite = servers.sqlite;
    const withCookie = { cookie: sqlite.cookie, origin: `http://127.0.0.1:${sqlite.port}` };
    const cells = { 'http-plain': () => httpRound(servers.plain, {}, opts) };
    for (const store of ['sqlite', 'memory', 'redis']) {
      if (servers[store]) cells[`http-${store}`] = () => httpRound(servers[store], { cookie: servers[store].cookie }, opts);
    }
    cells['ws-anonymous'] = () => wsRound(sqlite, {}, opts);
    cells['ws-cookie'] = () => wsRound(sqlite, withCookie, opts);
    const measured = await interleave(Object.keys(cells), opts.rounds, (id) => cells[id]());
    const rows = Object.keys(LABELS).map((id) => {
      const m = measured[id];
      const figure = id.startsWith('http') ? 'reqPerSec' : 'perSec';
      if (m === undefined) return { id, status: 'unavailable', reason: unavailable[id.slice('http-'.length)] || 'not started' };
      if (m.error) return { id, status: 'failed', reason: m.error.message };
      const cpu = m.results.map((r) => r.cpuUs).filter((v) => v !== null).sort((a, b) => a - b);
      const cpuUs = cpu.length === 0 ? null : cpu[Math.floor((cpu.length - 1) / 2)];
      return { id, status: 'ok', figure, ...medianResult(m.results, figure), cpuUs, spread: spread(m.results, figure), rounds: m.results };
    });
    for (const r of rows) log(`  auth ${r.id}: ${r.status === 'ok' ? `${num(r[r.figure])}/s, ${num(r.cpuUs)} µs server CPU each` : `${r.status}: ${r.reason}`}`);
    return render(rows, opts);
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.child.stop()));
  }
}

const LABELS = {
  'http-plain': 'HTTP GET /users/42, no session, no guard',
  'http-sqlite': 'HTTP GET /users/42, guard + SQLite session read (default store)',
  'http-memory': 'HTTP GET /users/42, guard + memory session read',
  'http-redis': 'HTTP GET /users/42, guard + Redis session read',
  'ws-anonymous': 'WebSocket handshakes, no cookie',
  'ws-cookie': 'WebSocket handshakes, session cookie (SQLite read + origin check)',
};
const BASELINE = { 'http-plain': null, 'http-sqlite': 'http-plain', 'http-memory': 'http-plain', 'http-redis': 'http-plain', 'ws-anonymous': null, 'ws-cookie': 'ws-anonymous' };

function render(rows, opts) {
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  const ok = (id) => byId[id].status === 'ok';
  // Throughput ratio: cell ÷ baseline per second. CPU ratio: baseline CPU per operation ÷ the cell's, so that both
  // read "the fraction of the baseline's speed" (1× = free, 0.5× = twice the work).
  const rateRatio = (id) => (ok(id) && ok(BASELINE[id]) ? byId[id][byId[id].figure] / byId[BASELINE[id]][byId[BASELINE[id]].figure] : undefined);
  const cpuRatio = (id) => (ok(id) && ok(BASELINE[id]) && byId[id].cpuUs && byId[BASELINE[id]].cpuUs ? byId[BASELINE[id]].cpuUs / byId[id].cpuUs : undefined);
  const httpRatio = rateRatio('http-sqlite');
  const httpCpuRatio = cpuRatio('http-sqlite');
  const headers = ['cell', 'per second', 'spread', 'server CPU µs each', 'p50 ms', 'p99 ms', 'ratio (per s)', 'ratio (CPU)', 'target'];
  const body = rows.map((r) => {
    if (r.status !== 'ok') return [LABELS[r.id], `${r.status}: ${r.reason.split('\n')[0]}`, '', '', '', '', '', '', ''];
    const isBase = BASELINE[r.id] === null;
    return [LABELS[r.id], num(r[r.figure]), formatSpread(r.spread, opts.rounds), num(r.cpuUs), num(r.p50Ms, 0), num(r.p99Ms, 0),
      isBase ? 'baseline' : ratio(rateRatio(r.id)), isBase ? 'baseline' : ratio(cpuRatio(r.id)),
      r.id === 'http-sqlite' ? `${verdict(httpRatio !== undefined && httpRatio >= TARGET)} / ${verdict(httpCpuRatio !== undefined && httpCpuRatio >= TARGET)} (≥ ${TARGET.toFixed(1)}×)` : ''];
  });
  const note = `autocannon, ${opts.httpConnections} connections, ${opts.rounds} interleaved round(s) of ${opts.durationMs / 1000} s; each sessions app reads a signed-in visitor's session from its store (SQLite in WAL mode is the default and carries the target); ` +
    `WebSocket: ${WS_CONNECTIONS} loops of connect → open → close against the SQLite app. "Server CPU µs each" is the server process's user + system CPU (from /proc) per request or handshake over the measured window, median of the rounds: ` +
    'on a shared machine it moves far less than requests per second, so "ratio (CPU)" (baseline µs ÷ cell µs) is the figure to trust there; on a quiet machine both agree.';
  return {
    id: 'auth',
    title: 'Sessions and guards',
    rows,
    markdown: `${note}\n\n${markdownTable(headers, body)}`,
    targets: [{
      figure: 'HTTP guarded SQLite-session route vs the same route without session and guard, requests/s',
      target: `≥ ${TARGET.toFixed(1)}×`,
      measured: httpRatio === undefined ? 'unavailable' : ratio(httpRatio),
      pass: httpRatio !== undefined && httpRatio >= TARGET,
    }, {
      figure: 'The same, server CPU per request (baseline µs ÷ session µs)',
      target: `≥ ${TARGET.toFixed(1)}×`,
      measured: httpCpuRatio === undefined ? 'unavailable' : ratio(httpCpuRatio),
      pass: httpCpuRatio !== undefined && httpCpuRatio >= TARGET,
    }],
  };
}

module.exports = { runAuth };
