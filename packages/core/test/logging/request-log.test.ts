import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createTestClient, FileResponse, Get, HttpError, Inject, Logger, Param, Route, RequestContext, type App, type ServSettings } from '@serv/core';

@Route('/users/{id:int}')
class UserRoute {
  @Get() get(@Inject() ctx: RequestContext) {
    return { requestId: ctx.requestId };
  }
}

/** Answers 200 for `/status/200`, else the status asked for, as an error. */
@Route('/status/{code:int}')
class StatusRoute {
  @Get() get(@Param('code') code: number) {
    if (code !== 200) throw new HttpError(code);
    return 'ok';
  }
}

const ID = /^[\w-]+-[0-9a-z]+$/;

/** Sends `requests` (raw HTTP/1.1, the last one with `Connection: close`) on one connection; resolves with all replies. */
function onOneConnection(port: number, requests: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(requests));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** An app logging JSON lines into `lines`, whose requests are counted until `settled(n)`. */
function jsonApp(settings: Partial<ServSettings> = {}): { app: App; lines: string[]; levels: string[] } {
  const lines: string[] = [];
  const levels: string[] = [];
  const app = createApp({ routes: [UserRoute, StatusRoute], settings, logger: new Logger('serv', 'debug', (level, line) => (levels.push(level), lines.push(line)), 'json') });
  return { app, lines, levels };
}

describe('the request log line (JSON format)', () => {
  it('writes one JSON object per request with id, method, path, route, status, duration, bytes and client', async () => {
    const { app, lines } = jsonApp();
    const client = createTestClient(app);
    try {
      const ok = await client.get('/users/7?x=1');
      const missing = await client.get('/nope');
      expect(lines).toHaveLength(2);
      const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(first).toEqual({
        level: 30, time: expect.any(Number), pid: process.pid, hostname: expect.any(String), name: 'serv', msg: 'request',
        reqId: ok.headers['x-request-id'], method: 'GET', path: '/users/7', route: '/users/{id:int}', status: 200,
        durationMs: expect.any(Number), bytes: ok.body.length, client: '127.0.0.1',
      });
      expect(second).toMatchObject({ reqId: missing.headers['x-request-id'], path: '/nope', route: null, status: 404, bytes: missing.body.length });
    } finally {
      await client.close();
    }
  });

  it('escapes what JSON must escape in the path', async () => {
    const { app, lines } = jsonApp();
    const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // Sent raw, as a client may: quotes and a backslash in the request target.
      const reply = await onOneConnection(port, 'GET /a"b\\c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(reply).toMatch(/^HTTP\/1\.1 404 /);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ path: '/a"b\\c', status: 404 });
    } finally {
      await app.close();
    }
  });

  it('writes each line right while routes, methods, statuses, ids and clients change from one line to the next', async () => {
    // Parts of the line are kept encoded between lines (per route and status, per client): every change must show.
    const { app, lines } = jsonApp({ trustProxy: ['loopback'] });
    const client = createTestClient(app);
    try {
      const sent: Array<[string, string, Record<string, string>]> = [
        ['GET', '/users/1', {}],
        ['GET', '/nope', { 'x-forwarded-for': '203.0.113.1' }],
        ['POST', '/users/1', { 'x-forwarded-for': '203.0.113.2', 'x-request-id': 'edge-1' }],
        ['GET', '/users/2', { 'x-forwarded-for': '203.0.113.2' }],
        ['GET', '/users/3', { 'x-forwarded-for': '203.0.113.1', 'x-request-id': 'edge-"2"' }],
        ['GET', '/nope', {}],
        ['GET', '/status/200', {}],
        ['GET', '/status/409', {}],
        ['GET', '/status/200', {}],
      ];
      const expected: Array<Record<string, unknown>> = [];
      const times: Array<[number, number]> = [];
      for (const [method, path, headers] of sent) {
        const before = Date.now();
        const reply = await client.request(method, path, { headers });
        times.push([before, Date.now()]);
        expected.push({
          reqId: reply.headers['x-request-id'], method, path, status: reply.status, bytes: reply.body.length,
          route: path.startsWith('/status/') ? '/status/{code:int}' : reply.status === 200 ? '/users/{id:int}' : null, client: headers['x-forwarded-for'] ?? '127.0.0.1',
        });
      }
      expect(expected.map((e) => e.status)).toEqual([200, 404, 405, 200, 200, 404, 200, 409, 200]);
      expect(expected.map((e) => e.reqId)).toEqual(['', '', 'edge-1', '', 'edge-"2"', '', '', '', ''].map((id) => id || expect.stringMatching(ID)));
      const parsed = lines.map((l) => JSON.parse(l) as { time: number });
      expect(parsed).toEqual(expected.map((e) => expect.objectContaining(e)));
      parsed.forEach(({ time }, i) => {
        const [before, after] = times[i] as [number, number];
        expect(time >= before && time <= after).toBe(true);
      });
    } finally {
      await client.close();
    }
  });

  it('writes the client of each request on a kept-alive connection, behind a trusted proxy or not', async () => {
    for (const trusted of [true, false]) {
      const { app, lines } = jsonApp(trusted ? { trustProxy: ['loopback'] } : {});
      const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const request = (forwardedFor: string, last = false) =>
          `GET /users/1 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${forwardedFor}\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
        const replies = await onOneConnection(port, request('203.0.113.1') + request('203.0.113.2') + request('203.0.113.1', true));
        expect(replies.match(/HTTP\/1\.1 200 /g)).toHaveLength(3);
        const clients = lines.map((l) => (JSON.parse(l) as { client: string }).client);
        expect(clients).toEqual(trusted ? ['203.0.113.1', '203.0.113.2', '203.0.113.1'] : ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
      } finally {
        await app.close();
      }
    }
  });

  it('writes the time right even from a clock outside the 13-digit milliseconds of 2001 to 2286', async () => {
    const { app, lines } = jsonApp();
    const client = createTestClient(app);
    const clock = jest.spyOn(Date, 'now');
    try {
      for (const time of [1_796_000_000_000, 999_999_999_999, 0, 10_000_000_000_000, 1_796_000_000_001]) {
        clock.mockReturnValue(time);
        await client.get('/users/1');
        expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ time, msg: 'request', status: 200 });
      }
    } finally {
      clock.mockRestore();
      await client.close();
    }
  });

  it('leaves the paths in app.requestLog.excludedPaths out', async () => {
    const { app, lines } = jsonApp();
    app.requestLog.excludedPaths.add('/users/1');
    const client = createTestClient(app);
    try {
      await client.get('/users/1');
      await client.get('/users/2');
      expect(lines.map((l) => (JSON.parse(l) as { path: string }).path)).toEqual(['/users/2']);
    } finally {
      await client.close();
    }
  });
});

describe('request ids', () => {
  it('generates a fresh id per request, sends it as x-request-id and gives it to the handler as ctx.requestId', async () => {
    const { app } = jsonApp();
    const client = createTestClient(app);
    try {
      const a = await client.get('/users/1');
      const b = await client.get('/users/1', { headers: { 'x-request-id': 'from-the-client' } });
      expect(a.headers['x-request-id']).toMatch(ID);
      expect(a.json()).toEqual({ requestId: a.headers['x-request-id'] });
      expect(b.headers['x-request-id']).toMatch(ID);
      expect(b.headers['x-request-id']).not.toBe(a.headers['x-request-id']);
      expect(b.json()).toEqual({ requestId: b.headers['x-request-id'] });
    } finally {
      await client.close();
    }
  });

  it('keeps an incoming x-request-id from a trusted proxy, and replaces one that is too long or has spaces', async () => {
    const { app, lines } = jsonApp({ trustProxy: ['loopback'] });
    const client = createTestClient(app);
    try {
      const kept = await client.get('/users/1', { headers: { 'x-request-id': 'edge-4711' } });
      expect(kept.headers['x-request-id']).toBe('edge-4711');
      expect(kept.json()).toEqual({ requestId: 'edge-4711' });
      expect(JSON.parse(lines[0] as string)).toMatchObject({ reqId: 'edge-4711' });
      for (const bad of ['a'.repeat(129), 'two words']) {
        expect((await client.get('/users/1', { headers: { 'x-request-id': bad } })).headers['x-request-id']).toMatch(ID);
      }
      expect((await client.get('/users/1', { headers: { 'x-request-id': 'b'.repeat(128) } })).headers['x-request-id']).toBe('b'.repeat(128));
    } finally {
      await client.close();
    }
  });

  it('replaces an incoming x-request-id from a peer trust_proxy does not list', async () => {
    const { app } = jsonApp({ trustProxy: ['10.0.0.0/8'] });
    const client = createTestClient(app);
    try {
      expect((await client.get('/users/1', { headers: { 'x-request-id': 'edge-4711' } })).headers['x-request-id']).toMatch(ID);
    } finally {
      await client.close();
    }
  });
});

describe('a client that leaves during a download', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'serv-download-'));
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(32 * 1024 * 1024, 1));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a debug line naming the request, not an error', async () => {
    const { app, lines, levels } = jsonApp();
    app.addRoute({ path: '/big', handler: () => new FileResponse(join(dir, 'big.bin')) });
    const ended = new Promise<void>((resolve) => app.on('app.request.end', () => resolve()));
    const { url } = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${url}/big`, (res) => {
          res.once('data', () => {
            res.destroy();
            resolve();
          });
        });
        req.on('error', reject);
        req.end();
      });
      await ended;
      expect(levels).not.toContain('error');
      const debug = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 20);
      expect(debug).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^The client closed the connection during the response to GET \/big \(Premature close\)$/) })]);
    } finally {
      await app.close();
    }
  });
});
