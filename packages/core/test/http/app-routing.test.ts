import {
  Body, Cookie, createApp, createTestClient, Get, Header, HtmlResponse, JsonResponse, Param, Post, Query, Route, Settings,
  type TestClient, Delete, Inject, RequestContext, Injectable, Logger,
} from '@serv/core';

@Injectable()
class UserService {
  readonly created = Date.now();
  find(id: number): { id: number; name: string } {
    return { id, name: `user-${id}` };
  }
}

@Route('/users/{id:int}')
class UserRoute {
  constructor(private readonly users: UserService) {}

  @Get() get(@Param('id') id: number) {
    return this.users.find(id);
  }

  @Delete() remove(@Param('id') id: number) {
    return new JsonResponse({ deleted: id }, { status: 202 });
  }
}

@Route('/files')
class FileRoute {
  @Get('/{rest:path}') get(@Param('rest') rest: string) {
    return `path=${rest}`;
  }
}

@Route('/api/v{version:int}/items/{name}')
class ItemRoute {
  @Get() get(@Param('version') version: number, @Param('name') name: string, @Query('page') page?: number) {
    return { version, name, page: page ?? null, types: [typeof version, typeof name] };
  }
}

@Route('/echo')
class EchoRoute {
  @Post() post(@Body() body: unknown, @Header('x-trace') trace: string | undefined, @Cookie('session') session: string | undefined) {
    return { body, trace: trace ?? null, session: session ?? null };
  }

  @Get() page(@Inject() ctx: RequestContext, @Settings() settings: Record<string, unknown>) {
    return new HtmlResponse(`<p>${ctx.path} ${JSON.stringify(settings)}</p>`).setCookie('seen', 'yes');
  }
}

@Route('/boom')
class BoomRoute {
  @Get() get(): string {
    throw new Error('kaboom');
  }
}

@Route('/shared')
class SharedRoute {
  constructor(readonly users: UserService) {}
  @Get() get() {
    return { created: this.users.created };
  }
}

describe('HTTP routing through a real socket', () => {
  let client: TestClient;

  beforeEach(() => {
    const app = createApp({
      routes: [UserRoute, FileRoute, ItemRoute, EchoRoute, BoomRoute],
      settings: { maxBodyBytes: 64 },
      logger: new Logger('test', 'silent'),
    });
    client = createTestClient(app);
  });

  afterEach(() => client.close());

  it('injects a constructor service and converts {id:int} to a number', async () => {
    const res = await client.get('/users/42');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ id: 42, name: 'user-42' });
  });

  it('ignores a trailing slash', async () => {
    expect((await client.get('/users/7/')).json()).toEqual({ id: 7, name: 'user-7' });
  });

  it('matches {name:path} across segments', async () => {
    expect((await client.get('/files/a/b/c.txt')).text()).toBe('path=a/b/c.txt');
  });

  it('matches parameters inside a segment and coerces a numeric query', async () => {
    const res = await client.get('/api/v2/items/lamp?page=3');
    expect(res.json()).toEqual({ version: 2, name: 'lamp', page: 3, types: ['number', 'string'] });
  });

  it('answers 400 when a numeric query value is not a number', async () => {
    const res = await client.get('/api/v2/items/lamp?page=abc', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: { status: 400, message: 'Query parameter "page" must be a number, got "abc"' } });
  });

  it('answers 404 for an unknown path, naming it', async () => {
    const res = await client.get('/nope');
    expect(res.status).toBe(404);
    expect(res.text()).toBe('404 Not Found: No route found for GET /nope');
  });

  it('does not match {id:int} with letters', async () => {
    expect((await client.get('/users/abc')).status).toBe(404);
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const res = await client.put('/users/1');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, DELETE');
    expect(res.text()).toBe('405 Method Not Allowed: Method PUT not allowed for /users/1');
  });

  it('answers HEAD for GET routes without a body', async () => {
    const res = await client.head('/users/5');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(JSON.stringify({ id: 5, name: 'user-5' }).length));
    expect(res.body.length).toBe(0);
  });

  it('returns a Response subclass with its status', async () => {
    const res = await client.delete('/users/9');
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ deleted: 9 });
  });

  it('parses JSON, urlencoded and text bodies and injects headers and cookies', async () => {
    const json = await client.post('/echo', { json: { a: 1 }, headers: { 'x-trace': 't1', cookie: 'session=s%201; other=x' } });
    expect(json.json()).toEqual({ body: { a: 1 }, trace: 't1', session: 's 1' });
    const form = await client.post('/echo', { form: { a: 'b' } });
    expect(form.json()).toEqual({ body: { a: 'b' }, trace: null, session: null });
    const text = await client.post('/echo', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.json()).toEqual({ body: 'hello', trace: null, session: null });
  });

  it('answers 413 when the body exceeds max_body_bytes', async () => {
    const res = await client.post('/echo', { body: 'x'.repeat(65), headers: { 'content-type': 'text/plain', accept: 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ error: { status: 413, message: 'Request body exceeds the limit of 64 bytes (setting max_body_bytes)' } });
  });

  it('answers 400 naming the problem for malformed JSON', async () => {
    const res = await client.post('/echo', { body: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.text()).toMatch(/^400 Bad Request: Invalid JSON body: /);
  });

  it('sets cookies and injects the request context', async () => {
    const res = await client.get('/echo');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text()).toBe('<p>/echo {}</p>');
    expect(res.headers['set-cookie']).toEqual(['seen=yes; Path=/; HttpOnly']);
  });

  it('negotiates the error format on Accept and hides 500 details outside debug', async () => {
    const html = await client.get('/boom', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(html.status).toBe(500);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text()).toContain('<h1>500 Internal Server Error</h1>');
    expect(html.text()).not.toContain('kaboom');
    const json = await client.get('/boom', { headers: { accept: 'application/json' } });
    expect(json.json()).toEqual({ error: { status: 500, message: 'Internal Server Error' } });
    const text = await client.get('/boom');
    expect(text.text()).toBe('500 Internal Server Error: Internal Server Error');
    expect((await client.get('/users/1')).status).toBe(200);
  });
});

describe('debug mode errors', () => {
  it('shows the message and the stack trace', async () => {
    const client = createTestClient(createApp({ routes: [BoomRoute], settings: { debug: true }, logger: undefined }));
    client.app.logger.level = 'silent';
    try {
      const res = await client.get('/boom', { headers: { accept: 'application/json' } });
      const body = res.json<{ error: { message: string; stack: string } }>();
      expect(body.error.message).toBe('kaboom');
      expect(body.error.stack).toContain('Error: kaboom');
    } finally {
      await client.close();
    }
  });
});

describe('app isolation', () => {
  it('gives each app its own singletons', async () => {
    // Request lines would go to the test output: these apps only need to answer.
    const quiet = { logLevel: 'warn' } as const;
    const a = createTestClient(createApp({ routes: [SharedRoute, UserRoute], settings: quiet }));
    const b = createTestClient(createApp({ routes: [SharedRoute], settings: quiet }));
    try {
      expect((await a.get('/shared')).status).toBe(200);
      expect((await b.get('/shared')).status).toBe(200);
      const sa = a.app.container.resolve(UserService);
      const sb = b.app.container.resolve(UserService);
      expect(sa).not.toBe(sb);
      expect(a.app.container.resolve(UserService)).toBe(sa);
      expect((await b.get('/users/1')).status).toBe(404);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
