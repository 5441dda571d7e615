'use strict';
/**
 * WebSocket handshake load generator (own process): `connections` loops, each opening a WebSocket to `url` (with
 * `headers`, e.g. a session cookie), closing it once open and starting over; reports completed handshakes per second.
 * Usage: node ws-handshake.js '<json: { url, headers, connections, durationSec, warmupSec }>'
 */

const WebSocket = require('ws');

function run(cfg, durationSec) {
  return new Promise((resolve, reject) => {
    let done = 0;
    let failed = null;
    let stopping = false;
    let active = 0;
    const started = process.hrtime.bigint();
    const timer = setTimeout(() => {
      stopping = true;
    }, durationSec * 1000);
    const finish = () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (failed) reject(failed);
      else resolve({ handshakes: done, seconds });
    };
    const loop = () => {
      if (stopping || failed) {
        active -= 1;
        if (active === 0) {
          clearTimeout(timer);
          finish();
        }
        return;
      }
      const ws = new WebSocket(cfg.url, { headers: cfg.headers, perMessageDeflate: false });
      ws.on('open', () => {
        done += 1;
        ws.close();
      });
      ws.on('unexpected-response', (_req, res) => {
        failed = new Error(`handshake answered HTTP ${res.statusCode}`);
        ws.terminate();
      });
      ws.on('error', (error) => {
        failed ??= error;
      });
      ws.on('close', loop);
    };
    for (let i = 0; i < cfg.connections; i += 1) {
      active += 1;
      loop();
    }
  });
}

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  if (cfg.warmupSec > 0) await run(cfg, cfg.warmupSec);
  process.send({ type: 'phase', phase: 'measure' });
  const result = await run(cfg, cfg.durationSec);
  process.send({ type: 'phase', phase: 'drain' });
  process.send({ type: 'result', handshakes: result.handshakes, seconds: result.seconds, perSec: result.handshakes / result.seconds });
}

main().then(
  () => process.disconnect(),
  (error) => {
    process.send({ type: 'result', error: error.stack || String(error) });
    process.disconnect();
  },
);
