'use strict';
/**
 * Idle-connection load generator (own process), driven over IPC by sections/idle.js:
 *   { cmd: 'open', count, deadlineMs }  → opens `count` more clients, each answering one probe → { type: 'opened' }
 *   { cmd: 'probe', deadlineMs }        → probes every client again → { type: 'probed', open, answered }
 *   { cmd: 'closeAll' }                 → terminates every client → { type: 'closed' }
 *   { cmd: 'exit' }                     → exits
 * Usage: node ws-idle.js '<json: { url, protocol, prefix, localAddresses, concurrency }>'
 */

const { connectMany } = require('./protocols');

const cfg = JSON.parse(process.argv[2]);
const PROBE = Buffer.from('probe');
const prefix = Buffer.from(cfg.prefix || '');
let clients = [];

/** Sends one probe on each client and counts the matching echoes, bounded by deadlineMs. */
function probeAll(list, deadlineMs) {
  return new Promise((resolve) => {
    let answered = 0;
    let pending = 0;
    let open = 0;
    const timer = setTimeout(() => finish(), deadlineMs);
    const finish = () => {
      clearTimeout(timer);
      for (const client of list) client.onEcho(() => {});
      resolve({ open, answered });
    };
    for (const client of list) {
      if (!client.isOpen()) continue;
      open += 1;
      pending += 1;
      let done = false;
      client.onEcho((ok) => {
        if (done) return;
        done = true;
        if (ok) answered += 1;
        pending -= 1;
        if (pending === 0) finish();
      });
      client.send();
    }
    if (pending === 0) finish();
  });
}

async function handle(message) {
  switch (message.cmd) {
    case 'open': {
      const { clients: opened, failures, timedOut } = await connectMany(cfg.protocol, cfg.url, {
        count: message.count,
        concurrency: cfg.concurrency || 200,
        deadlineMs: message.deadlineMs,
        localAddresses: cfg.localAddresses || [],
        payload: PROBE,
        prefix,
      });
      clients = clients.concat(opened);
      const probe = await probeAll(opened, message.deadlineMs);
      const counts = {};
      for (const failure of failures) counts[failure] = (counts[failure] || 0) + 1;
      process.send({ type: 'opened', opened: opened.length, answered: probe.answered, failures: counts, timedOut });
      break;
    }
    case 'probe': {
      const probe = await probeAll(clients, message.deadlineMs);
      process.send({ type: 'probed', total: clients.length, ...probe });
      break;
    }
    case 'closeAll':
      for (const client of clients) client.close();
      clients = [];
      process.send({ type: 'closed' });
      break;
    case 'exit':
      process.exit(0);
      break;
    default:
      process.send({ type: 'error', error: `unknown command ${JSON.stringify(message)}` });
  }
}

process.on('message', (message) => {
  handle(message).catch((error) => process.send({ type: 'error', error: error.stack || String(error) }));
});
process.send({ type: 'ready' });
