import {
  createApp, createTestClient, ForbiddenError, Get, Inject, Logger, Post, Route, Session, UseGuards, type HandlerContext,
  type HttpMiddleware, type TestClient,
} from '@serv/core';
import { SECRET, sessionCookie, sessionCookieLine } from './helpers';

// A route with no middleware runs the session and its guards inside the dispatcher's synchronous path; with any
// middleware they run as pipeline stages. Both must behave the same: these tests run once per path.

const slowGuard = async (ctx: HandlerContext): Promise<boolean> => ctx.session.get('allowed') === true;

@Route('/')
class Routes {
  @Post('/login') async login(@Inject() session: Session) {
    await session.regenerate();
    session.user = { name: 'ada' };
    return 'ok';
  }

  @Get('/me') me(@Inject() session: Session) {
    return { user: session.user ?? null, n: session.get<number>('n') ?? 0 };
  }

  @Post('/count') count(@Inject() session: Session) {
    session.set('n', (session.get<number>('n') ?? 0) + 1);
    return { n: session.get('n') };
  }

  @Post('/count-later') async countLater(@Inject() session: Session) {
    await Promise.resolve();
    session.set('n', (session.get<number>('n') ?? 0) + 1);
    return { n: session.get('n') };
  }

  @Post('/count-then-fail') countThenFail(@Inject() session: Session): never {
    session.set('n', 1000);
    throw new ForbiddenError('no');
  }

  @Post('/allow') allow(@Inject() session: Session) {
    session.set('allowed', true);
    return 'ok';
  }

  @Get('/guarded') @UseGuards(slowGuard) guarded() {
    return 'in';
  }

  @Post('/logout') async logout(@Inject() session: Session) {
    await session.destroy();
    return 'bye';
  }
}

const passThrough: HttpMiddleware = (_ctx, next) => next();

describe.each([
  ['without middleware (synchronous path)', [] as HttpMiddleware[]],
  ['with app middleware (pipeline)', [passThrough]],
])('sessions and guards %s', (_name, middleware) => {
  let client: TestClient;
  beforeEach(() => {
    client = createTestClient(createApp({
      routes: [Routes], middleware, logger: new Logger('test', 'silent'), settings: { sessions: { secret: SECRET, store: 'memory' } },
    }));
  });
  afterEach(async () => {
    await client.close();
  });

  it('sets the cookie once, saves changes made by sync and async handlers, and no cookie when nothing changed', async () => {
    const login = await client.post('/login');
    const cookie = sessionCookie(login) as string;
    expect(sessionCookieLine(login)).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    const headers = { cookie };
    const count = await client.post('/count', { headers });
    expect(count.json()).toEqual({ n: 1 });
    expect(count.headers['set-cookie']).toBeUndefined();
    expect((await client.post('/count-later', { headers })).json()).toEqual({ n: 2 });
    const me = await client.get('/me', { headers });
    expect(me.json()).toEqual({ user: { name: 'ada' }, n: 2 });
    expect(me.headers['set-cookie']).toBeUndefined();
  });

  it('saves nothing when the handler fails after changing the session', async () => {
    const cookie = sessionCookie(await client.post('/login')) as string;
    expect((await client.post('/count-then-fail', { headers: { cookie } })).status).toBe(403);
    expect((await client.get('/me', { headers: { cookie } })).json()).toEqual({ user: { name: 'ada' }, n: 0 });
  });

  it('runs an asynchronous guard on the session before the handler', async () => {
    const cookie = sessionCookie(await client.post('/login')) as string;
    expect((await client.get('/guarded', { headers: { cookie } })).status).toBe(403);
    await client.post('/allow', { headers: { cookie } });
    const inside = await client.get('/guarded', { headers: { cookie } });
    expect([inside.status, inside.text()]).toEqual([200, 'in']);
  });

  it('gives a first-time visitor whose handler writes a cookie, and clears it at logout', async () => {
    const first = await client.post('/count');
    expect(first.json()).toEqual({ n: 1 });
    const cookie = sessionCookie(first) as string;
    expect(cookie).toMatch(/^serv_session=/);
    const bye = await client.post('/logout', { headers: { cookie } });
    expect(sessionCookieLine(bye)).toMatch(/^serv_session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
    expect((await client.get('/me', { headers: { cookie } })).json()).toEqual({ user: null, n: 0 });
  });

  it('refuses a cross-site unsafe request before reading the session', async () => {
    const cookie = sessionCookie(await client.post('/login')) as string;
    const refused = await client.post('/count', { headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(refused.status).toBe(403);
    expect((await client.get('/me', { headers: { cookie } })).json()).toEqual({ user: { name: 'ada' }, n: 0 });
  });
});
