import {
  createApp, createTestClient, Delete, Get, Head, Logger, Options, Param, Patch, Post, Put, Query, Route, RouteDefinitionError, RequestContext, Response,
  type App, type Constructor, type TestClient,
} from '@serv/core';

const silent = (): Logger => new Logger('test', 'silent');

@Route('/users/{id}')
class UserRoute {
  @Get() get(@Param('id') id: string) {
    return `user ${id}`;
  }
}

@Route('/users/me')
class MeRoute {
  @Get() get() {
    return 'me';
  }
  @Post() post() {
    return 'posted me';
  }
}

@Route('/docs/{rest:path}')
class DocsCatchAll {
  @Get() get(@Param('rest') rest: string) {
    return `catch-all ${rest}`;
  }
}

@Route('/docs/{page}')
class DocsPage {
  @Get() get(@Param('page') page: string) {
    return `page ${page}`;
  }
}

@Route('/things')
class ThingsRoute {
  @Get() list() {
    return 'list';
  }
  @Post() create() {
    return 'create';
  }
  @Put('/{id:int}') replace(@Param('id') id: number) {
    return `put ${id}`;
  }
  @Patch('/{id:int}') update(@Param('id') id: number) {
    return `patch ${id}`;
  }
  @Delete('/{id:int}') remove(@Param('id') id: number) {
    return `delete ${id}`;
  }
  @Options() options() {
    return new Response(null, { status: 204, headers: { allow: 'GET, POST, OPTIONS' } });
  }
  @Get('/{id:int}') @Head('/{id:int}') one(@Param('id') id: number) {
    return `one ${id}`;
  }
}

@Route('/probe')
class ProbeRoute {
  @Get() get() {
    return 'full body';
  }
  @Head() head() {
    return new Response(null, { headers: { 'x-probe': 'head handler' } });
  }
}

@Route('/search')
class SearchRoute {
  @Get() get(
    @Query() all: Record<string, string>,
    @Query('page') page?: number,
    @Query('exact') exact?: boolean,
    @Query('limit') limit: number | undefined = undefined,
  ) {
    return { all, page: page ?? null, exact: exact ?? null, limit: limit ?? null, limitType: typeof limit };
  }
}

describe('routing', () => {
  let client: TestClient;
  const start = (...routes: Constructor[]): TestClient => (client = createTestClient(createApp({ routes, logger: silent() })));
  afterEach(() => client?.close());

  it('prefers a static path over a dynamic one, whatever the registration order', async () => {
    start(UserRoute, MeRoute);
    expect((await client.get('/users/me')).text()).toBe('me');
    expect((await client.get('/users/ada')).text()).toBe('user ada');
  });

  it('falls through to a dynamic route when the static path lacks the method', async () => {
    start(MeRoute, UserRoute);
    expect((await client.get('/users/me')).text()).toBe('me');
    const res = await client.delete('/users/me');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });

  it('tries dynamic routes in registration order', async () => {
    start(DocsCatchAll, DocsPage);
    expect((await client.get('/docs/intro')).text()).toBe('catch-all intro');
    await client.close();
    start(DocsPage, DocsCatchAll);
    expect((await client.get('/docs/intro')).text()).toBe('page intro');
    expect((await client.get('/docs/guide/intro')).text()).toBe('catch-all guide/intro');
  });

  it('routes every method decorator, with sub-paths joined to the class path', async () => {
    start(ThingsRoute);
    expect((await client.get('/things')).text()).toBe('list');
    expect((await client.post('/things/')).text()).toBe('create');
    expect((await client.put('/things/3')).text()).toBe('put 3');
    expect((await client.patch('/things/3')).text()).toBe('patch 3');
    expect((await client.delete('/things/3')).text()).toBe('delete 3');
    expect((await client.get('/things/3')).text()).toBe('one 3');
    const options = await client.options('/things');
    expect([options.status, options.headers.allow]).toEqual([204, 'GET, POST, OPTIONS']);
  });

  it('lists every method of a path in Allow, in a fixed order', async () => {
    start(ThingsRoute);
    const res = await client.post('/things/3');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, PUT, PATCH, DELETE');
    expect((await client.delete('/things')).headers.allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('answers HEAD from the GET handler without a body, unless a @Head() handler exists', async () => {
    start(ProbeRoute, UserRoute);
    const implicit = await client.head('/users/ada');
    expect([implicit.status, implicit.headers['content-length'], implicit.body.length]).toEqual([200, '8', 0]);
    const explicit = await client.head('/probe');
    expect([explicit.status, explicit.headers['x-probe'], explicit.body.length]).toEqual([200, 'head handler', 0]);
  });

  it('ignores trailing slashes', async () => {
    start(MeRoute);
    expect((await client.get('/users/me/')).text()).toBe('me');
    expect((await client.get('/users/me//')).text()).toBe('me');
  });

  it('coerces ?page=3 for `page?: number` and ?exact for `exact?: boolean`, but not `number | undefined`', async () => {
    start(SearchRoute);
    const res = await client.get('/search?page=3&exact=false&limit=10&q=lamp');
    expect(res.json()).toEqual({
      all: { page: '3', exact: 'false', limit: '10', q: 'lamp' },
      page: 3,
      exact: false,
      limit: '10',
      limitType: 'string',
    });
    expect((await client.get('/search?exact')).json()).toEqual(expect.objectContaining({ exact: true, page: null }));
    const bad = await client.get('/search?exact=maybe');
    expect([bad.status, bad.text()]).toEqual([400, '400 Bad Request: Query parameter "exact" must be true or false, got "maybe"']);
  });
});

describe('routes registered by code', () => {
  let app: App;
  let client: TestClient;
  beforeEach(() => {
    app = createApp({ logger: silent() });
    client = createTestClient(app);
  });
  afterEach(() => client.close());

  it('serves a plain function with app.addRoute, under a mount, for the methods given', async () => {
    app.addRoute({
      path: '/ping/{n:int}',
      mount: '/api/',
      methods: ['GET', 'POST'],
      settings: { pong: true },
      handler: (ctx: RequestContext) => ({ n: ctx.params.n, method: ctx.method, settings: ctx.settings }),
    });
    expect((await client.post('/api/ping/4')).json()).toEqual({ n: 4, method: 'POST', settings: { pong: true } });
    expect((await client.put('/api/ping/4')).headers.allow).toBe('GET, HEAD, POST');
  });

  it('routes a class by code at another path, limited to some of its methods', async () => {
    app.addRoute({ path: '/elsewhere', methods: ['POST'], handler: MeRoute });
    expect((await client.post('/elsewhere')).text()).toBe('posted me');
    expect((await client.get('/elsewhere')).status).toBe(405);
    expect((await client.get('/users/me')).status).toBe(404);
  });
});

describe('route definition errors', () => {
  it('rejects a methods list naming a method the class does not handle', () => {
    expect(() => createApp().addRoute({ path: '/x', methods: ['PUT'], handler: MeRoute, source: 'extension.yaml routers[0].routes[0]' })).toThrow(
      new RouteDefinitionError('extension.yaml routers[0].routes[0]: methods lists PUT but MeRoute has no @Put() method'),
    );
  });

  it('rejects a class with no method decorators', () => {
    @Route('/idle')
    class IdleRoute {}
    expect(() => createApp({ routes: [IdleRoute] })).toThrow(/^@Route on IdleRoute \(.*\): IdleRoute has no @Get\(\), @Post\(\), … methods, so it answers nothing; add one$/);
  });

  it('rejects a class without a path from @Route or the declaration', () => {
    class Pathless {
      @Get() get() {
        return 'x';
      }
    }
    expect(() => createApp({ routes: [Pathless] })).toThrow(
      "@Route on Pathless: Pathless has no path; write @Route('/path') or give the YAML route a path",
    );
  });

  it('rejects a function route without a path', () => {
    expect(() => createApp().addRoute({ handler: function status() { return 'ok'; } })).toThrow('function status: a function handler needs a path');
  });

  it('rejects bad decorator arguments when the class is declared', () => {
    expect(() => Route('/users/{id')(class Broken {})).toThrow('@Route() on Broken: path "/users/{id" has an unbalanced "{" or "}"');
    expect(() => Param('')).toThrow('@Param() needs a non-empty name, got ""');
    class Target {
      constructor(readonly id: string) {}
      static make(): void {}
      run(): void {}
    }
    expect(() => Param('id')(Target, undefined, 0)).toThrow(
      '@Param() on parameter #0 of Target.constructor: request values can only be injected into handler methods, not constructors or static methods',
    );
    const run = Object.getOwnPropertyDescriptor(Target.prototype, 'run') as PropertyDescriptor;
    expect(() => Get('/{bad:type}')(Target.prototype, 'run', run)).toThrow(
      '@Get() on Target.run: path "/{bad:type}" has an unknown parameter type "type" in "{bad:type}" (use {name}, {name:int} or {name:path})',
    );
    const make = Object.getOwnPropertyDescriptor(Target, 'make') as PropertyDescriptor;
    expect(() => Get()(Target, 'make', make)).toThrow('@Get() on Target.make: it must decorate an instance method, not a static one');
  });
});
