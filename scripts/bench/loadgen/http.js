'use strict';
/**
 * HTTP load generator (own process): autocannon against one URL, an optional warm-up run first, then the measured
 * run; reports requests/s, latency percentiles and error counts over IPC.
 * Usage: node http.js '<json: { url, headers?, connections, durationSec, warmupSec }>'
 */

const autocannon = require('autocannon');

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const base = { url: cfg.url, connections: cfg.connections, pipelining: 1, timeout: 10, headers: cfg.headers || {} };
  if (cfg.warmupSec > 0) await autocannon({ ...base, duration: cfg.warmupSec });
  process.send({ type: 'phase', phase: 'measure' });
  const result = await autocannon({ ...base, duration: cfg.durationSec });
  process.send({ type: 'phase', phase: 'drain' });
  process.send({
    type: 'result',
    requests: result.requests.total,
    seconds: result.duration,
    // autocannon stops on its 1 s tick, so the wall time it reports (not the asked duration) is the divisor.
    reqPerSec: result.requests.total / result.duration,
    mbPerSec: result.throughput.total / result.duration / 1e6,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  });
}

main().then(
  () => process.disconnect(),
  (error) => {
    process.send({ type: 'result', error: error.stack || String(error) });
    process.disconnect();
  },
);
