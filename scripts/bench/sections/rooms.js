'use strict';
/**
 * Section 5, rooms: broadcast deliveries/s to the members of one room (64 B) on one instance — Serv against a bare
 * `ws` server that frames once and writes to every socket, and (with --peers) socket.io rooms; the same on two
 * instances through Redis (half the members on each) against @socket.io/redis-adapter; the latency a Redis hop adds
 * to delivery at a fixed publish rate; and the memory one room membership adds to an idle connection.
 */

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { startServer, readMemory } = require('../lib/servers');
const { runLoad } = require('../lib/loadgen');
const { cpuMeter } = require('../lib/proc-stat');
const { interleave, medianResult, spread, formatSpread } = require('../lib/rounds');
const { num, ratio, bytes, verdict, markdownTable } = require('../lib/table');
const P = require('../lib/paths');

const REDIS_URL = 'redis://127.0.0.1:6379';
const TARGETS = { bareWs: 1.0, socketio: 1.2, redis: 1.0, addedP99Ms: 2, joinBytes: 200 };
// Broadcasts in flight: enough that the servers, not the round trip to the slowest of 1000 members, set the pace.
const WINDOW = 64;

function peerMissing(modules) {
  for (const name of modules) {
    try {
      require.resolve(name, { paths: [P.BENCH_DIR] });
    } catch {
      return `not installed: ${name} (run \`npm install --prefix scripts/bench\`)`;
    }
  }
  return null;
}

const SERV_ROOMS = path.join(P.SERVERS_DIR, 'serv-rooms.ts');
const SERVERS = {
  ws: { label: 'bare ws (frame once, write to every socket)', kind: 'baseline', protocol: 'raw', path: '/', unavailable: () => null,
    command: () => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'rooms-ws.js')], cwd: P.BENCH_DIR }) },
  serv: { label: 'Serv rooms.broadcast()', kind: 'serv', protocol: 'raw', path: '/room', unavailable: () => null,
    command: () => ({ argv: [process.execPath, '-r', P.CLI_REGISTER, SERV_ROOMS], cwd: P.REPO_ROOT }) },
  // Two instances need the Redis adapter and its client too (an install made before they were added lacks them).
  socketio: { label: 'socket.io rooms', kind: 'peer', protocol: 'socketio', path: '/socket.io/',
    unavailable: (redis) => peerMissing(redis ? ['socket.io', '@socket.io/redis-adapter', 'redis'] : ['socket.io']),
    command: ({ redis, key } = {}) => ({
      argv: [process.execPath, path.join(P.SERVERS_DIR, 'peers', 'socketio-rooms.js'), ...(redis ? ['--redis', redis, '--key', key] : [])],
      cwd: P.BENCH_DIR,
    }) },
};

/** Starts `count` instances of server `id`; with `redis`, all share one Redis prefix (one cluster). */
async function startInstances(id, count, redis) {
  const spec = SERVERS[id];
  const key = `serv-bench:${process.pid}:${randomBytes(3).toString('hex')}:`;
  const instances = [];
  for (let i = 0; i < count; i += 1) {
    instances.push(await startServer({ ...spec, id, command: () => spec.command({ redis: redis ? REDIS_URL : undefined, key }) }, {
      env: redis ? { BENCH_REDIS_URL: REDIS_URL, BENCH_REDIS_PREFIX: key } : { BENCH_REDIS_URL: '' },
    }));
  }
  return instances;
}

async function stopAll(instances) {
  await Promise.all(instances.map((server) => server.child.stop()));
}

/** One throughput round: members spread evenly over the instances, the publisher on the first. */
async function throughput(instances, id, opts, members) {
  const spec = SERVERS[id];
  const url = (server) => `ws://127.0.0.1:${server.port}${spec.path}`;
  const per = Math.floor(members / instances.length);
  let meter = null;
  let cpu = {};
  const pids = Object.fromEntries(instances.map((s, i) => [`s${i}`, s.child.pid]));
  const result = await runLoad('rooms.js', {
    mode: 'throughput', protocol: spec.protocol, size: 64, window: WINDOW,
    members: instances.map((s, i) => ({ url: url(s), count: per, group: `i${i}` })),
    pubUrl: url(instances[0]), warmupMs: opts.warmupMs, durationMs: opts.durationMs,
  }, {
    timeoutMs: opts.warmupMs + opts.durationMs + 90000,
    onPhase: (phase, loadPid) => {
      if (phase === 'measure') meter = cpuMeter({ ...pids, load: loadPid });
      if (phase === 'drain' && meter) cpu = meter.stop();
    },
  });
  const serverCpu = instances.reduce((sum, _, i) => sum + (cpu[`s${i}`] || 0), 0);
  return {
    deliveriesPerSec: result.deliveriesPerSec,
    serverCpuPercent: serverCpu || null,
    loadCpuPercent: cpu.load ?? null,
    othersCpuPercent: cpu.othersUser ?? null,
    perServerCpuSecond: serverCpu ? result.deliveriesPerSec / (serverCpu / 100) : null,
  };
}

/** Interleaved rounds of one topology over `ids`; returns rows with the median round of each. */
async function compare(title, ids, instancesEach, redis, members, opts, log) {
  const running = {};
  const rows = [];
  try {
    for (const id of ids) {
      const reason = SERVERS[id].unavailable(redis);
      if (reason) {
        rows.push({ title, id, label: SERVERS[id].label, status: 'unavailable', reason });
        continue;
      }
      try {
        running[id] = await startInstances(id, instancesEach, redis);
      } catch (error) {
        rows.push({ title, id, label: SERVERS[id].label, status: 'failed', reason: error.message });
      }
    }
    const measured = await interleave(Object.keys(running), opts.rounds, (id) => throughput(running[id], id, opts, members));
    for (const id of Object.keys(running)) {
      const m = measured[id];
      const row = m.error
        ? { title, id, label: SERVERS[id].label, status: 'failed', reason: m.error.message }
        : { title, id, label: SERVERS[id].label, status: 'ok', ...medianResult(m.results, 'deliveriesPerSec'), spread: spread(m.results, 'deliveriesPerSec') };
      rows.push(row);
      log(`  rooms ${title} ${row.label}: ${row.status === 'ok' ? `${num(row.deliveriesPerSec)} deliveries/s` : `${row.status}: ${oneLine(row.reason)}`}`);
    }
  } finally {
    await Promise.all(Object.values(running).map(stopAll));
  }
  return rows;
}

/**
 * The latency figure is about a server in its steady state. In its first seconds a process launched through the CLI's
 * TypeScript loader still promotes the loader's garbage: its first scavenges take 10–30 ms (measured with --trace-gc;
 * later ones take about 1 ms), which a short warm-up counts into the p99 of whichever instance they hit.
 */
function latencyWarmupMs(opts) {
  return opts.quick ? opts.warmupMs : Math.max(opts.warmupMs, 4000);
}

/** p50/p99 of delivery on the publisher's instance and across Redis on the other, at `rate` messages/s. */
async function latency(opts, log) {
  const instances = await startInstances('serv', 2, true);
  try {
    const url = (s) => `ws://127.0.0.1:${s.port}/room`;
    const result = await runLoad('rooms.js', {
      mode: 'latency', protocol: 'raw', size: 64, rate: 1000,
      members: [{ url: url(instances[0]), count: 10, group: 'local' }, { url: url(instances[1]), count: 10, group: 'remote' }],
      pubUrl: url(instances[0]), warmupMs: latencyWarmupMs(opts), durationMs: Math.max(opts.durationMs, opts.quick ? 1000 : 3000),
    }, { timeoutMs: latencyWarmupMs(opts) + opts.durationMs + 60000 });
    const { local, remote } = result.groups;
    log(`  rooms latency: local p99 ${num(local.p99Ms, 2)} ms, across Redis p99 ${num(remote.p99Ms, 2)} ms`);
    return { local, remote, addedP99Ms: remote.p99Ms - local.p99Ms };
  } finally {
    await stopAll(instances);
  }
}

/** Heap and RSS per connection added by joining one room, on `count` idle Serv connections. */
async function joinMemory(count) {
  const [server] = await startInstances('serv', 1, false);
  const { startLoad } = require('../lib/loadgen');
  // Twice the connections: the first half joins before the measurement, so code compiled on the join path and the
  // room's own structures are in the baseline and the figure is only what each further member adds.
  const load = startLoad('rooms-idle.js', { url: `ws://127.0.0.1:${server.port}/room?role=idle`, count: 2 * count });
  try {
    await load.waitForMessage('opened', 120000);
    // Two exchanges first: what a connection allocates on its first messages is not what joining costs.
    await load.request({ cmd: 'ping' }, 'ponged', 120000);
    await load.request({ cmd: 'ping' }, 'ponged', 120000);
    await load.request({ cmd: 'join', from: 0, to: count }, 'joined', 120000);
    const before = await readMemory(server);
    await load.request({ cmd: 'join', from: count, to: 2 * count }, 'joined', 120000);
    const after = await readMemory(server);
    return { count, heapPerJoin: (after.heapUsed - before.heapUsed) / count, rssPerJoin: (after.rss - before.rss) / count };
  } finally {
    await load.stop(3000);
    await stopAll([server]);
  }
}

/** Runs the rooms section; needs Redis at 127.0.0.1:6379 for the two-instance rows. */
async function runRooms(opts, log) {
  const members = opts.roomMembers;
  const single = await compare(`1 instance, ${members} members`, ['ws', 'serv', ...(opts.peers ? ['socketio'] : [])], 1, false, members, opts, log);
  const redis = await compare(`2 instances via Redis, ${members / 2} + ${members / 2} members`, ['serv', ...(opts.peers ? ['socketio'] : [])], 2, true, members, opts, log);
  const lat = await latency(opts, log).catch((error) => {
    log(`  rooms latency: unavailable (${oneLine(error.message)})`);
    return { local: {}, remote: {}, addedP99Ms: null, reason: oneLine(error.message) };
  });
  const mem = await joinMemory(opts.roomIdle);
  log(`  rooms memory: ${num(mem.heapPerJoin, 0)} heap bytes per join over ${mem.count} connections`);
  return { id: 'rooms', title: 'Rooms', rows: [...single, ...redis], latency: lat, memory: mem, markdown: render(single, redis, lat, mem, opts), targets: targets(single, redis, lat, mem, opts.peers) };
}

/**
 * A failure as one table cell: the message and the server's own output (its stderr: a missing module, a refused Redis
 * connection), lines joined by ` ⏎ `, at most MAX_REASON_CHARS.
 */
const MAX_REASON_CHARS = 600;
function oneLine(reason) {
  const text = reason.split('\n').map((line) => line.trim()).filter(Boolean).join(' ⏎ ');
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text;
}

const byId = (rows, id) => rows.find((r) => r.id === id && r.status === 'ok');

function targets(single, redis, lat, mem, peers) {
  const serv1 = byId(single, 'serv');
  const serv2 = byId(redis, 'serv');
  const r = (a, b) => (a && b ? a.deliveriesPerSec / b.deliveriesPerSec : null);
  const row = (figure, target, value, pass, unit = '×', missing = 'unavailable') => ({ figure, target, measured: value === null ? missing : `${unit === '×' ? ratio(value) : `${num(value, 2)} ${unit}`}`, pass: value !== null && pass(value) });
  return [
    row('broadcast deliveries/s, 64 B, 1 instance: Serv ÷ bare ws', `≥ ${TARGETS.bareWs}×`, r(serv1, byId(single, 'ws')), (v) => v >= TARGETS.bareWs),
    ...(peers ? [
      row('same: Serv ÷ socket.io rooms', `≥ ${TARGETS.socketio}×`, r(serv1, byId(single, 'socketio')), (v) => v >= TARGETS.socketio),
      row('2 instances via Redis: Serv ÷ @socket.io/redis-adapter', `≥ ${TARGETS.redis}×`, r(serv2, byId(redis, 'socketio')), (v) => v >= TARGETS.redis),
    ] : []),
    row('p99 added by the Redis hop at 1 000 msgs/s', `≤ ${TARGETS.addedP99Ms} ms`, lat.addedP99Ms, (v) => v <= TARGETS.addedP99Ms, 'ms', 'not measured (needs Redis)'),
    row('heap per idle connection joining one room', `≤ ${TARGETS.joinBytes} B`, mem.heapPerJoin, (v) => v <= TARGETS.joinBytes, 'B'),
  ];
}

function render(single, redis, lat, mem, opts) {
  const headers = ['topology', 'server', 'deliveries/s', 'spread', 'server CPU %', 'deliveries / server CPU-s', 'loadgen CPU %', 'others CPU %', 'ratio', 'ratio per CPU-s'];
  const body = (rows, baseId) => rows.map((row) => {
    if (row.status !== 'ok') return [row.title, row.label, `${row.status}: ${oneLine(row.reason)}`, '', '', '', '', '', '', ''];
    const base = byId(rows, baseId);
    const value = row.id === baseId ? 'baseline' : base ? ratio(row.deliveriesPerSec / base.deliveriesPerSec) : '';
    const perCpu = row.id === baseId ? 'baseline' : base && base.perServerCpuSecond && row.perServerCpuSecond ? ratio(row.perServerCpuSecond / base.perServerCpuSecond) : '';
    return [row.title, row.label, num(row.deliveriesPerSec), formatSpread(row.spread, opts.rounds), num(row.serverCpuPercent, 0), num(row.perServerCpuSecond),
      num(row.loadCpuPercent, 0), num(row.othersCpuPercent, 0), value, perCpu];
  });
  const note = `${opts.rounds} interleaved round(s) of ${opts.durationMs / 1000} s per server after ${opts.warmupMs / 1000} s warm-up, median round; one publisher keeps ${WINDOW} broadcasts of 64 B in flight (the next goes out once every member has all but ${WINDOW}); "deliveries" = messages received by members. In the Redis rows the ratio is to Serv (socket.io's figure ÷ Serv's would be its inverse) and server CPU sums both instances (Redis's own CPU is not counted).`;
  const latencyLine = lat.addedP99Ms === null ? `Latency across Redis: not measured (${lat.reason}).` : `Latency at 1 000 broadcasts/s (64 B, 10 members on the publisher's instance, 10 on the other through Redis; ${latencyWarmupMs(opts) / 1000} s of warm-up, see latencyWarmupMs): local p50 ${num(lat.local.p50Ms, 2)} / p99 ${num(lat.local.p99Ms, 2)} ms; across Redis p50 ${num(lat.remote.p50Ms, 2)} / p99 ${num(lat.remote.p99Ms, 2)} ms; added p99 ${num(lat.addedP99Ms, 2)} ms (target ≤ ${TARGETS.addedP99Ms} ms: ${verdict(lat.addedP99Ms <= TARGETS.addedP99Ms)}).`;
  const memLine = `Memory: ${mem.count} idle Serv connections joining one room add ${num(mem.heapPerJoin, 0)} B of heap each (RSS ${bytes(mem.rssPerJoin)} each; target ≤ ${TARGETS.joinBytes} B heap: ${verdict(mem.heapPerJoin <= TARGETS.joinBytes)}).`;
  return `${note}\n\n${markdownTable(headers, [...body(single, 'ws'), ...body(redis, 'serv')])}\n\n${latencyLine}\n\n${memLine}`;
}

module.exports = { runRooms };
