'use strict';
/**
 * Section 1, WebSocket echo: throughput and latency of each server over a matrix of connections × payload size ×
 * (one in flight | pipelined). Each cell is measured in interleaved rounds (see lib/rounds.js) and reports the median
 * round, so drift and outside load hit every server alike and each ratio compares figures from the same minute.
 */

const { WS_SERVERS, startServer, withSemiSpace, defaultSemiSpaceMb } = require('../lib/servers');
const { residentBytes } = require('../lib/processes');
const { runLoad } = require('../lib/loadgen');
const { cpuMeter } = require('../lib/proc-stat');
const { interleave, medianResult, spread, formatSpread } = require('../lib/rounds');
const { num, ratio, bytes, verdict, markdownTable, problemNotes } = require('../lib/table');

const TARGET_RATIO = 1.0;
// Serv runs with the young generation `serv launch` gives it; against bare ws given the same V8 flag it must keep this.
const SAME_FLAGS_TARGET = 0.97;
// Serv's echo chat decodes text frames to strings and answers `Echo: <text>`; 'ws-app' does the same on bare ws and
// is the baseline the targets are judged on, while 'ws' (raw Buffer echo) stays as the transport's ceiling.
const RAW_BASE = 'ws';
const EQUIV_BASE = 'ws-app';
// The equivalent bare ws started with the V8 flag Serv's default young generation amounts to: "given the same flags".
const FLAGS_BASE = 'ws-app-flags';
const BASE_IDS = [RAW_BASE, EQUIV_BASE, FLAGS_BASE];
// `--controls`: the contract's for-await handler shape on bare ws, with and without the last message kept alive.
const CONTROL_IDS = ['ws-await', 'ws-await-drop'];
// RSS under load is summarised for this cell: the most live data per connection, where the young generation matters.
const RSS_CELL = { mode: 'pipelined', connections: 500, size: 16 * 1024 };

/** Every server of this run, baselines first; `--semi-space` adds a Serv row per size (kind 'serv-variant'). */
function echoSpecs(opts) {
  const launchDefault = defaultSemiSpaceMb();
  const specs = [WS_SERVERS[RAW_BASE], WS_SERVERS[EQUIV_BASE]];
  if (typeof launchDefault === 'number') {
    specs.push({ ...withSemiSpace(WS_SERVERS[EQUIV_BASE], launchDefault), id: FLAGS_BASE, kind: 'baseline' });
  }
  specs.push(WS_SERVERS.serv, ...opts.semiSpaces.map((mb) => ({ ...withSemiSpace(WS_SERVERS.serv, mb), kind: 'serv-variant' })));
  if (opts.controls) specs.push(...CONTROL_IDS.map((id) => WS_SERVERS[id]));
  if (opts.peers) specs.push(WS_SERVERS.nest, WS_SERVERS.socketio);
  return specs;
}

function matrix(opts) {
  const cells = [];
  for (const mode of ['single', 'pipelined']) {
    for (const connections of opts.wsConnections) {
      for (const size of [64, 16 * 1024]) {
        cells.push({ mode, connections, size, inflight: mode === 'single' ? 1 : opts.pipeline });
      }
    }
  }
  return cells;
}

/** The figure a cell's target is judged on: messages/s for small payloads, MB/s for 16 KiB. */
function targetFigure(cell) {
  return cell.size <= 64 ? 'msgsPerSec' : 'mbPerSec';
}

async function runCell(server, cell, opts) {
  let meter = null;
  let cpu = {};
  let rssUnderLoad = null;
  const result = await runLoad('ws-echo.js', {
    url: `ws://127.0.0.1:${server.port}${server.spec.wsPath}`,
    protocol: server.spec.protocol,
    prefix: server.spec.echoPrefix,
    connections: cell.connections,
    size: cell.size,
    inflight: cell.inflight,
    warmupMs: opts.warmupMs,
    durationMs: opts.durationMs,
  }, {
    timeoutMs: opts.warmupMs + opts.durationMs + 60000,
    onPhase: (phase, loadPid) => {
      if (phase === 'measure') meter = cpuMeter({ server: server.pid, load: loadPid });
      if (phase === 'drain' && meter) {
        cpu = meter.stop();
        rssUnderLoad = residentBytes(server.pid);
      }
    },
  });
  if (result.errors > 0) throw new Error(`${result.errors} echoes did not match the sent payload`);
  if (result.closedEarly > 0) throw new Error(`${result.closedEarly} connections were closed by the server during the run`);
  return {
    ...result,
    serverCpuPercent: cpu.server ?? null,
    loadCpuPercent: cpu.load ?? result.loadCpuPercent,
    othersCpuPercent: cpu.othersUser ?? null,
    // Resident memory at the end of the measured window, read from /proc (no GC): the memory the load itself holds.
    rssUnderLoad,
    // Echoes per second of server CPU: shows the framework's cost even when the load generator caps throughput.
    msgsPerServerCpuSecond: cpu.server ? result.msgsPerSec / (cpu.server / 100) : null,
  };
}

/** Runs the echo matrix against both bare ws baselines, Serv and (with --peers) the peers; returns the section result. */
/**
 * A fresh process has compiled nothing yet: its warm-up is long enough (2 s) for V8 to optimise the hot path of every
 * server before the measured window, so the figures compare running servers, not their start.
 */
const FRESH_WARMUP_MS = 2000;

function freshOpts(opts) {
  return opts.quick ? opts : { ...opts, warmupMs: Math.max(opts.warmupMs, FRESH_WARMUP_MS) };
}

async function runWsEcho(opts, log) {
  const specs = Object.fromEntries(echoSpecs(opts).map((spec) => [spec.id, spec]));
  const ids = Object.keys(specs);
  const servers = {};
  const startErrors = {};
  // Each server is started once here: one that cannot start is reported unavailable. Outside --quick every
  // measurement then gets a fresh process (what one cell leaves in a server's heap must not weigh on the next);
  // --quick keeps these processes for the whole matrix.
  for (const id of ids) {
    try {
      servers[id] = await startServer(specs[id]);
    } catch (error) {
      startErrors[id] = error.message;
    }
  }
  if (!opts.quick) await Promise.all(Object.keys(servers).map((id) => servers[id].child.stop().then(() => delete servers[id])));
  const measure = async (id, cell) => {
    if (opts.quick) return runCell(servers[id], cell, opts);
    const server = await startServer(specs[id]);
    try {
      return await runCell(server, cell, freshOpts(opts));
    } finally {
      await server.child.stop();
    }
  };
  const rows = [];
  try {
    for (const cell of matrix(opts)) {
      const figure = targetFigure(cell);
      const running = ids.filter((id) => !startErrors[id]);
      const measured = await interleave(running, opts.rounds, (id) => measure(id, cell));
      const byServer = {};
      for (const id of ids) {
        const spec = specs[id];
        const row = { server: spec.label, serverId: id, kind: spec.kind, ...cell };
        const m = measured[id];
        if (startErrors[id]) Object.assign(row, { status: 'unavailable', reason: startErrors[id] });
        else if (m.error) Object.assign(row, { status: 'failed', reason: m.error.message });
        else Object.assign(row, { status: 'ok' }, medianResult(m.results, figure), { spread: spread(m.results, figure), rounds: m.results });
        byServer[id] = row;
        rows.push(row);
        log(`  ws echo ${cell.mode} ${cell.connections}c ${cell.size}B ${spec.label}: ${row.status === 'ok' ? `${num(row.msgsPerSec)} msg/s` : `${row.status}: ${row.reason.split('\n')[0]}`}`);
      }
      for (const id of ids) {
        const row = byServer[id];
        row.ratioOf = figure;
        if (id !== RAW_BASE) Object.assign(row, ratios(row, byServer[RAW_BASE], figure, 'raw'));
        if (!BASE_IDS.includes(id)) Object.assign(row, ratios(row, byServer[EQUIV_BASE], figure, 'equiv'));
        if (row.kind === 'serv' || row.kind === 'serv-variant') Object.assign(row, ratios(row, byServer[FLAGS_BASE], figure, 'flags'));
        if (row.kind === 'serv') {
          row.pass = row.equivRatio !== undefined && row.equivRatio >= TARGET_RATIO
            && (byServer[FLAGS_BASE] === undefined || (row.flagsRatio !== undefined && row.flagsRatio >= SAME_FLAGS_TARGET));
        }
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.child.stop()));
  }
  return { id: 'ws', title: 'WebSocket echo', rows, markdown: render(rows, opts), targets: targets(rows) };
}

/**
 * `{ <prefix>Ratio, <prefix>CpuRatio }` of `row` against `base` on `figure` and on messages per server CPU-second (the
 * latter less sensitive to outside load and to a saturated load generator); empty when either row has no figures.
 */
function ratios(row, base, figure, prefix) {
  if (row.status !== 'ok' || !base || base.status !== 'ok') return {};
  const out = { [`${prefix}Ratio`]: row[figure] / base[figure] };
  if (row.msgsPerServerCpuSecond && base.msgsPerServerCpuSecond) out[`${prefix}CpuRatio`] = row.msgsPerServerCpuSecond / base.msgsPerServerCpuSecond;
  return out;
}

function render(rows, opts) {
  const headers = ['mode', 'conns', 'payload', 'server', 'msg/s', 'MB/s', 'spread', 'p50 ms', 'p99 ms', 'server CPU %', 'msg / server CPU-s', 'loadgen CPU %', 'others CPU %',
    'ratio to equivalent bare ws', 'ratio per CPU-s (equivalent)', 'ratio to equivalent bare ws, same V8 flags', 'ratio to raw bare ws', 'ratio per CPU-s (raw)', 'RSS at end of window', 'target'];
  const body = rows.map((r) => {
    const mode = r.mode === 'single' ? '1 in flight' : `${r.inflight} in flight`;
    const payload = r.size >= 1024 ? `${r.size / 1024} KiB` : `${r.size} B`;
    if (r.status !== 'ok') return [mode, r.connections, payload, r.server, `${r.status} (see below)`, ...Array(headers.length - 6).fill(''), r.kind === 'serv' ? 'FAIL' : ''];
    const target = r.kind === 'serv' ? `${verdict(r.pass)} (≥ ${TARGET_RATIO.toFixed(2)}× equivalent, ≥ ${SAME_FLAGS_TARGET}× same flags, on ${r.ratioOf === 'mbPerSec' ? 'MB/s' : 'msg/s'})` : '';
    const equiv = (value) => (r.serverId === EQUIV_BASE ? 'baseline' : BASE_IDS.includes(r.serverId) ? '' : ratio(value));
    const flags = r.serverId === FLAGS_BASE ? 'baseline' : r.flagsRatio === undefined ? '' : ratio(r.flagsRatio);
    const raw = (value) => (r.serverId === RAW_BASE ? 'baseline' : ratio(value));
    return [mode, r.connections, payload, r.server, num(r.msgsPerSec), num(r.mbPerSec), formatSpread(r.spread, opts.rounds), num(r.p50Ms, 2), num(r.p99Ms, 2),
      num(r.serverCpuPercent, 0), num(r.msgsPerServerCpuSecond), num(r.loadCpuPercent, 0), num(r.othersCpuPercent, 0),
      equiv(r.equivRatio), equiv(r.equivCpuRatio), flags, raw(r.rawRatio), raw(r.rawCpuRatio), bytes(r.rssUnderLoad), target];
  });
  const note = `${opts.rounds} interleaved round(s) of ${opts.durationMs / 1000} s per cell, each after ${freshOpts(opts).warmupMs / 1000} s warm-up${opts.quick ? '' : ' in a fresh server process'}; figures are the median round, spread = ±half the range of the rounds; text frames; MB/s counts echoed payload bytes (10^6) one way; latency is send → matching echo; CPU in % of one core over the measured window ("others" = user CPU of every other process: outside noise). Targets are judged on the ratio to the *equivalent* bare ws ("bare ws, same app work": decodes each text frame to a string and answers \`Echo: <text>\`, as the echo chat does); the ratio to the raw bare ws (Buffer echoed back undecoded) is printed beside it. Serv runs as \`serv launch\` starts it, with its default young generation (\`settings.runtime.semi_space_mb\`); "same V8 flags" compares it with the equivalent bare ws started with the matching \`--max-semi-space-size\`. "RSS at end of window" is the server's resident memory read from /proc as the measured window ends (no GC).`;
  return `${note}\n\n${markdownTable(headers, body)}${problemNotes(rows)}`;
}

function targets(rows) {
  const serv = rows.filter((r) => r.kind === 'serv');
  const summarise = (list, label) => {
    const ok = list.filter((r) => r.equivRatio !== undefined);
    const worst = ok.length > 0 ? Math.min(...ok.map((r) => r.equivRatio)) : null;
    const withRaw = ok.filter((r) => r.rawRatio !== undefined);
    const worstRaw = withRaw.length > 0 ? Math.min(...withRaw.map((r) => r.rawRatio)) : null;
    const pass = list.length > 0 && ok.length === list.length && worst !== null ? worst >= TARGET_RATIO : false;
    const measured = worst === null ? 'unavailable' : `worst ${ratio(worst)} (${ok.length} cells); to raw bare ws worst ${ratio(worstRaw)}`;
    return { figure: label, target: `≥ ${TARGET_RATIO}× equivalent bare ws`, measured, pass };
  };
  const sameFlags = (list, label) => {
    const ok = list.filter((r) => r.flagsRatio !== undefined);
    const worst = ok.length > 0 ? Math.min(...ok.map((r) => r.flagsRatio)) : null;
    return {
      figure: `${label}, against bare ws given the same V8 flags`,
      target: `≥ ${SAME_FLAGS_TARGET}× equivalent bare ws with the same flags`,
      measured: worst === null ? 'unavailable' : `worst ${ratio(worst)} (${ok.length} cells)`,
      pass: worst !== null && ok.length === list.length ? worst >= SAME_FLAGS_TARGET : false,
    };
  };
  const list = [
    summarise(serv.filter((r) => r.size === 64), 'echo messages/s, 64 B (every connection count and mode)'),
    summarise(serv.filter((r) => r.size === 16 * 1024), 'echo MB/s, 16 KiB (every connection count and mode)'),
  ];
  if (rows.some((r) => r.serverId === FLAGS_BASE)) {
    list.push(sameFlags(serv.filter((r) => r.size === 64), 'echo messages/s, 64 B'), sameFlags(serv.filter((r) => r.size === 16 * 1024), 'echo MB/s, 16 KiB'));
  }
  const inCell = (r) => r.mode === RSS_CELL.mode && r.connections === RSS_CELL.connections && r.size === RSS_CELL.size && r.status === 'ok';
  const servLoad = rows.find((r) => r.kind === 'serv' && inCell(r));
  const equivLoad = rows.find((r) => r.serverId === EQUIV_BASE && inCell(r));
  if (servLoad && equivLoad && servLoad.rssUnderLoad && equivLoad.rssUnderLoad) {
    list.push({
      figure: `RSS under load (${RSS_CELL.connections} × 16 KiB, ${servLoad.inflight} in flight)`,
      target: 'reported against bare ws',
      measured: `${bytes(servLoad.rssUnderLoad)} vs ${bytes(equivLoad.rssUnderLoad)} = ${ratio(servLoad.rssUnderLoad / equivLoad.rssUnderLoad)}`,
      pass: null,
    });
  }
  return list;
}

module.exports = { runWsEcho };
