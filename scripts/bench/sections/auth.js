'use strict';
/**
 * Section 7, sessions and guards: what a cookie session costs. HTTP: autocannon against `GET /users/42` on a Serv app
 * without sessions (baseline) and on one where the route is guarded and reads the SQLite-backed session of a signed-in
 * visitor (target ≥ 0.8× the baseline). WebSocket: handshakes per second on the sessions app without and with the
 * session cookie (the session read from the store and the cross-site check). Interleaved rounds, median reported.
 */

const { AUTH_SERVERS, startServer } = require('../lib/servers');
const { runLoad } = require('../lib/loadgen');
const { interleave, medianResult, spread, formatSpread } = require('../lib/rounds');
const { num, ratio, verdict, markdownTable } = require('../lib/table');

const TARGET = 0.8;
const WS_CONNECTIONS = 10;

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

async function httpRound(port, headers, opts) {
  const result = await runLoad('http.js', {
    url: `http://127.0.0.1:${port}/users/42`, headers, connections: opts.httpConnections, durationSec: opts.durationMs / 1000, warmupSec: opts.quick ? 0 : 1,
  }, { timeoutMs: opts.durationMs + 60000 });
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx answers, ${result.timeouts} timeouts under load`);
  return result;
}

async function wsRound(port, headers, opts) {
  return runLoad('ws-handshake.js', {
    url: `ws://127.0.0.1:${port}/ws`, headers, connections: WS_CONNECTIONS, durationSec: opts.durationMs / 1000, warmupSec: opts.quick ? 0 : 0.5,
  }, { timeoutMs: opts.durationMs + 60000 });
}

/** Runs the sessions comparison; returns the section result. */
async function runAuth(opts, log) {
  const servers = {};
  try {
    for (const id of Object.keys(AUTH_SERVERS)) servers[id] = await startServer(AUTH_SERVERS[id]);
    const plain = servers.plain.port;
    const sessions = servers.sessions.port;
    await expectAnswer(plain, {}, 200, { id: 42, name: 'user-42' });
    await expectAnswer(sessions, {}, 401);
    const cookie = await login(sessions);
    const withCookie = { cookie, origin: `http://127.0.0.1:${sessions}` };
    await expectAnswer(sessions, withCookie, 200, { id: 42, name: 'user-42' });
    const cells = {
      'http-plain': () => httpRound(plain, {}, opts),
      'http-sessions': () => httpRound(sessions, { cookie }, opts),
      'ws-anonymous': () => wsRound(sessions, {}, opts),
      'ws-cookie': () => wsRound(sessions, withCookie, opts),
    };
    const measured = await interleave(Object.keys(cells), opts.rounds, (id) => cells[id]());
    const rows = Object.keys(cells).map((id) => {
      const m = measured[id];
      const figure = id.startsWith('http') ? 'reqPerSec' : 'perSec';
      if (m.error) return { id, status: 'failed', reason: m.error.message };
      return { id, status: 'ok', figure, ...medianResult(m.results, figure), spread: spread(m.results, figure) };
    });
    for (const r of rows) log(`  auth ${r.id}: ${r.status === 'ok' ? `${num(r[r.figure])}/s` : `${r.status}: ${r.reason}`}`);
    return render(rows, opts);
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.child.stop()));
  }
}

const LABELS = {
  'http-plain': 'HTTP GET /users/42, no session, no guard',
  'http-sessions': 'HTTP GET /users/42, guard + SQLite session read',
  'ws-anonymous': 'WebSocket handshakes, no cookie',
  'ws-cookie': 'WebSocket handshakes, session cookie (store read + origin check)',
};

function render(rows, opts) {
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  const value = (id) => (byId[id].status === 'ok' ? byId[id][byId[id].figure] : undefined);
  const httpRatio = value('http-plain') && value('http-sessions') ? value('http-sessions') / value('http-plain') : undefined;
  const wsRatio = value('ws-anonymous') && value('ws-cookie') ? value('ws-cookie') / value('ws-anonymous') : undefined;
  const headers = ['cell', 'per second', 'spread', 'p50 ms', 'p99 ms', 'ratio', 'target'];
  const body = rows.map((r) => {
    if (r.status !== 'ok') return [LABELS[r.id], `${r.status}: ${r.reason.split('\n')[0]}`, '', '', '', '', ''];
    const isBase = r.id === 'http-plain' || r.id === 'ws-anonymous';
    const cellRatio = r.id === 'http-sessions' ? httpRatio : r.id === 'ws-cookie' ? wsRatio : undefined;
    return [LABELS[r.id], num(r[r.figure]), formatSpread(r.spread, opts.rounds), num(r.p50Ms, 0), num(r.p99Ms, 0), isBase ? 'baseline' : ratio(cellRatio),
      r.id === 'http-sessions' ? `${verdict(httpRatio !== undefined && httpRatio >= TARGET)} (≥ ${TARGET.toFixed(1)}×)` : ''];
  });
  const note = `autocannon, ${opts.httpConnections} connections, ${opts.rounds} interleaved round(s) of ${opts.durationMs / 1000} s; the sessions app uses the default store (SQLite, WAL) and a signed-in visitor's cookie; WebSocket: ${WS_CONNECTIONS} loops of connect → open → close against the sessions app.`;
  return {
    id: 'auth',
    title: 'Sessions and guards',
    rows,
    markdown: `${note}\n\n${markdownTable(headers, body)}`,
    targets: [{
      figure: 'HTTP guarded session-reading route vs the same route without session and guard',
      target: `≥ ${TARGET.toFixed(1)}×`,
      measured: httpRatio === undefined ? 'unavailable' : ratio(httpRatio),
      pass: httpRatio !== undefined && httpRatio >= TARGET,
    }],
  };
}

module.exports = { runAuth };
