import { AttackServer } from './helpers/attack-server';
import { frame, RawWebSocket } from './helpers/raw-ws';

/** Open `count` raw WebSockets, `batch` at a time. */
async function openMany(port: number, count: number, options: Parameters<typeof RawWebSocket.open>[1] = {}, batch = 100): Promise<RawWebSocket[]> {
  const all: RawWebSocket[] = [];
  for (let i = 0; i < count; i += batch) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => RawWebSocket.open(port, options)))));
  }
  return all;
}

/** A fresh, well-behaved client gets its message echoed. */
async function echoOnce(port: number): Promise<void> {
  const ws = await RawWebSocket.open(port);
  expect(ws.status).toBe(101);
  ws.send(frame(0x1, 'still here'));
  await ws.conn.until(() => ws.frames().some((f) => f.opcode === 0x1));
  ws.send(frame(0x8, Buffer.from([0x03, 0xe8])));
  expect(await ws.closeFrame()).toEqual({ code: 1000, reason: '' });
}

describe('connection attacks on the default limits', () => {
  let server: AttackServer;
  beforeAll(async () => {
    server = await AttackServer.start({});
    await echoOnce(server.port);
    await server.markBaseline();
  });
  afterAll(() => server.stop());

  it('admits 1000 of 1100 simultaneous connections and answers the other 100 with 503, then serves a fresh client', async () => {
    const sockets = await openMany(server.port, 1100);
    const statuses = sockets.map((s) => s.status);
    expect(statuses.filter((s) => s === 101)).toHaveLength(1000);
    const refused = sockets.filter((s) => s.status !== 101);
    expect(refused).toHaveLength(100);
    for (const r of refused) {
      expect(r.answer).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(r.answer.endsWith('\r\n\r\nServer is at max_connections (1000)')).toBe(true);
    }
    for (const s of sockets) s.destroy();
    await server.idle();
    await echoOnce(server.port);
    await server.expectMemoryBack();
  });

  it('survives churn: 1000 connections opened, used and dropped in waves', async () => {
    for (let wave = 0; wave < 10; wave++) {
      const sockets = await openMany(server.port, 100);
      for (const s of sockets) s.send(frame(0x1, 'hi'));
      await Promise.all(sockets.map((s) => s.conn.until(() => s.frames().some((f) => f.opcode === 0x1))));
      sockets.forEach((s, i) => (i % 2 === 0 ? s.destroy() : s.send(frame(0x8, Buffer.from([0x03, 0xe8])))));
      await Promise.all(sockets.filter((_, i) => i % 2 === 1).map((s) => s.closeFrame()));
    }
    await server.idle();
    await echoOnce(server.port);
    await server.expectMemoryBack();
  });

  it.each([
    ['an HTTP/1.0 upgrade', { httpVersion: '1.0' }, 400, 'WebSocket handshake needs HTTP/1.1, got HTTP/1.0'],
    ['an HTTP/1.0 upgrade without Host', { httpVersion: '1.0', host: null }, 400, 'WebSocket handshake needs HTTP/1.1, got HTTP/1.0'],
    ['an upgrade with an empty Host', { host: '' }, 400, 'WebSocket handshake needs a Host header'],
    ['an upgrade to a path with ..', { path: '/x/../ws' }, 400, 'Request path "/x/../ws" contains a "." or ".." segment'],
    ['an upgrade to a path with a NUL', { path: '/ws%00' }, 400, 'Request target contains a NUL byte'],
  ])('refuses %s with the exact answer', async (_name, options, status, body) => {
    const ws = await RawWebSocket.open(server.port, options);
    expect(ws.status).toBe(status);
    expect(ws.answer.endsWith(`\r\n\r\n${body}`)).toBe(true);
    await echoOnce(server.port);
  });

  it('lets Node answer an HTTP/1.1 upgrade without Host with 400', async () => {
    const ws = await RawWebSocket.open(server.port, { host: null });
    expect(ws.status).toBe(400);
  });
});

describe('max_connections_per_ip', () => {
  it('refuses a fourth connection from one address with 503, and ignores X-Forwarded-For without trust_proxy', async () => {
    const server = await AttackServer.start({ maxConnectionsPerIp: 3 });
    try {
      const held = await openMany(server.port, 3);
      expect(held.map((s) => s.status)).toEqual([101, 101, 101]);
      const fourth = await RawWebSocket.open(server.port, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
      expect(fourth.status).toBe(503);
      expect(fourth.answer.endsWith('\r\n\r\nToo many connections from your address (max_connections_per_ip is 3)')).toBe(true);
      held[0].destroy();
      await held[0].conn.closed;
      await server.idle(2); // the slot comes back once the server noticed the drop and the handler ended
      const again = await RawWebSocket.open(server.port);
      expect(again.status).toBe(101);
      for (const s of [...held, again]) s.destroy();
      await server.idle();
    } finally {
      await server.stop();
    }
  });

  it('counts by the address the trusted proxy saw (the last X-Forwarded-For entry with trust_proxy: 1)', async () => {
    const server = await AttackServer.start({ maxConnectionsPerIp: 2, trustProxy: 1 });
    try {
      const a = await openMany(server.port, 2, { headers: { 'X-Forwarded-For': '198.51.100.1, 10.0.0.1' } });
      expect(a.map((s) => s.status)).toEqual([101, 101]);
      const third = await RawWebSocket.open(server.port, { headers: { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1' } });
      expect(third.status).toBe(503);
      const other = await RawWebSocket.open(server.port, { headers: { 'X-Forwarded-For': '10.0.0.2' } });
      expect(other.status).toBe(101);
      for (const s of [...a, other]) s.destroy();
      await server.idle();
    } finally {
      await server.stop();
    }
  });
});
