import {
  Body, createApp, createTestClient, Get, Inject, Logger, Post, Route, Session, UnauthorizedError, UseGuards,
  type HandlerContext, type TestClient,
} from '@serv/core';
import { idOf, SECRET, sessionCookie, sessionCookieLine } from './helpers';

const requireUser = (ctx: HandlerContext): boolean => {
  if (ctx.session.user === undefined) throw new UnauthorizedError('Sign in first');
  return true;
};

@Route('/')
class AuthRoutes {
  @Post('/login') async login(@Body() form: { name: string }, @Inject() session: Session) {
    await session.regenerate();
    session.user = { name: form.name };
    return { id: session.id ?? null };
  }

  @Post('/logout') async logout(@Inject() session: Session) {
    await session.destroy();
    return 'bye';
  }

  @Get('/me') me(@Inject() session: Session) {
    return { user: session.user ?? null, visits: session.get<number>('visits') ?? 0 };
  }

  @Post('/visit') visit(@Inject() session: Session) {
    session.set('visits', (session.get<number>('visits') ?? 0) + 1);
    return { visits: session.get('visits') };
  }

  @Get('/private') @UseGuards(requireUser) secret(@Inject() session: Session) {
    return `hello ${String(session.user?.name)}`;
  }
}

function app(secret: string | string[] = SECRET) {
  return createApp({ routes: [AuthRoutes], logger: new Logger('test', 'silent'), settings: { sessions: { secret, store: 'memory' } } });
}

describe('sessions over HTTP', () => {
  let client: TestClient;
  afterEach(async () => {
    await client.close();
  });

  it('login sets a signed, HttpOnly, SameSite=Lax cookie and later requests see the user', async () => {
    client = createTestClient(app());
    const login = await client.post('/login', { json: { name: 'ada' } });
    expect(login.status).toBe(200);
    const line = sessionCookieLine(login) as string;
    expect(line).toMatch(/^serv_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookie = sessionCookie(login) as string;
    expect(idOf(cookie)).toBe(login.json<{ id: string }>().id);
    const me = await client.get('/me', { headers: { cookie } });
    expect(me.json()).toEqual({ user: { name: 'ada' }, visits: 0 });
  });

  it('ignores a tampered cookie: the request is anonymous and answers normally', async () => {
    client = createTestClient(app());
    const cookie = sessionCookie(await client.post('/login', { json: { name: 'ada' } })) as string;
    const [name, value] = cookie.split('=') as [string, string];
    const flipped = value.slice(0, 5) + (value[5] === 'A' ? 'B' : 'A') + value.slice(6);
    for (const forged of [`${name}=${flipped}`, `${name}=${value}x`, `${name}=garbage`, `${name}=${value.split('.')[0]}`]) {
      const me = await client.get('/me', { headers: { cookie: forged } });
      expect(me.status).toBe(200);
      expect(me.json()).toEqual({ user: null, visits: 0 });
      expect((await client.get('/private', { headers: { cookie: forged } })).status).toBe(401);
    }
  });

  it('regenerate() at login gives a new id and the pre-login id stops working (session fixation)', async () => {
    client = createTestClient(app());
    const visit = await client.post('/visit');
    const before = sessionCookie(visit) as string;
    expect((await client.get('/me', { headers: { cookie: before } })).json()).toEqual({ user: null, visits: 1 });
    const login = await client.post('/login', { json: { name: 'ada' }, headers: { cookie: before } });
    const after = sessionCookie(login) as string;
    expect(idOf(after)).not.toBe(idOf(before));
    expect((await client.get('/me', { headers: { cookie: after } })).json()).toEqual({ user: { name: 'ada' }, visits: 1 });
    expect((await client.get('/me', { headers: { cookie: before } })).json()).toEqual({ user: null, visits: 0 });
  });

  it('does not set a cookie for a visitor whose session was never written', async () => {
    client = createTestClient(app());
    const me = await client.get('/me');
    expect(me.headers['set-cookie']).toBeUndefined();
    const missing = await client.get('/nowhere', { headers: { cookie: 'serv_session=forged' } });
    expect(missing.status).toBe(404);
    expect(missing.headers['set-cookie']).toBeUndefined();
  });

  it('destroy() clears the cookie and ends the session on the server', async () => {
    client = createTestClient(app());
    const cookie = sessionCookie(await client.post('/login', { json: { name: 'ada' } })) as string;
    const logout = await client.post('/logout', { headers: { cookie } });
    expect(sessionCookieLine(logout)).toMatch(/^serv_session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=\/; HttpOnly; SameSite=Lax$/);
    expect((await client.get('/private', { headers: { cookie } })).status).toBe(401);
  });
});

describe('CSRF for cookie sessions', () => {
  let client: TestClient;
  afterEach(async () => {
    await client.close();
  });

  it('refuses an unsafe request from another origin with 403 and accepts the same origin', async () => {
    client = createTestClient(app());
    const host = new URL(await client.baseUrl()).host;
    const foreign = await client.post('/visit', { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.text()).toContain('Cross-origin POST from https://evil.example refused');
    expect((await client.post('/visit', { headers: { origin: `http://${host}` } })).status).toBe(200);
    expect((await client.post('/visit', { headers: { 'sec-fetch-site': 'cross-site', origin: `http://${host}` } })).status).toBe(403);
    expect((await client.post('/visit', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await client.post('/visit')).status).toBe(200);
    expect((await client.get('/me', { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});
