'use strict';
/**
 * Idle members for the rooms memory figure (own process, command-driven): opens `count` connections, reports
 * `opened`; on `{ cmd: 'ping' }` has every one exchange a message (`ponged`); on `{ cmd: 'join', from, to }` sends `join` on connections [from, to) and reports `joined` once every
 * one answered.
 * Usage: node rooms-idle.js '<json config>' (started by sections/rooms.js).
 */

const WebSocket = require('ws');

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const sockets = [];
  let next = 0;
  async function worker() {
    while (next < cfg.count) {
      next += 1;
      sockets.push(await new Promise((resolve, reject) => {
        const ws = new WebSocket(cfg.url, { perMessageDeflate: false });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      }));
    }
  }
  await Promise.all(Array.from({ length: 100 }, worker));
  process.send({ type: 'opened', count: sockets.length });
  process.on('message', async (message) => {
    if (!message || (message.cmd !== 'join' && message.cmd !== 'ping')) return;
    const targets = message.cmd === 'ping' ? sockets : sockets.slice(message.from, message.to);
    await Promise.all(targets.map((ws) => new Promise((resolve) => {
      ws.once('message', resolve);
      ws.send(message.cmd);
    })));
    process.send({ type: message.cmd === 'ping' ? 'ponged' : 'joined' });
  });
}

main().catch((error) => process.send({ type: 'result', error: String(error) }));
