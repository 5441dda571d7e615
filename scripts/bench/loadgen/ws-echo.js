'use strict';
/**
 * Echo load generator (own process): opens N clients, keeps `inflight` messages outstanding on each for a warm-up
 * and then a measured window, and reports echoes/s, payload MB/s and latency percentiles over IPC.
 * Usage: node ws-echo.js '<json config>' (started by sections/ws-echo.js; see there for the fields).
 */

const { performance } = require('node:perf_hooks');
const { connectMany } = require('./protocols');
const { makePayload } = require('./payload');
const { LatencyHistogram } = require('../lib/histogram');

const DRAIN_TIMEOUT_MS = 5000;

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const payload = makePayload(cfg.size);
  const prefix = Buffer.from(cfg.prefix || '');
  const { clients, failures, timedOut } = await connectMany(cfg.protocol, cfg.url, {
    count: cfg.connections, concurrency: 100, deadlineMs: 30000, localAddresses: [], payload, prefix,
  });
  if (clients.length < cfg.connections) {
    for (const client of clients) client.close();
    const why = timedOut ? 'connect deadline passed' : [...new Set(failures)].slice(0, 3).join(', ');
    process.send({ type: 'result', error: `opened ${clients.length}/${cfg.connections} connections (${why})` });
    return;
  }

  const histogram = new LatencyHistogram();
  const k = cfg.inflight;
  let phase = 'warmup';
  let messages = 0;
  let errors = 0;
  let closedEarly = 0;
  let outstanding = 0;
  let onDrained = null;

  for (const client of clients) {
    const sentAt = new Float64Array(k);
    let head = 0;
    let tail = 0;
    let inFlight = 0;
    const send = () => {
      sentAt[tail] = performance.now();
      tail = tail + 1 === k ? 0 : tail + 1;
      inFlight += 1;
      outstanding += 1;
      client.send();
    };
    client.onEcho((ok) => {
      const now = performance.now();
      const started = sentAt[head];
      head = head + 1 === k ? 0 : head + 1;
      inFlight -= 1;
      outstanding -= 1;
      if (phase === 'measure') {
        histogram.record(now - started);
        messages += 1;
        if (!ok) errors += 1;
      } else if (!ok) {
        errors += 1;
      }
      if (phase !== 'drain') send();
      else if (outstanding === 0 && onDrained) onDrained();
    });
    client.onClose(() => {
      if (phase !== 'done') closedEarly += 1;
      outstanding -= inFlight;
      inFlight = 0;
      if (phase === 'drain' && outstanding === 0 && onDrained) onDrained();
    });
    client.start = () => {
      for (let i = 0; i < k; i += 1) send();
    };
  }

  for (const client of clients) client.start();
  await new Promise((resolve) => setTimeout(resolve, cfg.warmupMs));
  phase = 'measure';
  histogram.reset();
  errors = 0;
  const cpuStart = process.cpuUsage();
  const t0 = performance.now();
  // Lets the runner meter the server's CPU over exactly the measured window.
  process.send({ type: 'phase', phase: 'measure' });
  await new Promise((resolve) => setTimeout(resolve, cfg.durationMs));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  phase = 'drain';
  process.send({ type: 'phase', phase: 'drain' });
  const measured = messages;
  if (outstanding > 0) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      onDrained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  phase = 'done';
  for (const client of clients) client.close();

  process.send({
    type: 'result',
    messages: measured,
    seconds,
    msgsPerSec: measured / seconds,
    mbPerSec: (measured * cfg.size) / seconds / 1e6,
    p50Ms: histogram.percentile(50),
    p99Ms: histogram.percentile(99),
    maxMs: histogram.max,
    errors,
    closedEarly,
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
  });
}

main().then(
  () => process.disconnect(),
  (error) => {
    process.send({ type: 'result', error: error.stack || String(error) });
    process.disconnect();
  },
);
