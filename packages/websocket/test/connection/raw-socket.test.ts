import { once } from 'node:events';
import type { WebSocket } from '../../src/connection';
import type { OwnedRawSocket } from '../../src/connection/raw-socket';
import { connectionOf } from '../../src/connection/websocket';
import { captureRoute, Harness } from './harness';

/** The `ws` socket under a Serv connection. */
function rawOf(ws: WebSocket): OwnedRawSocket {
  return connectionOf(ws).outbox.raw as OwnedRawSocket;
}

/**
 * A serving `ws` socket hands its events to its connection through `emit` instead of listeners (raw-socket.ts), so an
 * idle connection carries no listener table. Messages, pongs and closes must still arrive, and listeners someone
 * adds anyway must still run.
 */
describe('the raw socket under a connection', () => {
  let harness: Harness;
  let route: ReturnType<typeof captureRoute>;

  afterEach(async () => {
    route.release();
    await harness.stop();
  });

  async function open() {
    harness = await Harness.start();
    route = captureRoute(harness, '/ws');
    const server = route.next();
    const clientPromise = harness.connect('/ws');
    const ws = await server;
    await ws.accept();
    return { ws, client: await clientPromise };
  }

  it('carries no listeners, and still delivers messages and the close to the connection', async () => {
    const { ws, client } = await open();
    const raw = rawOf(ws);
    expect(raw.eventNames()).toEqual([]);
    expect((raw as unknown as { _events: unknown })._events).toBeUndefined();
    client.send('hello');
    expect(await ws.receive()).toBe('hello');
    client.close(4000, 'bye');
    await expect(ws.receive()).rejects.toThrow('WebSocket disconnected: 4000 bye');
  });

  it('runs listeners added to it after handing the event to the connection', async () => {
    const { ws, client } = await open();
    const raw = rawOf(ws);
    const seen: string[] = [];
    raw.on('message', (data: Buffer) => seen.push(`listener ${data.toString()}`));
    raw.on('pong', () => seen.push('pong'));
    client.send('one');
    expect(await ws.receive()).toBe('one');
    expect(seen).toEqual(['listener one']);
    const ponged = once(raw, 'pong');
    raw.ping();
    await ponged;
    expect(seen).toEqual(['listener one', 'pong']);
    await ws.close();
  });
});
