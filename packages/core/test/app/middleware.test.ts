import {
  createApp, createTestClient, Get, HttpError, JsonResponse, Logger, NotFoundError, Route, TextResponse, UnauthorizedError,
  type HttpMiddleware, type LogSink, type TestClient,
} from '@serv/core';

class TeapotError extends HttpError {
  constructor(message = 'short and stout') {
    super(418, message);
  }
}
class FancyTeapotError extends TeapotError {}

const trace: string[] = [];

const record =
  (name: string): HttpMiddleware =>
  async (ctx, next) => {
    trace.push(`${name} in`);
    await next();
    trace.push(`${name} out ${ctx.response?.status}`);
  };

@Route('/hello')
class HelloRoute {
  @Get() get() {
    trace.push('handler');
    return 'hello';
  }
}

@Route('/guarded', { middleware: [record('route')] })
class GuardedRoute {
  @Get() get() {
    trace.push('handler');
    return 'guarded';
  }
}

@Route('/fail')
class FailRoute {
  @Get() get(): string {
    trace.push('handler');
    throw new Error('handler broke');
  }
  @Get('/teapot') teapot(): string {
    throw new FancyTeapotError('fancy');
  }
  @Get('/null') throwsNull(): string {
    throw null;
  }
  @Get('/string') throwsString(): string {
    throw 'a string';
  }
  @Get('/async') async rejects(): Promise<string> {
    await Promise.resolve();
    throw new Error('async broke');
  }
}

describe('middleware', () => {
  let client: TestClient;
  let logged: string[];
  const sink: LogSink = (level, line) => logged.push(`${level} ${line.replace(/^\S+ \S+\s+/, '')}`);

  const start = (middleware: HttpMiddleware[], setup?: (app: ReturnType<typeof createApp>) => void): TestClient => {
    const app = createApp({ routes: [HelloRoute, GuardedRoute, FailRoute], middleware, logger: new Logger('test', 'info', sink) });
    setup?.(app);
    client = createTestClient(app);
    return client;
  };

  beforeEach(() => {
    trace.length = 0;
    logged = [];
  });

  afterEach(() => client.close());

  it('runs app-wide middleware in on the way in and out in reverse, around the handler', async () => {
    start([record('outer'), record('inner')]);
    expect((await client.get('/hello')).text()).toBe('hello');
    expect(trace).toEqual(['outer in', 'inner in', 'handler', 'inner out 200', 'outer out 200']);
  });

  it('runs @Route(path, { middleware }) inside the app middleware, for that route only', async () => {
    start([record('app')]);
    expect((await client.get('/guarded')).text()).toBe('guarded');
    expect(trace).toEqual(['app in', 'route in', 'handler', 'route out 200', 'app out 200']);
    trace.length = 0;
    await client.get('/hello');
    expect(trace).toEqual(['app in', 'handler', 'app out 200']);
  });

  it('short-circuits when a middleware sets ctx.response without calling next()', async () => {
    const auth: HttpMiddleware = async (ctx, next) => {
      if (ctx.header('authorization') !== 'Bearer ok') {
        ctx.response = new JsonResponse({ error: 'login first' }, { status: 401 });
        return;
      }
      await next();
    };
    start([record('outer'), auth]);
    const denied = await client.get('/hello');
    expect(denied.status).toBe(401);
    expect(denied.json()).toEqual({ error: 'login first' });
    expect(trace).toEqual(['outer in', 'outer out 401']);
    expect((await client.get('/hello', { headers: { authorization: 'Bearer ok' } })).text()).toBe('hello');
  });

  it("lets a middleware catch the handler's error at await next() and replace the response", async () => {
    const rescue: HttpMiddleware = async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        ctx.response = new TextResponse(`rescued: ${(err as Error).message}`, { status: 503 });
      }
    };
    start([record('outer'), rescue]);
    const res = await client.get('/fail');
    expect(res.status).toBe(503);
    expect(res.text()).toBe('rescued: handler broke');
    expect(trace).toEqual(['outer in', 'handler', 'outer out 503']);
    expect((await client.get('/fail/async')).text()).toBe('rescued: async broke');
  });

  it('lets a middleware see and replace a 404 for an unknown path', async () => {
    start([
      async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          ctx.response = new TextResponse(`nothing at ${ctx.path}`, { status: 404 });
        }
      },
    ]);
    const res = await client.get('/missing/page/');
    expect(res.status).toBe(404);
    expect(res.text()).toBe('nothing at /missing/page');
  });

  it('sends an error thrown by a middleware to the error handling, before the handler runs', async () => {
    start([
      () => {
        throw new UnauthorizedError('token expired');
      },
    ]);
    const res = await client.get('/hello', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: { status: 401, message: 'token expired' } });
    expect(trace).toEqual([]);
  });

  it('answers 500 when a middleware neither calls next() nor sets a response', async () => {
    start([async () => undefined]);
    const res = await client.get('/hello');
    expect(res.status).toBe(500);
    expect(res.text()).toBe('500 Internal Server Error: Internal Server Error');
    expect(logged[0].split('\n').slice(0, 2)).toEqual([
      'error [test] GET /hello failed',
      'ServError: GET /hello: the middleware finished without calling next() or setting ctx.response',
    ]);
  });

  it('rejects next() called twice in one middleware', async () => {
    start([
      async (_ctx, next) => {
        await next();
        await next();
      },
    ]);
    const res = await client.get('/hello');
    expect(res.status).toBe(500);
    expect(logged[0]).toMatch(/^error \[test\] GET \/hello failed\nError: next\(\) called more than once in one middleware\n/);
  });
});

describe('error handlers', () => {
  let client: TestClient;
  afterEach(() => client.close());

  const start = (setup: (app: ReturnType<typeof createApp>) => void): TestClient => {
    const app = createApp({ routes: [FailRoute, HelloRoute], logger: new Logger('test', 'silent') });
    setup(app);
    client = createTestClient(app);
    return client;
  };

  it('answers an error type and its subclasses with app.addErrorHandler(Type, fn)', async () => {
    start((app) =>
      app.addErrorHandler(TeapotError, (err, ctx) => new JsonResponse({ teapot: err.message, path: ctx.path }, { status: err.status })),
    );
    const res = await client.get('/fail/teapot');
    expect(res.status).toBe(418);
    expect(res.json()).toEqual({ teapot: 'fancy', path: '/fail/teapot' });
  });

  it('prefers the handler of the most specific class, whatever the registration order', async () => {
    start((app) =>
      app
        .addErrorHandler(FancyTeapotError, () => 'fancy handler')
        .addErrorHandler(TeapotError, () => 'teapot handler')
        .addErrorHandler(Error, () => 'error handler'),
    );
    expect((await client.get('/fail/teapot')).text()).toBe('fancy handler');
    expect((await client.get('/fail')).text()).toBe('error handler');
  });

  it('lets the latest handler for the same type win', async () => {
    start((app) => app.addErrorHandler(Error, () => 'first').addErrorHandler(Error, () => 'second'));
    expect((await client.get('/fail')).text()).toBe('second');
  });

  it('routes 404 and 405 through error handlers too', async () => {
    start((app) => app.addErrorHandler(HttpError, (err) => new TextResponse(`custom ${err.status}`, { status: err.status, headers: err.headers })));
    expect((await client.get('/nowhere')).text()).toBe('custom 404');
    const res = await client.post('/hello');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.text()).toBe('custom 405');
  });

  it('falls back to the default answer for the error a handler throws', async () => {
    start((app) =>
      app.addErrorHandler(TeapotError, () => {
        throw new UnauthorizedError('handler refused');
      }),
    );
    const res = await client.get('/fail/teapot', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: { status: 401, message: 'handler refused' } });
  });

  it('keeps serving after handlers throw null, a string or an Error', async () => {
    start(() => undefined);
    for (const path of ['/fail/null', '/fail/string', '/fail', '/fail/async']) {
      const res = await client.get(path);
      expect([path, res.status, res.text()]).toEqual([path, 500, '500 Internal Server Error: Internal Server Error']);
    }
    expect((await client.get('/hello')).text()).toBe('hello');
  });
});
