/**
 * The Serv side of the rooms benchmark, written as a user would: a WebSocket route whose members join one room and
 * whose publisher's messages go out through `rooms.broadcast()`. `?role=member` joins at once, `?role=pub` publishes,
 * `?role=idle` joins only when it sends `join` (the memory figure; `ping` answers `pong`, so the baseline includes what a
 * connection allocates once it has received and sent a message). The broker comes from BENCH_REDIS_URL /
 * BENCH_REDIS_PREFIX (memory when unset). Run through the CLI's TypeScript loader:
 * `node -r packages/cli/dist/register.js scripts/bench/servers/serv-rooms.ts`. Prints `Serv listening on http://HOST:PORT`.
 */
import 'reflect-metadata';
import { createApp, Inject, type ServSettings } from '@serv/core';
import { Rooms, WebSocket, WebSocketRoute } from '@serv/websocket';

/** One room, `bench`: members listen, the publisher broadcasts. */
@WebSocketRoute('/room', { rateLimitMessages: 0, maxBufferedBytes: 64 * 1024 * 1024 })
export class BenchRoom {
  constructor(private readonly rooms: Rooms) {}

  /** Joins members; broadcasts whatever the publisher sends. */
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.accept();
    const role = ws.query.role;
    if (role === 'member') await this.rooms.join('bench', ws);
    for await (const message of ws) {
      if (role === 'pub') this.rooms.broadcast('bench', message);
      else if (message === 'ping') await ws.send('pong');
      else if (message === 'join') {
        await this.rooms.join('bench', ws);
        await ws.send('joined');
      }
    }
  }
}

async function main(): Promise<void> {
  const url = process.env.BENCH_REDIS_URL;
  const broker: ServSettings['broker'] =
    url === undefined || url === '' ? { kind: 'memory' } : { kind: 'redis', url, prefix: process.env.BENCH_REDIS_PREFIX ?? 'serv-bench:' };
  const app = createApp({ routes: [BenchRoom], settings: { heartbeatIntervalMs: 0, maxConnections: 100_000, broker } });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`Serv listening on http://127.0.0.1:${port}`);
  // A graceful close retracts this instance's presence from Redis.
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
