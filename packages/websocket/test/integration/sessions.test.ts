import {
  createApp, createTestClient, Get, Inject, Logger, Post, Route, Session, UnauthorizedError, UseGuards,
  type HandlerContext, type TestClient,
} from '@serv/core';
import { ConnectionContext, WebSocket, WebSocketHandshakeError, WebSocketRoute } from '@serv/websocket';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const ran: string[] = [];

const requireUser = (ctx: HandlerContext): boolean => {
  if (ctx.session.user === undefined) throw new UnauthorizedError('Sign in first');
  return true;
};

@Route('/')
class AuthRoutes {
  @Post('/login') async login(@Inject() session: Session) {
    await session.regenerate();
    session.user = { name: 'ada' };
    return 'ok';
  }

  @Post('/logout') async logout(@Inject() session: Session) {
    await session.destroy({ closeSockets: true });
    return 'bye';
  }

  @Get('/seen') seen(@Inject() session: Session) {
    return { seen: session.get('seen') ?? null };
  }
}

@WebSocketRoute('/ws/me')
class MeHandler {
  async handle(@Inject() ws: WebSocket, @Inject() session: Session, @Inject() ctx: ConnectionContext): Promise<void> {
    ran.push('me');
    await ws.accept();
    await ws.sendJson({ user: session.user ?? null, same: ctx.session === session });
    session.set('seen', true);
    for await (const message of ws) await ws.send(String(message));
  }
}

@WebSocketRoute('/ws/private')
@UseGuards(requireUser)
class PrivateHandler {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    ran.push('private');
    await ws.accept();
    await ws.send('welcome');
  }
}

@WebSocketRoute('/ws/partner', { origins: ['https://partner.example'] })
class PartnerHandler {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.accept();
    await ws.send('partner');
  }
}

describe('sessions and guards on WebSocket routes', () => {
  let client: TestClient;
  let cookie: string;
  let origin: string;

  beforeEach(async () => {
    ran.length = 0;
    client = createTestClient(
      createApp({
        routes: [AuthRoutes, MeHandler, PrivateHandler, PartnerHandler],
        logger: new Logger('test', 'silent'),
        settings: { heartbeatIntervalMs: 0, sessions: { secret: SECRET, store: 'memory' } },
      }),
    );
    const login = await client.post('/login');
    cookie = (login.headers['set-cookie']?.[0] as string).split(';', 1)[0] as string;
    origin = `http://${new URL(await client.baseUrl()).host}`;
  });
  afterEach(async () => {
    await client.close();
  });

  it('gives the handler the session of its handshake, the same object as ctx.session', async () => {
    const ws = await client.websocket('/ws/me', { headers: { cookie, origin } });
    expect(await ws.receiveJson()).toEqual({ user: { name: 'ada' }, same: true });
    await ws.close();
    const anonymous = await client.websocket('/ws/me');
    expect(await anonymous.receiveJson()).toEqual({ user: null, same: true });
    await anonymous.close();
  });

  it('saves what a handler changed in an existing session when the connection ends', async () => {
    const ws = await client.websocket('/ws/me', { headers: { cookie, origin } });
    await ws.receiveJson();
    await ws.send('ping');
    expect(await ws.receiveText()).toBe('ping');
    await ws.close();
    // The save runs in the microtasks right after the handler's loop ends; the next request comes over the network.
    expect((await client.get('/seen', { headers: { cookie } })).json()).toEqual({ seen: true });
  });

  it('refuses an anonymous handshake on a guarded route with 401 and never runs the handler', async () => {
    const error = (await client.websocket('/ws/private').catch((err: unknown) => err)) as WebSocketHandshakeError;
    expect(error).toBeInstanceOf(WebSocketHandshakeError);
    expect(error.status).toBe(401);
    expect(error.body).toBe('Sign in first');
    expect(ran).toEqual([]);
    const ws = await client.websocket('/ws/private', { headers: { cookie, origin } });
    expect(await ws.receiveText()).toBe('welcome');
    expect(ran).toEqual(['private']);
    await ws.closed;
  });

  it('refuses a cross-origin handshake carrying the session cookie with 403 and accepts the same origin', async () => {
    const error = (await client.websocket('/ws/me', { headers: { cookie, origin: 'https://evil.example' } }).catch((err: unknown) => err)) as WebSocketHandshakeError;
    expect(error).toBeInstanceOf(WebSocketHandshakeError);
    expect(error.status).toBe(403);
    expect(error.body).toContain('Origin https://evil.example may not open a WebSocket with this site\'s session cookie');
    expect(ran).toEqual([]);
    const same = await client.websocket('/ws/me', { headers: { cookie, origin } });
    expect(await same.receiveJson()).toEqual({ user: { name: 'ada' }, same: true });
    await same.close();
    // Without the cookie there is nothing to hijack: a foreign page may connect anonymously.
    const anonymous = await client.websocket('/ws/me', { headers: { origin: 'https://evil.example' } });
    expect(await anonymous.receiveJson()).toEqual({ user: null, same: true });
    await anonymous.close();
  });

  it('accepts a session-carrying handshake from an origin the route lists', async () => {
    const ws = await client.websocket('/ws/partner', { headers: { cookie, origin: 'https://partner.example' } });
    expect(await ws.receiveText()).toBe('partner');
    await ws.closed;
  });

  it('closes the open sockets of a session with 4401 on destroy({ closeSockets: true })', async () => {
    const ws = await client.websocket('/ws/me', { headers: { cookie, origin } });
    await ws.receiveJson();
    await client.post('/logout', { headers: { cookie, origin } });
    expect(await ws.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });
});

describe('secure: auto', () => {
  it('marks the session cookie Secure on requests that came over TLS', async () => {
    const { join } = await import('node:path');
    const tls = { certFile: join(__dirname, 'fixtures', 'tls', 'cert.pem'), keyFile: join(__dirname, 'fixtures', 'tls', 'key.pem') };
    const client = createTestClient(
      createApp({ routes: [AuthRoutes, MeHandler], logger: new Logger('test', 'silent'), settings: { tls, heartbeatIntervalMs: 0, sessions: { secret: SECRET, store: 'memory' } } }),
    );
    try {
      expect(await client.baseUrl()).toMatch(/^https:/);
      const login = await client.post('/login');
      expect(login.headers['set-cookie']?.[0]).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
      const cookie = (login.headers['set-cookie']?.[0] as string).split(';', 1)[0] as string;
      const ws = await client.websocket('/ws/me', { headers: { cookie, origin: new URL(await client.baseUrl()).origin } });
      expect(await ws.receiveJson()).toEqual({ user: { name: 'ada' }, same: true });
      await ws.close();
    } finally {
      await client.close();
    }
  });

  it.each([
    ['a trusted proxy says the client used https', { trustProxy: true }, 'https', true],
    ['a proxy that is not trusted says https', { trustProxy: ['10.0.0.0/8'] }, 'https', false],
    ['trust_proxy is off', {}, 'https', false],
    ['a trusted proxy says the client used http', { trustProxy: 1 }, 'http', false],
  ] as const)('sets Secure over plain HTTP exactly when %s', async (_case, settings, proto, secure) => {
    const client = createTestClient(
      createApp({ routes: [AuthRoutes, MeHandler], logger: new Logger('test', 'silent'), settings: { ...settings, heartbeatIntervalMs: 0, sessions: { secret: SECRET, store: 'memory' } } }),
    );
    try {
      const login = await client.post('/login', { headers: { 'x-forwarded-proto': proto, 'x-forwarded-for': '203.0.113.9' } });
      const cookie = login.headers['set-cookie']?.[0] as string;
      expect(cookie.includes('; Secure;')).toBe(secure);
    } finally {
      await client.close();
    }
  });
});
