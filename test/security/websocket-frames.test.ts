import { deflateRawSync } from 'node:zlib';
import { AttackServer } from './helpers/attack-server';
import { frame, RawWebSocket } from './helpers/raw-ws';

// Frame-level attacks against the echo route: each gets the exact close code and reason, the server keeps serving a
// fresh client, and its memory comes back.
let server: AttackServer;

beforeAll(async () => {
  server = await AttackServer.start({ permessageDeflate: true, messageTimeoutMs: 500, heartbeatIntervalMs: 200 });
  await echoOnce();
  await server.markBaseline();
});

afterAll(() => server.stop());

afterEach(async () => {
  await echoOnce();
});

/** A fresh, well-behaved client gets its message echoed. */
async function echoOnce(): Promise<void> {
  const ws = await RawWebSocket.open(server.port);
  expect(ws.status).toBe(101);
  ws.send(frame(0x1, 'still here'));
  await ws.conn.until(() => ws.frames().some((f) => f.opcode === 0x1));
  expect(ws.frames().find((f) => f.opcode === 0x1)?.payload.toString()).toBe('still here');
  ws.send(frame(0x8, Buffer.from([0x03, 0xe8])));
  expect(await ws.closeFrame()).toEqual({ code: 1000, reason: '' });
}

async function attack(bytes: Buffer | Buffer[], options: { extensions?: string } = {}): Promise<{ code: number; reason: string } | null> {
  const headers: Record<string, string> = options.extensions === undefined ? {} : { 'Sec-WebSocket-Extensions': options.extensions };
  const ws = await RawWebSocket.open(server.port, { headers });
  expect(ws.status).toBe(101);
  for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) ws.send(chunk);
  return ws.closeFrame();
}

describe('malformed frames', () => {
  it.each([
    ['an unmasked client frame', frame(0x1, 'hi', { mask: false }), 1002, ''],
    ['RSV1 without permessage-deflate', frame(0x1, 'hi', { rsv: 4 }), 1002, ''],
    ['RSV2 set', frame(0x1, 'hi', { rsv: 2 }), 1002, ''],
    ['a reserved opcode', frame(0x3, 'hi'), 1002, ''],
    ['a continuation with nothing to continue', frame(0x0, 'hi'), 1002, ''],
    ['a fragmented ping', frame(0x9, 'hi', { fin: false }), 1002, ''],
    ['a ping over 125 bytes', frame(0x9, Buffer.alloc(126)), 1002, ''],
    ['invalid UTF-8 in a text frame', frame(0x1, Buffer.from([0xc3, 0x28])), 1007, ''],
    ['invalid UTF-8 in a close reason', frame(0x8, Buffer.from([0x03, 0xe8, 0xff])), 1007, ''],
    ['a close code that may not be sent', frame(0x8, Buffer.from([0x03, 0xed])), 1002, ''],
  ])('closes %s with the exact code', async (_name, bytes, code, reason) => {
    expect(await attack(bytes)).toEqual({ code, reason });
  });
});

describe('size attacks', () => {
  it('closes 1009 on a frame that declares 2 GB, before any payload arrives', async () => {
    expect(await attack(frame(0x2, Buffer.alloc(0), { declaredLength: 2n ** 31n }))).toEqual({ code: 1009, reason: '' });
  });

  it('closes 1009 on a message whose fragments add up past max_message_bytes', async () => {
    const chunk = Buffer.alloc(600 * 1024);
    expect(await attack([frame(0x2, chunk, { fin: false }), frame(0x0, chunk)])).toEqual({ code: 1009, reason: '' });
  });

  it('closes 1008 on more than 16384 fragments in one message', async () => {
    const fragments = [frame(0x1, 'a', { fin: false })];
    for (let i = 0; i < 16_400; i++) fragments.push(frame(0x0, 'a', { fin: false }));
    expect(await attack(Buffer.concat(fragments))).toEqual({ code: 1008, reason: '' });
  });

  it('closes 1009 on a compression bomb that inflates past max_message_bytes', async () => {
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 });
    const payload = bomb.subarray(0, bomb.length - 4); // permessage-deflate drops the 00 00 ff ff tail
    expect(payload.length).toBeLessThan(16 * 1024);
    expect(await attack(frame(0x2, payload, { rsv: 4 }), { extensions: 'permessage-deflate' })).toEqual({ code: 1009, reason: '' });
  });
});

describe('unfinished messages', () => {
  it('closes 1008 "Message timeout" on a fragmented message that never ends', async () => {
    expect(await attack(frame(0x1, 'start of something', { fin: false }))).toEqual({ code: 1008, reason: 'Message timeout' });
  });

  it('closes 1008 "Message timeout" on a frame whose payload stops half way', async () => {
    const whole = frame(0x2, Buffer.alloc(1000));
    expect(await attack(whole.subarray(0, 500))).toEqual({ code: 1008, reason: 'Message timeout' });
  });

  it('keeps a connection that sends one whole message per server ping, for longer than the message timeout', async () => {
    // The server pings every 200 ms; pacing on its pings makes this client slow (6 pings ≈ 1.2 s > 1.5 × 500 ms).
    const ws = await RawWebSocket.open(server.port);
    const count = (opcode: number): number => ws.frames().filter((f) => f.opcode === opcode).length;
    for (let i = 1; i <= 6; i++) {
      await ws.conn.until(() => count(0x9) >= i);
      ws.send(frame(0x1, `m${i}`));
      await ws.conn.until(() => count(0x1) >= i);
    }
    ws.send(frame(0x8, Buffer.from([0x03, 0xe8])));
    expect(await ws.closeFrame()).toEqual({ code: 1000, reason: '' });
  });
});

describe('flood', () => {
  it('closes 1008 "Rate limit exceeded" past 1000 messages in a second', async () => {
    const burst = Buffer.concat(Array.from({ length: 1100 }, () => frame(0x1, 'x')));
    const ws = await RawWebSocket.open(server.port);
    ws.send(burst);
    expect(await ws.closeFrame()).toEqual({ code: 1008, reason: 'Rate limit exceeded' });
  });

  afterAll(async () => {
    await server.expectMemoryBack();
  });
});
