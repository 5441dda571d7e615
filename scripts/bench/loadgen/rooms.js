'use strict';
/**
 * Rooms load generator (own process): opens the members of one room (over one or more server instances, each group
 * labelled) and one publisher, then either
 * - `throughput`: keeps `window` broadcasts in flight (the next one goes out once every member has all but `window`
 *   of the earlier ones) and reports deliveries/s over the measured window; or
 * - `latency`: publishes `rate` messages/s carrying their send time and reports p50/p99 send → receive per group.
 * Speaks plain WebSocket (bare ws, Serv) or socket.io's wire protocol on a raw WebSocket (engine.io v4: `40` to
 * connect, `42[...]` events, `3` answering pings), so both sides pay the same client cost.
 * Usage: node rooms.js '<json config>' (started by sections/rooms.js).
 */

const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');
const { LatencyHistogram } = require('../lib/histogram');

const CONNECT_CONCURRENCY = 100;

function withQuery(url, role, protocol) {
  const sep = url.includes('?') ? '&' : '?';
  return protocol === 'socketio' ? `${url}${sep}EIO=4&transport=websocket&role=${role}` : `${url}${sep}role=${role}`;
}

/** One client; `onMessage(text)` gets each room message (socket.io's framing stripped). Resolves once usable. */
function open(url, role, protocol, onMessage) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(withQuery(url, role, protocol), { perMessageDeflate: false, handshakeTimeout: 15000 });
    ws.once('error', reject);
    if (protocol !== 'socketio') {
      ws.on('message', (data) => onMessage(data));
      ws.once('open', () => resolve(ws));
      return;
    }
    ws.on('message', (data) => {
      const type = data[0];
      if (type === 0x34 && data[1] === 0x32) onMessage(data); // "42[...]": an event
      else if (type === 0x34 && data[1] === 0x30) resolve(ws); // "40{sid}": namespace joined
      else if (type === 0x32) ws.send('3'); // ping → pong
      else if (type === 0x30) ws.send('40'); // engine.io open → join the default namespace
    });
  });
}

/** The publish frame for `text`: as is, or as socket.io's `42["pub","…"]`. */
function publishFrame(text, protocol) {
  return protocol === 'socketio' ? `42${JSON.stringify(['pub', text])}` : text;
}

async function openMany(specs, protocol, onMessage) {
  const jobs = [];
  for (const { url, count, group } of specs) for (let i = 0; i < count; i += 1) jobs.push({ url, group });
  const clients = [];
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const job = jobs[next];
      next += 1;
      clients.push(await open(job.url, 'member', protocol, (data) => onMessage(job.group, data)));
    }
  }
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return clients;
}

/** The send time written into a latency message (this process's clock, as read back by the receiving member). */
function stampOf(data) {
  const text = data.toString('latin1');
  const match = /T(\d+\.\d+)T/.exec(text);
  return match === null ? null : Number(match[1]);
}

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const total = cfg.members.reduce((sum, m) => sum + m.count, 0);
  const histograms = {};
  for (const m of cfg.members) histograms[m.group] = new LatencyHistogram();
  let deliveries = 0;
  let phase = 'warmup';
  let pump = () => {};
  const onMessage = cfg.mode === 'latency'
    ? (group, data) => {
      deliveries += 1;
      const sent = stampOf(data);
      if (phase === 'measure' && sent !== null) histograms[group].record(performance.now() - sent);
    }
    : () => {
      deliveries += 1;
      pump();
    };
  const clients = await openMany(cfg.members, cfg.protocol, onMessage);
  const publisher = await open(cfg.pubUrl, 'pub', cfg.protocol, () => {});
  clients.push(publisher);
  // The server may finish the join after the handshake: wait until one message reaches every member.
  const padding = 'x'.repeat(cfg.size);
  await new Promise((resolve) => {
    const probe = setInterval(() => publisher.send(publishFrame(`probe${padding}`.slice(0, cfg.size), cfg.protocol)), 100);
    const check = setInterval(() => {
      if (deliveries >= total) {
        clearInterval(probe);
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  // Let the probes drain before counting.
  await new Promise((resolve) => setTimeout(resolve, 300));

  let sent = 0;
  let timer = null;
  const body = `m${padding}`.slice(0, cfg.size);
  const frame = publishFrame(body, cfg.protocol);
  if (cfg.mode === 'latency') {
    // Paced from the start time, so a late timer catches up instead of lowering the rate.
    const began = performance.now();
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - began) / 1000) * cfg.rate);
      while (sent < due) {
        const text = `T${performance.now().toFixed(3)}T${padding}`.slice(0, cfg.size);
        publisher.send(publishFrame(text, cfg.protocol));
        sent += 1;
      }
    }, 1);
  } else {
    const base = deliveries;
    pump = () => {
      while ((sent - cfg.window) * total <= deliveries - base) {
        publisher.send(frame);
        sent += 1;
      }
    };
    pump();
  }
  process.send({ type: 'phase', phase: 'warmup' });
  await new Promise((resolve) => setTimeout(resolve, cfg.warmupMs));
  phase = 'measure';
  process.send({ type: 'phase', phase: 'measure' });
  const startDeliveries = deliveries;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, cfg.durationMs));
  const seconds = (performance.now() - started) / 1000;
  const measured = deliveries - startDeliveries;
  phase = 'drain';
  process.send({ type: 'phase', phase: 'drain' });
  if (timer !== null) clearInterval(timer);
  pump = () => {};
  const groups = {};
  for (const [group, h] of Object.entries(histograms)) {
    groups[group] = { count: h.total, p50Ms: h.percentile(50), p99Ms: h.percentile(99) };
  }
  for (const ws of clients) ws.terminate();
  process.send({ type: 'result', deliveriesPerSec: measured / seconds, members: total, sent, groups });
}

main().catch((error) => {
  process.send({ type: 'result', error: String(error && error.stack ? error.stack : error) });
});
