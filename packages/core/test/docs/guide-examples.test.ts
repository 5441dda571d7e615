import {
  Body, createApp, createTestClient, Delete, ForbiddenError, Get, HtmlResponse, HttpError, JsonResponse, Logger, NotFoundError, Param, Post,
  Route, TextResponse, type HttpMiddleware, type TestClient,
} from '@serv/core';

// docs/routing.md, "Route classes".
@Route('/users')
class UsersRoute {
  @Get() list() {
    return [{ id: 1 }];
  }
  @Post() create(@Body() input: { name: string }) {
    return { id: 2, ...input };
  }
  @Get('/{id:int}') one(@Param('id') id: number) {
    return { id };
  }
  @Delete('/{id:int}') remove(@Param('id') id: number) {
    void id;
    return undefined;
  }
}

// docs/errors.md, "HttpError".
const users = new Map([
  [1, { id: 1, active: true, locked: false }],
  [2, { id: 2, active: false, locked: false }],
  [3, { id: 3, active: true, locked: true }],
]);
@Route('/accounts/{id:int}')
class AccountRoute {
  @Get() get(@Param('id') id: number) {
    const user = users.get(id);
    if (user === undefined) throw new NotFoundError(`No user ${id}`);
    if (!user.active) throw new ForbiddenError();
    if (user.locked) throw new HttpError(423, 'Account locked', { headers: { 'retry-after': '60' } });
    return user;
  }
}

// docs/middleware-and-events.md.
const timing: HttpMiddleware = async (ctx, next) => {
  const started = performance.now();
  await next();
  ctx.response?.setHeader('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
};
const TOKEN = 'secret';
const requireToken: HttpMiddleware = async (ctx, next) => {
  if (ctx.header('authorization') !== `Bearer ${TOKEN}`) {
    ctx.response = new JsonResponse({ error: 'login first' }, { status: 401 });
    return;
  }
  await next();
};
const NOT_FOUND_PAGE = '<h1>Nothing here</h1>';
const rescue: HttpMiddleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    ctx.response = new HtmlResponse(NOT_FOUND_PAGE, { status: 404 });
  }
};

describe('examples in the guides', () => {
  let client: TestClient;
  afterEach(() => client.close());

  it('routing.md: the UsersRoute class answers as commented', async () => {
    client = createTestClient(createApp({ routes: [UsersRoute], logger: new Logger('test', 'silent') }));
    expect((await client.get('/users')).json()).toEqual([{ id: 1 }]);
    expect((await client.post('/users', { json: { name: 'ada' } })).json()).toEqual({ id: 2, name: 'ada' });
    expect((await client.get('/users/7')).json()).toEqual({ id: 7 });
    expect((await client.delete('/users/7')).status).toBe(204);
  });

  it('errors.md: HttpError subclasses and a custom status with headers', async () => {
    client = createTestClient(createApp({ routes: [AccountRoute], logger: new Logger('test', 'silent') }));
    expect((await client.get('/accounts/1')).json()).toEqual({ id: 1, active: true, locked: false });
    expect((await client.get('/accounts/9')).text()).toBe('404 Not Found: No user 9');
    expect((await client.get('/accounts/2')).text()).toBe('403 Forbidden: Forbidden');
    const locked = await client.get('/accounts/3');
    expect([locked.status, locked.headers['retry-after'], locked.text()]).toEqual([423, '60', '423 Locked: Account locked']);
  });

  it('errors.md: an HttpError handler answers every HTTP error', async () => {
    const app = createApp({ routes: [AccountRoute], logger: new Logger('test', 'silent') });
    app.addErrorHandler(HttpError, (err) => new TextResponse(`custom ${err.status}`, { status: err.status, headers: err.headers }));
    client = createTestClient(app);
    const res = await client.get('/accounts/3');
    expect([res.status, res.headers['retry-after'], res.text()]).toEqual([423, '60', 'custom 423']);
  });

  it('middleware-and-events.md: timing, requireToken and rescue', async () => {
    client = createTestClient(createApp({ routes: [UsersRoute], middleware: [timing, rescue, requireToken], logger: new Logger('test', 'silent') }));
    const denied = await client.get('/users');
    expect([denied.status, denied.text()]).toEqual([401, '{"error":"login first"}']);
    expect(denied.headers['server-timing']).toMatch(/^app;dur=\d+\.\d$/);
    const auth = { headers: { authorization: 'Bearer secret' } };
    expect((await client.get('/users', auth)).json()).toEqual([{ id: 1 }]);
    const missing = await client.get('/nowhere', auth);
    expect([missing.status, missing.headers['content-type'], missing.text()]).toEqual([404, 'text/html; charset=utf-8', NOT_FOUND_PAGE]);
  });
});
