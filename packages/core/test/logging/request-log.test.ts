import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createTestClient, FileResponse, Get, Inject, Logger, Route, RequestContext, type App, type ServSettings } from '@serv/core';

@Route('/users/{id:int}')
class UserRoute {
  @Get() get(@Inject() ctx: RequestContext) {
    return { requestId: ctx.requestId };
  }
}

const ID = /^[\w-]+-[0-9a-z]+$/;

/** An app logging JSON lines into `lines`, whose requests are counted until `settled(n)`. */
function jsonApp(settings: Partial<ServSettings> = {}): { app: App; lines: string[]; levels: string[] } {
  const lines: string[] = [];
  const levels: string[] = [];
  const app = createApp({ routes: [UserRoute], settings, logger: new Logger('serv', 'debug', (level, line) => (levels.push(level), lines.push(line)), 'json') });
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
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end('GET /a"b\\c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 404 /);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ path: '/a"b\\c', status: 404 });
    } finally {
      await app.close();
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
