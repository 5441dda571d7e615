'use strict';
/**
 * Section 2, idle connections: opens N connections to each server (every one answering a probe), reads the server's
 * RSS and heap through the preloaded memory probe before and after, and reports the cost per connection. `--max`
 * goes up to the descriptor limit over several source addresses and checks every connection is still held.
 */

const { WS_SERVERS, startServer, readMemory, withSemiSpace } = require('../lib/servers');
const { startLoad } = require('../lib/loadgen');
const { fdLimits } = require('../lib/machine');
const { sourceAddresses } = require('../lib/source-addresses');
const { num, ratio, bytes, verdict, markdownTable, problemNotes } = require('../lib/table');

const TARGET_RSS_RATIO = 1.2;
// As in the echo section: 'ws-app' does the echo chat's application work on bare ws and is the baseline the target is
// judged on; 'ws' (raw Buffer echo) is printed beside it.
const RAW_BASE = 'ws';
const EQUIV_BASE = 'ws-app';
// Descriptors each process keeps for itself (stdio, IPC, libuv, the listening socket, files the framework opens).
const FD_MARGIN = 100;
const MAX_BY_PORTS = 8 * 25000;
// How long a server sits idle before a memory reading counts as settled; V8's allocation-rate window is 5 s.
const SETTLE_MS = 6000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** How many connections to open: the --idle count, or up to the (raised) descriptor limit in --max mode. */
function connectionCount(opts) {
  if (!opts.max) return { count: opts.idleConnections, limit: null };
  const { hard } = fdLimits();
  const limit = Number.isFinite(hard) ? hard : MAX_BY_PORTS;
  return { count: Math.min(limit - FD_MARGIN, MAX_BY_PORTS), limit };
}

async function measureServer(spec, count, opts, addresses) {
  const server = await startServer(spec, {
    raiseFdLimit: opts.max,
    configOverrides: { max_connections: Math.max(50000, count + 1000) },
  });
  const load = startLoad('ws-idle.js', {
    url: `ws://127.0.0.1:${server.port}${spec.wsPath}`,
    protocol: spec.protocol,
    prefix: spec.echoPrefix,
    localAddresses: addresses,
    concurrency: 200,
  }, { raiseFdLimit: opts.max });
  try {
    await load.waitForMessage('ready', 10000);
    // One connection first, so lazily created per-server state is in the baseline, not in the per-connection cost.
    const warm = await load.request({ cmd: 'open', count: 1, deadlineMs: 10000 }, 'opened', 15000);
    if (warm.answered !== 1) throw new Error(`the warm-up connection was not echoed (${JSON.stringify(warm)})`);
    await load.request({ cmd: 'closeAll' }, 'closed', 10000);
    // The baseline is read once V8 has settled too: a server that allocated a lot while starting (compiling
    // TypeScript, reading YAML) still has that young generation at this point, and subtracting it would hide
    // connections' memory behind the young generation's shrinking.
    await settle();
    const before = await readMemory(server);
    const deadlineMs = Math.max(60000, count * 10);
    const started = Date.now();
    const opened = await load.request({ cmd: 'open', count, deadlineMs }, 'opened', deadlineMs + 30000);
    const openSeconds = (Date.now() - started) / 1000;
    const burst = await readMemory(server);
    // Then idle for a while: V8 shrinks the young generation at the first GC after ~5 s of low allocation and hands
    // freed pages back, so this reading is what the idle connections hold (the judged figure, every server alike).
    await settle();
    const idle = await readMemory(server);
    const probed = await load.request({ cmd: 'probe', deadlineMs: 60000 }, 'probed', 90000);
    await load.request({ cmd: 'closeAll' }, 'closed', 30000);
    const n = opened.opened;
    const failures = Object.entries(opened.failures).map(([what, times]) => `${what} ×${times}`).join(', ');
    return {
      status: n === count ? 'ok' : 'failed',
      reason: n === count ? undefined : `opened ${n}/${count}${failures ? ` (${failures})` : ''}${opened.timedOut ? ', deadline passed' : ''}`,
      requested: count,
      opened: n,
      answeredFirstProbe: opened.answered,
      held: probed.answered,
      openSeconds,
      gcExposed: idle.gcExposed,
      rssBefore: before.rss,
      rssAfter: idle.rss,
      newSpaceBefore: before.newSpaceBytes,
      newSpaceBurst: burst.newSpaceBytes,
      newSpaceAfter: idle.newSpaceBytes,
      rssPerConn: n > 0 ? (idle.rss - before.rss) / n : null,
      burstRssPerConn: n > 0 ? (burst.rss - before.rss) / n : null,
      heapPerConn: n > 0 ? (idle.heapUsed - before.heapUsed) / n : null,
      heapCommittedPerConn: n > 0 ? (idle.heapTotal - before.heapTotal) / n : null,
      externalPerConn: n > 0 ? (idle.external - before.external) / n : null,
    };
  } finally {
    if (!load.exited) load.proc.send({ cmd: 'exit' });
    await load.stop(5000);
    await server.child.stop(5000);
  }
}

/** Runs the idle test against both bare ws baselines, Serv and (with --peers) the peers; returns the section result. */
async function runIdle(opts, log) {
  const { count, limit } = connectionCount(opts);
  const addresses = await sourceAddresses();
  const ids = [RAW_BASE, EQUIV_BASE, 'serv', ...(opts.controls ? ['ws-await'] : []), ...(opts.peers ? ['nest', 'socketio'] : [])];
  const specs = ids.map((id) => WS_SERVERS[id]);
  // `--semi-space`: the echo chat at each young-generation size (kind 'serv-variant': printed, not judged).
  specs.splice(3, 0, ...opts.semiSpaces.map((mb) => ({ ...withSemiSpace(WS_SERVERS.serv, mb), kind: 'serv-variant' })));
  const rows = [];
  for (const spec of specs) {
    const id = spec.id;
    const row = { server: spec.label, serverId: id, kind: spec.kind };
    const reason = spec.unavailable();
    if (reason) {
      Object.assign(row, { status: 'unavailable', reason });
    } else {
      try {
        Object.assign(row, await measureServer(spec, count, opts, addresses));
      } catch (error) {
        Object.assign(row, { status: row.kind === 'serv' && /exited|listening/.test(error.message) ? 'unavailable' : 'failed', reason: error.message });
      }
    }
    rows.push(row);
    log(`  idle ${count} ${spec.label}: ${row.status === 'ok' ? `${bytes(row.rssPerConn)} RSS/conn, held ${row.held}` : `${row.status}: ${row.reason.split('\n')[0]}`}`);
  }
  const raw = rows.find((r) => r.serverId === RAW_BASE);
  const equiv = rows.find((r) => r.serverId === EQUIV_BASE);
  for (const row of rows) {
    if (row.status !== 'ok') continue;
    if (row.serverId !== RAW_BASE && raw.status === 'ok') {
      row.rawRssRatio = row.rssPerConn / raw.rssPerConn;
      row.rawHeapRatio = row.heapPerConn / raw.heapPerConn;
    }
    if (row.serverId !== RAW_BASE && row.serverId !== EQUIV_BASE && equiv.status === 'ok') {
      row.rssRatio = row.rssPerConn / equiv.rssPerConn;
      row.heapRatio = row.heapPerConn / equiv.heapPerConn;
    }
    if (row.kind === 'serv') row.pass = row.rssRatio !== undefined && row.rssRatio <= TARGET_RSS_RATIO;
  }
  return {
    id: 'idle', title: 'Idle connections', rows, count, limit, addresses,
    markdown: render(rows, count, limit, addresses, opts), targets: targets(rows, count, opts),
  };
}

function render(rows, count, limit, addresses, opts) {
  const idleFor = `${SETTLE_MS / 1000} s`;
  const headers = ['server', 'connections', 'held (probe answered)', 'open time s', `RSS / conn after ${idleFor} idle`, 'heap / conn', 'heap committed / conn', 'external / conn', 'RSS after',
    'young generation: before → right after the handshakes → idle', 'RSS / conn right after the handshakes',
    'ratio RSS to equivalent bare ws', 'ratio heap to equivalent bare ws', 'ratio RSS to raw bare ws', 'ratio heap to raw bare ws', 'target'];
  const body = rows.map((r) => {
    if (r.status !== 'ok' && r.opened === undefined) return [r.server, count, `${r.status} (see below)`, ...Array(headers.length - 4).fill(''), r.kind === 'serv' ? 'FAIL' : ''];
    const equiv = (value) => (r.serverId === EQUIV_BASE ? 'baseline' : r.serverId === RAW_BASE ? '' : ratio(value));
    const raw = (value) => (r.serverId === RAW_BASE ? 'baseline' : ratio(value));
    return [r.server, `${r.opened}/${r.requested}`, `${r.held}/${r.requested}`, num(r.openSeconds, 1), bytes(r.rssPerConn), bytes(r.heapPerConn), bytes(r.heapCommittedPerConn), bytes(r.externalPerConn),
      bytes(r.rssAfter), `${bytes(r.newSpaceBefore)} → ${bytes(r.newSpaceBurst)} → ${bytes(r.newSpaceAfter)}`, bytes(r.burstRssPerConn),
      equiv(r.rssRatio), equiv(r.heapRatio), raw(r.rawRssRatio), raw(r.rawHeapRatio),
      r.kind === 'serv' ? `${verdict(r.pass)} (RSS ≤ ${TARGET_RSS_RATIO}× equivalent)` : ''];
  });
  const source = addresses.length > 0 ? `source addresses ${addresses[0]}–${addresses[addresses.length - 1]} round-robin` : 'source address 127.0.0.1 only';
  const mode = opts.max ? `--max: up to the descriptor limit ${limit} less ${FD_MARGIN} kept for the process itself` : `${count} connections`;
  const note = `${mode}; ${source}; memory read in the server process after a full GC, each time after ${idleFor} without traffic (V8's window for shrinking the young generation): before (after one warm-up connection) and after opening; per-connection = difference / connections. "Right after the handshakes" is the same difference read as soon as the last connection opened: it adds the young generation the burst of handshakes grew, up to 2 × the semi-space size, which is not per connection (see docs/performance.md). "held" = answered a second probe after the measurement; the target is judged against the equivalent bare ws ("bare ws, same app work", the echo chat's \`Echo: <text>\` handler), the raw bare ws echo is printed beside it.`;
  return `${note}\n\n${markdownTable(headers, body)}${problemNotes(rows)}`;
}

function targets(rows, count, opts) {
  const serv = rows.find((r) => r.kind === 'serv');
  const equiv = rows.find((r) => r.serverId === EQUIV_BASE);
  const raw = rows.find((r) => r.serverId === RAW_BASE);
  const list = [{
    figure: `RSS per idle connection at ${count} (after ${SETTLE_MS / 1000} s idle)`,
    target: `≤ ${TARGET_RSS_RATIO}× equivalent bare ws`,
    measured: serv && serv.rssRatio !== undefined
      ? `${bytes(serv.rssPerConn)} vs ${bytes(equiv.rssPerConn)} = ${ratio(serv.rssRatio)}; to raw bare ws (${bytes(raw.rssPerConn)}) ${ratio(serv.rawRssRatio)}; heap ${bytes(serv.heapPerConn)} vs ${bytes(equiv.heapPerConn)} = ${ratio(serv.heapRatio)}`
      : 'unavailable',
    pass: Boolean(serv && serv.pass),
  }];
  if (serv && equiv && typeof serv.burstRssPerConn === 'number' && typeof equiv.burstRssPerConn === 'number') {
    list.push({
      figure: `RSS per connection at ${count}, right after the handshakes (young generation included)`,
      target: 'reported',
      measured: `${bytes(serv.burstRssPerConn)} vs ${bytes(equiv.burstRssPerConn)} = ${ratio(serv.burstRssPerConn / equiv.burstRssPerConn)}`,
      pass: null,
    });
  }
  if (opts.max) {
    list.push({
      figure: 'idle connections up to the descriptor limit',
      target: 'held, every one answering a probe',
      measured: serv && serv.opened !== undefined ? `${serv.held}/${serv.requested}` : 'unavailable',
      pass: Boolean(serv && serv.status === 'ok' && serv.held === serv.requested),
    });
  }
  return list;
}

module.exports = { runIdle };
