import { AttackServer } from './helpers/attack-server';
import { frame, RawWebSocket } from './helpers/raw-ws';

// The defect: peers that pipeline requests and stop reading. The handler blocks in send(), its inbox fills, reading
// pauses, and the heartbeat skips paused connections, so nothing ever reaped them. Each request here asks for 1 MiB
// (the /ws-download route): loopback's kernel buffers take about 4 MiB from a peer that does not read before the
// server's send() has to wait, and getting there through a plain echo would cost 200 x 5 MiB of upload.
const SEND_TIMEOUT_MS = 2000;
const PEERS = 200;
const REQUESTS = 8;
const MESSAGE = Buffer.alloc(16 * 1024, 0x61);
const MiB = 1024 * 1024;

let server: AttackServer;
let slow: SlowReader | undefined;
const peers: RawWebSocket[] = [];

beforeAll(async () => {
  // No rate limit here: the slow reader sends as fast as it reads, and this case is about send(), not floods.
  server = await AttackServer.start({ sendTimeoutMs: SEND_TIMEOUT_MS, sendHighWaterBytes: 16 * 1024, rateLimitMessages: 0 });
  await server.markBaseline();
});

afterAll(async () => {
  // Whatever the test reached: no timer or socket of ours outlives it, and the server is stopped.
  slow?.stop();
  for (const p of peers) p.destroy();
  await server.stop();
}, 15_000);

/** A peer that reads everything, slowly: its reading pauses for 300 ms out of every 600 ms; it sends as it reads. */
class SlowReader {
  echoed = 0;
  private readonly toggle: NodeJS.Timeout;

  constructor(readonly ws: RawWebSocket) {
    let paused = false;
    this.toggle = setInterval(() => {
      paused = !paused;
      if (paused) ws.conn.socket.pause();
      else ws.conn.socket.resume();
    }, 300);
    const start = ws.conn.length;
    const echoBytes = MESSAGE.length + 4; // each echo: a 4-byte header (16-bit length) and the payload
    ws.conn.socket.on('data', () => {
      const echoes = Math.floor((ws.conn.length - start) / echoBytes);
      for (; this.echoed < echoes; this.echoed++) ws.send(frame(0x2, MESSAGE));
    });
    for (let i = 0; i < 64; i++) ws.send(frame(0x2, MESSAGE));
  }

  stop(): void {
    clearInterval(this.toggle);
    this.ws.destroy();
  }
}

it(`closes ${PEERS} pipelining peers that stop reading once send() waited send_timeout_ms, frees their memory, and never closes a slow reader`, async () => {
  slow = new SlowReader(await RawWebSocket.open(server.port));
  for (let i = 0; i < PEERS; i += 50) {
    peers.push(...(await Promise.all(Array.from({ length: 50 }, () => RawWebSocket.open(server.port, { path: '/ws-download' })))));
  }
  const burst = Buffer.concat(Array.from({ length: REQUESTS }, () => frame(0x1, String(MiB))));
  await Promise.all(
    peers.map((p) => {
      p.conn.socket.pause(); // stop reading: from here on the peer only sends
      return new Promise<void>((resolve) => p.conn.socket.write(burst, () => resolve()));
    }),
  );
  const stoppedAt = Date.now(); // every peer has handed its last byte to the network and reads nothing
  // All peers parked in send() at once, or (on a slow machine, where the first peers time out before the last are
  // stalled) as many as were parked at most when the first send() timed out.
  const { parked, memory: held } = await server.parked(PEERS);
  expect(parked).toBeGreaterThan(0);
  const { closes, endedAt, sendWaits } = await server.idle(1); // only the slow reader's handler still runs
  expect(closes['1013']).toBe(PEERS);
  expect(endedAt).toHaveLength(PEERS);
  // Each peer's handler was parked in send() once the kernel buffers were full; that send waited send_timeout_ms,
  // then the connection was closed 1013 and the send failed. Nothing else would have closed them (the heartbeat skips
  // paused connections), so every close above is the reaper's. How long past send_timeout_ms the last one came depends
  // on how fast the machine fills 200 peers' kernel buffers: it is logged below, not asserted.
  expect(sendWaits).toHaveLength(PEERS);
  const longestWait = Math.max(...sendWaits);
  expect(Math.min(...sendWaits)).toBeGreaterThanOrEqual(SEND_TIMEOUT_MS - 50);
  const slowest = Math.max(...endedAt) - stoppedAt;
  for (const p of peers) p.destroy(); // a paused socket notices nothing; the server's side is what was asserted

  const reader = slow;
  expect(reader.ws.conn.socket.destroyed).toBe(false);
  const receivedBefore = reader.ws.conn.length;
  await reader.ws.conn.until(() => reader.ws.conn.length > receivedBefore + MESSAGE.length); // still being served
  const base = server.baselineMemory;
  // Each parked handler holds its 1 MiB reply until the reaper closes its connection.
  expect((held.heapUsed + held.arrayBuffers - base.heapUsed - base.arrayBuffers) / MiB).toBeGreaterThan(parked);
  const after = await server.expectMemoryBack(16);
  console.log(
    `stalled readers: ${PEERS} closed 1013 (${parked} parked in send() at once); longest send() wait ${longestWait} ms; last close ${slowest} ms after the peers stopped; server heap+buffers ` +
      `${((held.heapUsed + held.arrayBuffers) / MiB).toFixed(1)} MiB while stalled, ${((after.heapUsed + after.arrayBuffers) / MiB).toFixed(1)} MiB after ` +
      `(rss ${(held.rss / MiB).toFixed(0)} -> ${(after.rss / MiB).toFixed(0)} MiB); the slow reader got ${reader.echoed} echoes and stayed open`,
  );
  reader.stop();
  slow = undefined;
  await server.idle();
}, 30_000);
