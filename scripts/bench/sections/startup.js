'use strict';
/**
 * Section 4, startup: time from spawning the server to its first accepted WebSocket connection, for `serv launch` of
 * the echo chat with a cold TypeScript cache (a fresh SERV_TS_CACHE_DIR each run) and a warm one, against a bare `ws`
 * server; plus the time spent loading TypeScript, measured inside the Serv process by a preloaded probe.
 */

const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { WS_SERVERS } = require('../lib/servers');
const { spawnProcess } = require('../lib/processes');
const { makeTempDir } = require('../lib/serv-config');
const { freePort, pollConnect } = require('../lib/poll-connect');
const { num, ratio, verdict, markdownTable, median, problemNotes } = require('../lib/table');
const { BENCH_DIR, REPO_ROOT } = require('../lib/paths');

const TARGET_MS = 1000;
const TS_LINE = /\[serv-bench\] typescript loaded in ([\d.]+) ms/;
const LISTENING = /listening on http:\/\//;

/** One launch: spawn, poll-connect, stop. Returns the timings in ms from the spawn. */
async function launchOnce(spec, cacheDir) {
  const port = await freePort();
  const { argv, cwd, env } = spec.command({ port });
  let listeningAt = null;
  let tsLoadMs = null;
  const timingLines = [];
  const started = performance.now();
  const child = spawnProcess(`${spec.label} (startup)`, argv, {
    role: 'server',
    cwd,
    env: {
      ...process.env,
      ...(env || {}),
      SERV_TIMING: '1',
      ...(cacheDir ? { SERV_TS_CACHE_DIR: cacheDir } : {}),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS || ''} --require=${path.join(BENCH_DIR, 'startup-probe.js')}`.trim(),
    },
  });
  const onLine = child.onLine.bind(child);
  child.onLine = (line) => {
    if (listeningAt === null && LISTENING.test(line)) listeningAt = performance.now() - started;
    const ts = TS_LINE.exec(line);
    if (ts) tsLoadMs = Number(ts[1]);
    else if (/timing/i.test(line)) timingLines.push(line.trim());
    onLine(line);
  };
  try {
    const { at, attempts } = await pollConnect(`ws://127.0.0.1:${port}${spec.wsPath}`, { child });
    return { firstConnectionMs: at - started, listeningMs: listeningAt, tsLoadMs, attempts, timingLines };
  } finally {
    await child.stop(3000);
  }
}

/** `node -e "require('typescript')"` less `node -e ""`: the cost of loading the compiler in a fresh process. */
function standaloneTypeScriptMs(runs) {
  const time = (code) => {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', code], { cwd: path.join(REPO_ROOT, 'packages', 'cli'), stdio: 'ignore' });
    return performance.now() - started;
  };
  const withTs = [];
  const empty = [];
  for (let i = 0; i < runs; i += 1) {
    withTs.push(time("require('typescript')"));
    empty.push(time('0'));
  }
  return median(withTs) - median(empty);
}

async function runVariant(variant, runs, log) {
  const spec = WS_SERVERS[variant.server];
  const row = { variant: variant.label, server: spec.label, serverId: spec.id, kind: spec.kind, id: variant.id, runs: [] };
  const reason = spec.unavailable();
  if (reason) return Object.assign(row, { status: 'unavailable', reason });
  try {
    const sharedCache = variant.cache === 'warm' ? makeTempDir('serv-bench-ts-warm-') : null;
    if (sharedCache) await launchOnce(spec, sharedCache); // primes the cache; not measured
    for (let i = 0; i < runs; i += 1) {
      const cacheDir = variant.cache === 'cold' ? makeTempDir('serv-bench-ts-cold-') : sharedCache;
      row.runs.push(await launchOnce(spec, cacheDir));
    }
  } catch (error) {
    const startFailure = row.kind === 'serv' && row.runs.length === 0;
    return Object.assign(row, { status: startFailure ? 'unavailable' : 'failed', reason: error.message });
  }
  const firsts = row.runs.map((r) => r.firstConnectionMs);
  const ts = row.runs.map((r) => r.tsLoadMs).filter((v) => v !== null);
  Object.assign(row, {
    status: 'ok',
    medianMs: median(firsts),
    minMs: Math.min(...firsts),
    maxMs: Math.max(...firsts),
    medianListeningMs: median(row.runs.map((r) => r.listeningMs)),
    tsLoadMs: ts.length > 0 ? median(ts) : 0,
    tsLoadedRuns: ts.length,
    timingLines: row.runs.flatMap((r) => r.timingLines).slice(0, 20),
  });
  row.tsShare = row.tsLoadMs / row.medianMs;
  log(`  startup ${variant.label}: median ${num(row.medianMs)} ms`);
  return row;
}

/** Runs the startup comparison; returns the section result. */
async function runStartup(opts, log) {
  const variants = [
    { id: 'ws', label: 'bare ws', server: 'ws', cache: null },
    { id: 'serv-cold', label: 'serv launch, cold TS cache', server: 'serv', cache: 'cold' },
    { id: 'serv-warm', label: 'serv launch, warm TS cache', server: 'serv', cache: 'warm' },
  ];
  const rows = [];
  for (const variant of variants) rows.push(await runVariant(variant, opts.startupRuns, log));
  const tsStandaloneMs = standaloneTypeScriptMs(Math.max(3, opts.startupRuns));
  const base = rows[0];
  for (const row of rows.slice(1)) {
    if (row.status !== 'ok' || base.status !== 'ok') continue;
    row.ratio = row.medianMs / base.medianMs;
    row.pass = row.medianMs < TARGET_MS;
  }
  return {
    id: 'startup', title: 'Startup', rows, tsStandaloneMs,
    markdown: render(rows, opts, tsStandaloneMs), targets: targets(rows),
  };
}

function render(rows, opts, tsStandaloneMs) {
  const headers = ['variant', 'runs', 'median to first connection ms', 'min ms', 'max ms', 'median to "listening" line ms', 'TypeScript load ms (share)', 'ratio to bare ws', 'target'];
  const body = rows.map((r) => {
    if (r.status !== 'ok') return [r.variant, opts.startupRuns, `${r.status} (see below)`, '', '', '', '', '', r.kind === 'serv' ? 'FAIL' : ''];
    const ts = r.tsLoadedRuns > 0 ? `${num(r.tsLoadMs)} (${(r.tsShare * 100).toFixed(0)} %)` : 'not loaded (0 %)';
    return [r.variant, r.runs.length, num(r.medianMs), num(r.minMs), num(r.maxMs), num(r.medianListeningMs), r.kind === 'serv' ? ts : '',
      r.id === 'ws' ? 'baseline' : ratio(r.ratio), r.kind === 'serv' ? `${verdict(r.pass)} (< ${TARGET_MS} ms)` : ''];
  });
  const timing = rows.flatMap((r) => (r.timingLines || []).map((line) => `- ${r.variant}: \`${line}\``));
  const note = `Spawn → first accepted WebSocket handshake (poll-connect on ECONNREFUSED every ${2} ms, bounded), median of ${opts.startupRuns}; cold = fresh SERV_TS_CACHE_DIR per run, warm = one primed cache dir. TypeScript load time is measured inside the server process by scripts/bench/startup-probe.js; for reference, \`node -e "require('typescript')"\` costs ${num(tsStandaloneMs)} ms more than \`node -e 0\` here.`;
  const extra = timing.length > 0 ? `\n\nSERV_TIMING=1 output:\n${timing.join('\n')}` : '';
  return `${note}\n\n${markdownTable(headers, body)}${problemNotes(rows.map((r) => ({ ...r, server: r.variant })))}${extra}`;
}

function targets(rows) {
  return rows.filter((r) => r.kind === 'serv').map((r) => ({
    figure: `startup of the echo chat (${r.variant.replace('serv launch, ', '')})`,
    target: `< ${TARGET_MS} ms`,
    measured: r.status === 'ok' ? `${num(r.medianMs)} ms median` : 'unavailable',
    pass: Boolean(r.pass),
  }));
}

module.exports = { runStartup };
