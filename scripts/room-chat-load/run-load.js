'use strict';
/**
 * One load run against a running example: sign-ups, one connection per user, a barrier until every room's presence
 * lists all its members, the timed window of paced sends, a bounded drain, and the per-receiver count.
 */

const crypto = require('node:crypto');
const os = require('node:os');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { signUpAll } = require('./sign-up');
const { planUsers, connectAll } = require('./room-users');
const { Tally } = require('./tally');
const { treeCpuSeconds } = require('./server-cpu');
const { LoadUsageError } = require('./options');

const TICK_MS = 5;
const LOOP_RESOLUTION_MS = 10;
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done()` every 50 ms until it is true (resolves true) or `ms` pass (resolves false). */
async function waitUntil(done, ms) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Collects what the connections report besides message envelopes. */
function connectionEvents(tally, presence) {
  const seen = { errorFrames: [], errorCodes: {}, closes: [], socketErrors: [], reconnects: 0, closing: false };
  const keep = (list, item) => {
    if (list.length < 10) list.push(item);
  };
  seen.handlers = {
    onEnvelope(user, envelope) {
      if (envelope.data !== null && typeof envelope.data === 'object' && envelope.data.kind === 'message') tally.message(user, envelope.data, nowMs());
      else tally.note('unexpected', `${user.name} got envelope ${JSON.stringify(envelope).slice(0, 120)}`);
    },
    onFrame(user, frame) {
      if (frame?.type === 'presence') presence[user.index] = Array.isArray(frame.members) ? frame.members.length : 0;
      else if (frame?.type === 'typing') return;
      else if (frame?.type === 'error') {
        seen.errorCodes[frame.code] = (seen.errorCodes[frame.code] ?? 0) + 1;
        keep(seen.errorFrames, `${user.name}: ${frame.code}: ${frame.message}`);
      } else tally.note('unexpected', `${user.name} got ${JSON.stringify(frame).slice(0, 120)}`);
    },
    onSocketError(user, error) {
      if (!seen.closing) keep(seen.socketErrors, `${user.name}: ${error.message}`);
    },
    onSocketClose(user, code, reason) {
      if (!seen.closing) seen.closes.push(`${user.name}: ${code} ${reason}`.trim());
    },
    onReconnect() {
      seen.reconnects += 1;
    },
  };
  return seen;
}

/** Runs the load against `baseUrl`; `serverPid` (when launched here) adds the server's CPU cost. Resolves the result. */
async function runLoad(opts, baseUrl, { serverPid = null, log }) {
  const runId = `lt${crypto.randomBytes(3).toString('hex')}`;
  const { list: users, roomNames } = planUsers(runId, opts.users, opts.rooms);

  log(`signing up ${users.length} users (${opts.signupConcurrency} at a time) as ${runId}-0 … ${runId}-${users.length - 1}`);
  const signupStart = performance.now();
  const password = crypto.randomBytes(12).toString('base64url');
  await signUpAll(baseUrl, users, { password, concurrency: opts.signupConcurrency, progress: (n) => log(`  ${n}/${users.length} signed up`) });
  const signupSeconds = (performance.now() - signupStart) / 1000;

  const tally = new Tally(users);
  const presence = new Int32Array(users.length);
  const seen = connectionEvents(tally, presence);
  log(`opening ${users.length} WebSockets to ${roomNames.length} rooms`);
  const connectStart = performance.now();
  const conns = await connectAll(baseUrl, users, seen.handlers);
  const joinTimeoutMs = 30_000 + users.length * 20;
  const joined = () => users.every((u) => presence[u.index] === u.roomSize);
  try {
    if (!(await waitUntil(joined, joinTimeoutMs))) {
      const full = users.filter((u) => presence[u.index] === u.roomSize).length;
      const open = conns.filter((c) => c.state === 'open').length;
      throw new LoadUsageError(`after ${joinTimeoutMs / 1000} s, ${open}/${users.length} connections were open and ${full} saw their room's full presence list; `
        + `first socket errors: ${seen.socketErrors.join('; ') || 'none'}; closes: ${seen.closes.slice(0, 5).join('; ') || 'none'}`);
    }
    const connectSeconds = (performance.now() - connectStart) / 1000;
    log(`all ${users.length} users joined in ${connectSeconds.toFixed(1)} s; sending ${opts.rate}/s each for ${opts.duration} s`);

    const sentBy = new Uint32Array(users.length);
    const totalRate = users.length * opts.rate;
    let sent = 0;
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    const cpuBefore = serverPid === null ? null : treeCpuSeconds(serverPid);
    const ownCpuBefore = process.cpuUsage();
    loop.enable();
    const windowStart = performance.now();
    const timer = setInterval(() => {
      const due = Math.min(Math.floor(((performance.now() - windowStart) / 1000) * totalRate), Math.floor(opts.duration * totalRate));
      while (sent < due) {
        const user = users[sent % users.length];
        sentBy[user.index] += 1;
        conns[user.index].send(JSON.stringify({ type: 'message', text: `${user.name}#${sentBy[user.index]} ${nowMs().toFixed(3)}` }));
        sent += 1;
      }
    }, TICK_MS);
    await sleep(opts.duration * 1000);
    clearInterval(timer);
    tally.windowEnd = nowMs();
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const cpuAfter = serverPid === null ? null : treeCpuSeconds(serverPid);
    const ownCpu = process.cpuUsage(ownCpuBefore);
    loop.disable();

    const expected = users.reduce((sum, u) => sum + sentBy[u.index] * u.roomSize, 0);
    // A server (or a machine) that fell behind is still delivering: wait while deliveries keep coming, and give up
    // only after --drain seconds without one (or the hard cap). What has not come by then is lost.
    const drainCapMs = Math.min(600, Math.max(60, opts.duration * 5)) * 1000;
    log(`window over: ${sent} sent; waiting for the last of ${expected} deliveries (${tally.unique} so far; gives up after ${opts.drain} s without one)`);
    const drainStart = performance.now();
    let lastCount = tally.unique;
    let lastProgress = performance.now();
    await waitUntil(() => {
      if (tally.unique !== lastCount) {
        lastCount = tally.unique;
        lastProgress = performance.now();
      }
      return tally.unique >= expected || performance.now() - lastProgress >= opts.drain * 1000 || performance.now() - drainStart >= drainCapMs;
    }, drainCapMs + 1000);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const counts = tally.summarize(users, sentBy);
    const serverCpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const failures = counts.lost + counts.duplicated + Object.values(tally.problems).reduce((a, b) => a + b, 0)
      + Object.values(seen.errorCodes).reduce((a, b) => a + b, 0);
    return {
      ok: failures === 0 && sent > 0 && seen.closes.length === 0,
      runId,
      users: users.length,
      rooms: roomNames.length,
      ratePerUser: opts.rate,
      signup: { seconds: signupSeconds, perSecond: users.length / signupSeconds },
      connectSeconds,
      window: { seconds: windowSeconds, sent, sentPerSecond: sent / windowSeconds, deliveredInWindow: tally.inWindow, deliveredPerSecond: tally.inWindow / windowSeconds },
      deliveries: { expected, delivered: tally.unique, drainSeconds },
      latencyMs: { p50: tally.latency.percentile(50), p99: tally.latency.percentile(99), max: tally.latency.max },
      lost: counts.lost,
      duplicated: counts.duplicated,
      receiversWithLoss: counts.receiversWithLoss,
      receiversWithDuplicates: counts.receiversWithDuplicates,
      worstReceivers: counts.worst,
      problems: tally.problems,
      problemExamples: tally.examples,
      errorFrames: { byCode: seen.errorCodes, examples: seen.errorFrames },
      unexpectedCloses: { count: seen.closes.length, examples: seen.closes.slice(0, 10) },
      reconnects: seen.reconnects,
      loadCpuPercentOfOneCore: ((ownCpu.user + ownCpu.system) / 1e6 / windowSeconds) * 100,
      loadAverage1m: os.loadavg()[0],
      cores: os.availableParallelism?.() ?? os.cpus().length,
      // The histogram records each timer interval, resolution included: what is left is the delay.
      loadEventLoopDelayMs: { p50: Math.max(0, loop.percentile(50) / 1e6 - LOOP_RESOLUTION_MS), p99: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) },
      serverCpu: serverCpuSeconds === null ? null : {
        seconds: serverCpuSeconds,
        percentOfOneCore: (serverCpuSeconds / windowSeconds) * 100,
        usPerDelivery: tally.inWindow === 0 ? null : (serverCpuSeconds * 1e6) / tally.inWindow,
      },
    };
  } finally {
    seen.closing = true;
    for (const conn of conns) conn.close();
  }
}

module.exports = { runLoad };
