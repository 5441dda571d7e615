import { once } from 'node:events';
import type { WebSocket } from '../../src/connection';
import type { OwnedRawSocket } from '../../src/connection/raw-socket';
import { connectionOf } from '../../src/connection/websocket';
import { captureRoute, deferred, Harness, rawHandshake } from './harness';

/** The `ws` socket under a Serv connection. */
function rawOf(ws: WebSocket): OwnedRawSocket {
  return connectionOf(ws).raw as OwnedRawSocket;
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

  it('shares one empty extension table among sockets that negotiated no extension', async () => {
    const { ws, client } = await open();
    const secondServer = route.next();
    const secondClient = harness.connect('/ws');
    const second = await secondServer;
    await second.accept();
    await secondClient;
    const tableOf = (socket: WebSocket) => (rawOf(socket) as unknown as { _extensions: object })._extensions;
    expect(tableOf(second)).toBe(tableOf(ws));
    expect(Object.isFrozen(tableOf(ws))).toBe(true);
    expect(rawOf(ws).extensions).toBe('');
    client.send('after');
    expect(await ws.receive()).toBe('after');
    await Promise.all([ws.close(), second.close()]);
  });

  it('answers a ping with a pong carrying the same data, and keeps the connection', async () => {
    const { ws, client } = await open();
    // Answered by the connection, not by ws's automatic pong (which keeps a closure on every socket).
    expect((rawOf(ws) as unknown as { _autoPongComplete?: unknown })._autoPongComplete).toBeUndefined();
    const data = Buffer.from('are you there?');
    const ponged = once(client.raw, 'pong') as Promise<[Buffer]>;
    client.raw.ping(data);
    expect((await ponged)[0]).toEqual(data);
    client.send('still open');
    expect(await ws.receive()).toBe('still open');
    await ws.close();
  });

  it('closes with 1013 a peer that floods pings without reading the pongs', async () => {
    harness = await Harness.start();
    const ended = deferred<{ code: number | null; reason: string | null }>();
    const onClose = (ws: WebSocket) => ended.resolve({ code: ws.closeCode, reason: ws.closeReason });
    route = captureRoute(harness, '/flood', { maxBufferedBytes: 64 * 1024 }, { onClose });
    const accepted = route.next().then((ws) => ws.accept());
    const socket = await harness.tcp();
    await rawHandshake(socket, '/flood'); // reads nothing from here on
    await accepted;
    // 500 masked pings of 125 bytes per write (mask 0: the payload goes as is); the pongs pile up on the server
    // until its backlog passes maxBufferedBytes, beyond what the kernel's socket buffers hold.
    const ping = Buffer.concat([Buffer.from([0x89, 0x80 | 125, 0, 0, 0, 0]), Buffer.alloc(125, 0x70)]);
    const batch = Buffer.concat(Array.from({ length: 500 }, () => ping));
    let done = false;
    void ended.promise.then(() => (done = true));
    socket.on('error', () => undefined); // the server drops the connection while pings are still being written
    const event = (name: string) => new Promise<void>((resolve) => socket.once(name, () => resolve())); // once() rejects on 'error'
    const gone = event('close');
    while (!done && !socket.destroyed) {
      if (!socket.write(batch)) await Promise.race([event('drain'), ended.promise, gone]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(await ended.promise).toEqual({ code: 1013, reason: 'Send buffer limit exceeded' });
  });
});
