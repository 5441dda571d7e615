import type { Socket } from 'node:net';
import { FrameType, type WebSocket } from '../../src/connection';
import { MAX_DIRECT_PAYLOAD_BYTES as LIMIT, writeFrameDirect, TEXT_FRAME } from '../../src/connection/frame-writer';
import type { OwnedRawSocket } from '../../src/connection/raw-socket';
import { connectionOf } from '../../src/connection/websocket';
import { captureRoute, Harness, rawHandshake } from './harness';

/** The `ws` socket under a Serv connection. */
function rawOf(ws: WebSocket): OwnedRawSocket {
  return connectionOf(ws).raw as OwnedRawSocket;
}

/**
 * Messages up to the direct-write limits go out as one buffer written by Serv (see frame-writer.ts), larger ones and
 * compressed ones through `ws`. Every size class of the frame header (7-bit, 16-bit, 64-bit length) and both sides of
 * each limit must reach a real `ws` client intact and in order.
 */
describe('frame writing', () => {
  let harness: Harness;
  let route: ReturnType<typeof captureRoute>;

  afterEach(async () => {
    route.release();
    await harness.stop();
  });

  async function open(options?: Parameters<typeof captureRoute>[2], deflate = false) {
    harness = await Harness.start({ perMessageDeflate: deflate });
    route = captureRoute(harness, '/ws', options);
    const server = route.next();
    const clientPromise = harness.connect('/ws', { perMessageDeflate: deflate });
    const ws = await server;
    await ws.accept();
    return { ws, client: await clientPromise };
  }

  const TEXT_LENGTHS = [0, 1, 125, 126, 127, LIMIT - 1, LIMIT, LIMIT + 1, 65535, 65536, 65537, 100_000];
  const BINARY_LENGTHS = [0, 1, 125, 126, LIMIT, LIMIT + 1, 65535, 65536, 70_000];

  /** A string of `n` UTF-16 units, ASCII or with 2- and 3-byte UTF-8 characters mixed in. */
  function text(n: number, multibyte: boolean): string {
    const unit = multibyte ? 'aé€' : 'abc';
    return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  }

  function bytes(n: number): Buffer {
    const buf = Buffer.alloc(n);
    for (let i = 0; i < n; i += 1) buf[i] = (i * 7 + 3) & 0xff;
    return buf;
  }

  it.each([false, true])('sends text of every header size class intact and in order (multibyte: %s)', async (multibyte) => {
    const { ws, client } = await open();
    for (const n of TEXT_LENGTHS) await ws.send(text(n, multibyte));
    for (const n of TEXT_LENGTHS) expect(await client.receive()).toBe(text(n, multibyte));
  });

  it('sends bytes of every header size class intact and in order, interleaved with text', async () => {
    const { ws, client } = await open();
    for (const n of BINARY_LENGTHS) {
      await ws.send(bytes(n));
      await ws.sendText(`after ${n}`);
    }
    for (const n of BINARY_LENGTHS) {
      expect(await client.receive()).toEqual(bytes(n));
      expect(await client.receive()).toBe(`after ${n}`);
    }
  });

  it('sendBytes() of a string and send() of a string under frameType BINARY go out as binary frames', async () => {
    const { ws, client } = await open({ frameType: FrameType.BINARY });
    await ws.sendBytes('héllo');
    await ws.send('wörld');
    await ws.send(text(70_000, true));
    expect(await client.receive()).toEqual(Buffer.from('héllo'));
    expect(await client.receive()).toEqual(Buffer.from('wörld'));
    expect(await client.receive()).toEqual(Buffer.from(text(70_000, true)));
  });

  it('keeps order and content when permessage-deflate is negotiated (every frame goes through ws)', async () => {
    const { ws, client } = await open(undefined, true);
    expect(client.raw.extensions).toContain('permessage-deflate');
    const sent = [text(10, true), text(2000, false), text(70_000, true)];
    for (const message of sent) void ws.send(message);
    await ws.send(bytes(300));
    for (const message of sent) expect(await client.receive()).toBe(message);
    expect(await client.receive()).toEqual(bytes(300));
  });

  it('takes the direct path for small frames on a plain connection, and leaves the rest to ws', async () => {
    const { ws, client } = await open();
    expect(writeFrameDirect(rawOf(ws), TEXT_FRAME, 'direct')).toBe(true);
    expect(writeFrameDirect(rawOf(ws), TEXT_FRAME, 'x'.repeat(LIMIT))).toBe(true);
    expect(writeFrameDirect(rawOf(ws), TEXT_FRAME, 'x'.repeat(LIMIT + 1))).toBe(false);
    expect(writeFrameDirect(rawOf(ws), TEXT_FRAME, '€'.repeat(LIMIT / 2))).toBe(false); // 3 bytes each
    expect(await client.receive()).toBe('direct');
    expect(await client.receive()).toBe('x'.repeat(LIMIT));
  });

  it('leaves every frame to ws once permessage-deflate is negotiated', async () => {
    const { ws } = await open(undefined, true);
    expect(writeFrameDirect(rawOf(ws), TEXT_FRAME, 'small')).toBe(false);
  });

  it('puts minimal, unmasked frame headers on the wire (RFC 6455 section 5.2)', async () => {
    harness = await Harness.start();
    route = captureRoute(harness, '/ws');
    const server = route.next();
    const socket: Socket = await harness.tcp();
    const handshake = rawHandshake(socket, '/ws');
    const ws: WebSocket = await server;
    await ws.accept();
    await handshake;
    const wanted = 2 + 5 + (4 + 126) + (10 + 65536);
    const received = readBytes(socket, wanted);
    await ws.send('hello');
    await ws.send('x'.repeat(126));
    await ws.send('y'.repeat(65536));
    const wire = await received;
    expect([...wire.subarray(0, 7)]).toEqual([0x81, 5, ...Buffer.from('hello')]);
    expect([...wire.subarray(7, 11)]).toEqual([0x81, 126, 0, 126]);
    const third = 7 + 4 + 126;
    expect([...wire.subarray(third, third + 10)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(wire.subarray(third + 10).toString()).toBe('y'.repeat(65536));
    socket.destroy();
  });
});

/** Read exactly `n` bytes from a paused socket (one listener, so chunks emitted back to back are all seen). */
function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      total += chunk.length;
      if (total < n) return;
      socket.off('data', onData).off('error', reject).pause();
      resolve(Buffer.concat(chunks).subarray(0, n));
    };
    socket.on('data', onData).on('error', reject);
    socket.resume();
  });
}
