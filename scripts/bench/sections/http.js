'use strict';
/**
 * Section 3, HTTP: autocannon (in its own process) against `GET /users/42` on bare node:http, fastify and a Serv
 * route class with an injected service and an `{id:int}` parameter, in interleaved rounds (median reported). Every
 * server's answer is checked first, so a fast 404 can never pass for a fast route.
 */

const { HTTP_SERVERS, HTTP_V8_FLAGS, startServer, withSemiSpace, defaultSemiSpaceMb } = require('../lib/servers');
const { runLoad } = require('../lib/loadgen');
const { cpuMeter } = require('../lib/proc-stat');
const { interleave, medianResult, spread, formatSpread } = require('../lib/rounds');
const { num, ratio, verdict, markdownTable, problemNotes } = require('../lib/table');

/**
 * The servers of this run: both baselines at Node's defaults, Serv with the young generation `serv launch` gives it by
 * default (its route class runs under `node -r register`, like a program calling createApp, so it gets the node flag),
 * and with `--semi-space LIST` one more Serv row per size.
 */
function httpSpecs(opts) {
  const base = HTTP_SERVERS.serv;
  const launchDefault = defaultSemiSpaceMb() ?? 'default';
  const serv = { ...withSemiSpace(base, launchDefault), id: 'serv', kind: 'serv', label: base.label };
  const sweep = opts.semiSpaces.map((mb) => ({ ...withSemiSpace(base, mb), kind: 'serv-variant' }));
  return [HTTP_SERVERS['node-http'], HTTP_SERVERS.fastify, HTTP_SERVERS['fastify-logger'], HTTP_SERVERS['node-http-contract'], serv, ...sweep];
}
const TARGETS = { fastify: 1.0, 'node-http': 0.9 };
const EXPECTED = { id: 42, name: 'user-42' };

/** Fails unless GET /users/42 answers 200 with the expected JSON. */
async function checkAnswer(port) {
  const response = await fetch(`http://127.0.0.1:${port}/users/42`, { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const type = response.headers.get('content-type') || '';
  if (response.status !== 200 || !type.includes('application/json') || JSON.stringify(body) !== JSON.stringify(EXPECTED)) {
    throw new Error(`GET /users/42 answered ${response.status} ${type} ${text.slice(0, 200)}; expected 200 application/json ${JSON.stringify(EXPECTED)}`);
  }
}

async function measure(server, opts) {
  let meter = null;
  let cpu = {};
  const result = await runLoad('http.js', {
    url: `http://127.0.0.1:${server.port}/users/42`,
    connections: opts.httpConnections,
    durationSec: opts.durationMs / 1000,
    warmupSec: opts.quick ? 0 : 1,
  }, {
    timeoutMs: opts.durationMs + 60000,
    onPhase: (phase, loadPid) => {
      if (phase === 'measure') meter = cpuMeter({ server: server.pid, load: loadPid });
      if (phase === 'drain' && meter) cpu = meter.stop();
    },
  });
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx answers, ${result.timeouts} timeouts under load`);
  }
  return {
    ...result,
    serverCpuPercent: cpu.server ?? null,
    loadCpuPercent: cpu.load ?? null,
    othersCpuPercent: cpu.othersUser ?? null,
    reqPerServerCpuSecond: cpu.server ? result.reqPerSec / (cpu.server / 100) : null,
  };
}

/** Starts a server and checks its answer; a server that cannot start is "unavailable", a wrong answer "failed". */
async function prepare(spec) {
  const reason = spec.unavailable();
  if (reason) return { status: 'unavailable', reason };
  let server;
  try {
    server = await startServer(spec);
  } catch (error) {
    return { status: spec.kind === 'serv' ? 'unavailable' : 'failed', reason: error.message };
  }
  try {
    await checkAnswer(server.port);
    return { status: 'ok', server };
  } catch (error) {
    await server.child.stop();
    return { status: 'failed', reason: error.message };
  }
}

/** Runs the HTTP comparison; returns the section result. */
async function runHttp(opts, log) {
  const specs = httpSpecs(opts);
  const IDS = specs.map((spec) => spec.id);
  const prepared = {};
  for (const spec of specs) prepared[spec.id] = await prepare(spec);
  const rows = [];
  try {
    const running = IDS.filter((id) => prepared[id].status === 'ok');
    const measured = await interleave(running, opts.rounds, (id) => measure(prepared[id].server, opts));
    for (const spec of specs) {
      const id = spec.id;
      const row = { server: spec.label, serverId: id, kind: spec.kind };
      const m = measured[id];
      if (prepared[id].status !== 'ok') Object.assign(row, { status: prepared[id].status, reason: prepared[id].reason });
      else if (m.error) Object.assign(row, { status: 'failed', reason: m.error.message });
      else Object.assign(row, { status: 'ok' }, medianResult(m.results, 'reqPerSec'), { spread: spread(m.results, 'reqPerSec'), rounds: m.results });
      rows.push(row);
      log(`  http ${spec.label}: ${row.status === 'ok' ? `${num(row.reqPerSec)} req/s` : `${row.status}: ${row.reason.split('\n')[0]}`}`);
    }
  } finally {
    await Promise.all(IDS.filter((id) => prepared[id].server).map((id) => prepared[id].server.child.stop()));
  }
  const byId = Object.fromEntries(rows.map((r) => [r.serverId, r]));
  const serv = byId.serv;
  for (const row of rows.filter((r) => r.kind === 'serv' || r.kind === 'serv-variant')) {
    row.ratios = {};
    for (const baseId of Object.keys(TARGETS)) {
      const base = byId[baseId];
      if (row.status === 'ok' && base.status === 'ok') {
        row.ratios[baseId] = row.reqPerSec / base.reqPerSec;
        if (row.reqPerServerCpuSecond && base.reqPerServerCpuSecond) row.cpuRatios = { ...row.cpuRatios, [baseId]: row.reqPerServerCpuSecond / base.reqPerServerCpuSecond };
      }
    }
  }
  if (byId.fastify.status === 'ok' && byId['node-http'].status === 'ok') byId.fastify.ratios = { 'node-http': byId.fastify.reqPerSec / byId['node-http'].reqPerSec };
  for (const reference of rows.filter((r) => r.kind === 'reference')) {
    if (reference.status === 'ok' && byId.fastify.status === 'ok' && byId['node-http'].status === 'ok') {
      reference.ratios = { 'node-http': reference.reqPerSec / byId['node-http'].reqPerSec, fastify: reference.reqPerSec / byId.fastify.reqPerSec };
    }
  }
  return { id: 'http', title: 'HTTP', rows, markdown: render(rows, opts), targets: targets(serv) };
}

function render(rows, opts) {
  const headers = ['server', 'req/s', 'MB/s', 'spread', 'p50 ms', 'p99 ms', 'server CPU %', 'req / server CPU-s', 'loadgen CPU %', 'others CPU %', 'ratio to node:http', 'ratio to fastify', 'ratio per CPU-s (node:http, fastify)', 'target'];
  const body = rows.map((r) => {
    if (r.status !== 'ok') return [r.server, `${r.status} (see below)`, ...Array(headers.length - 3).fill(''), r.kind === 'serv' ? 'FAIL' : ''];
    const ratios = r.ratios || {};
    const target = r.kind === 'serv'
      ? Object.entries(TARGETS).map(([baseId, min]) => `${verdict(ratios[baseId] !== undefined && ratios[baseId] >= min)} (≥ ${min.toFixed(1)}× ${baseId === 'fastify' ? 'fastify' : 'node:http'})`).join(', ')
      : '';
    return [r.server, num(r.reqPerSec), num(r.mbPerSec), formatSpread(r.spread, opts.rounds), num(r.p50Ms, 0), num(r.p99Ms, 0), num(r.serverCpuPercent, 0),
      num(r.reqPerServerCpuSecond), num(r.loadCpuPercent, 0), num(r.othersCpuPercent, 0),
      r.serverId === 'node-http' ? 'baseline' : ratio(ratios['node-http']), r.serverId === 'fastify' ? 'baseline' : ratios.fastify !== undefined ? ratio(ratios.fastify) : '',
      r.cpuRatios ? `${ratio(r.cpuRatios['node-http'])}, ${ratio(r.cpuRatios.fastify)}` : '', target];
  });
  const note = `autocannon, ${opts.httpConnections} connections, no pipelining, ${opts.rounds} interleaved round(s) of ${opts.durationMs / 1000} s${opts.quick ? '' : ' each after a 1 s warm-up'}, median round reported; GET /users/42 answering {"id":42,"name":"user-42"} (checked before the run); latency has autocannon's 1 ms resolution; fastify with a response schema and its logger off, as in its own benchmarks (the fastify reference row has the logger on at its defaults, two lines per request, where Serv writes one by default); the node:http reference row adds to bare node:http only what api.md's Operations contract adds to every request, an \`x-request-id\` header and one JSON line, with no framework: the floor under any framework on node:http that keeps the contract; the Serv route class runs with the young generation \`serv launch\` gives a server by default (\`--max-semi-space-size=${defaultSemiSpaceMb() ?? 'Node default'}\`), the baselines with Node's; every server runs with \`node ${HTTP_V8_FLAGS.join(' ')}\` (V8's idle-time GC otherwise slows whichever server it hits by ~20 % for good; see docs/benchmarks.md).`;
  return `${note}\n\n${markdownTable(headers, body)}${problemNotes(rows)}`;
}

function targets(serv) {
  return Object.entries(TARGETS).map(([baseId, min]) => {
    const value = serv.ratios ? serv.ratios[baseId] : undefined;
    const label = baseId === 'fastify' ? 'fastify' : 'bare node:http';
    return {
      figure: `HTTP requests/s vs ${label}`,
      target: `≥ ${min.toFixed(1)}× ${label}`,
      measured: value === undefined ? 'unavailable' : ratio(value),
      pass: value !== undefined && value >= min,
    };
  });
}

module.exports = { runHttp };
