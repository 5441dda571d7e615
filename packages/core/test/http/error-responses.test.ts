import {
  BadRequestError, createApp, createTestClient, ForbiddenError, Get, HttpError, InternalServerError, Logger, MethodNotAllowedError,
  NotFoundError, Param, PayloadTooLargeError, Route, UnauthorizedError, type TestClient,
} from '@serv/core';

const thrown: Record<string, () => Error> = {
  unauthorized: () => new UnauthorizedError('token expired', { headers: { 'WWW-Authenticate': 'Bearer' } }),
  forbidden: () => new ForbiddenError(),
  teapot: () => new HttpError(418),
  hidden: () => new HttpError(409, 'internal detail', { expose: false }),
  internal: () => new InternalServerError('database down'),
  exposed: () => new HttpError(503, 'maintenance until 10:00', { expose: true }),
  plain: () => new TypeError('undefined is not a function'),
  markup: () => new BadRequestError(`<b>"bold" & 'brave'</b>`),
};

@Route('/throw/{kind}')
class ThrowRoute {
  @Get() get(@Param('kind') kind: string): string {
    throw thrown[kind]();
  }
}

describe('HttpError family', () => {
  it.each([
    [new BadRequestError(), 400, 'Bad Request'],
    [new UnauthorizedError(), 401, 'Unauthorized'],
    [new ForbiddenError(), 403, 'Forbidden'],
    [new NotFoundError(), 404, 'Not Found'],
    [new MethodNotAllowedError('PUT', '/x', ['GET', 'HEAD']), 405, 'Method PUT not allowed for /x'],
    [new PayloadTooLargeError(10), 413, 'Request body exceeds the limit of 10 bytes (setting max_body_bytes)'],
    [new InternalServerError(), 500, 'Internal Server Error'],
    [new HttpError(429), 429, 'Too Many Requests'],
    [new HttpError(599), 599, 'HTTP 599'],
  ])('%s has status %i and message %j', (err, status, message) => {
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toBeInstanceOf(Error);
    expect([err.status, err.message, err.name]).toEqual([status, message, err.constructor.name]);
  });

  it('exposes messages below 500 and hides them from 500 up unless told otherwise', () => {
    expect([new HttpError(404).expose, new HttpError(500).expose, new HttpError(503, 'x', { expose: true }).expose]).toEqual([true, false, true]);
    expect(new MethodNotAllowedError('PUT', '/x', ['GET', 'HEAD']).headers).toEqual({ allow: 'GET, HEAD' });
  });
});

describe('default error responses', () => {
  let client: TestClient;
  const start = (debug: boolean): TestClient =>
    (client = createTestClient(createApp({ routes: [ThrowRoute], settings: { debug }, logger: new Logger('test', 'silent') })));
  afterEach(() => client.close());

  it.each([
    [undefined, 'text'],
    ['*/*', 'text'],
    ['text/plain', 'text'],
    ['application/json', 'json'],
    ['application/*', 'json'],
    ['application/problem+json, application/json', 'json'],
    ['text/html', 'html'],
    ['text/*', 'html'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'],
    ['application/json;q=0.5, text/html;q=0.9', 'html'],
    ['*/*;q=0.1, application/json', 'json'],
    ['application/json;q=0', 'text'],
    ['image/png', 'text'],
  ])('answers Accept %j with %s', async (accept, format) => {
    start(false);
    const res = await client.get('/throw/forbidden', accept === undefined ? {} : { headers: { accept } });
    const types: Record<string, string> = {
      text: 'text/plain; charset=utf-8',
      json: 'application/json; charset=utf-8',
      html: 'text/html; charset=utf-8',
    };
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe(types[format]);
  });

  it('renders the exact text, JSON and HTML bodies', async () => {
    start(false);
    expect((await client.get('/throw/forbidden')).text()).toBe('403 Forbidden: Forbidden');
    expect((await client.get('/throw/forbidden', { headers: { accept: 'application/json' } })).text()).toBe(
      '{"error":{"status":403,"message":"Forbidden"}}',
    );
    expect((await client.get('/throw/forbidden', { headers: { accept: 'text/html' } })).text()).toBe(
      '<!doctype html><html><head><meta charset="utf-8"><title>403 Forbidden</title></head>' +
        '<body><h1>403 Forbidden</h1><p>Forbidden</p></body></html>',
    );
  });

  it("sends the error's own headers, such as WWW-Authenticate", async () => {
    start(false);
    const res = await client.get('/throw/unauthorized');
    expect([res.status, res.headers['www-authenticate'], res.text()]).toEqual([401, 'Bearer', '401 Unauthorized: token expired']);
  });

  it('uses the status text for HttpError(status) without a message', async () => {
    start(false);
    expect((await client.get('/throw/teapot')).text()).toBe("418 I'm a Teapot: I'm a Teapot");
  });

  it('hides 5xx messages, unexposed messages and non-HTTP errors outside debug mode', async () => {
    start(false);
    const json = { headers: { accept: 'application/json' } };
    expect((await client.get('/throw/internal', json)).json()).toEqual({ error: { status: 500, message: 'Internal Server Error' } });
    expect((await client.get('/throw/plain', json)).json()).toEqual({ error: { status: 500, message: 'Internal Server Error' } });
    expect((await client.get('/throw/hidden', json)).json()).toEqual({ error: { status: 409, message: 'Conflict' } });
    expect((await client.get('/throw/exposed', json)).json()).toEqual({ error: { status: 503, message: 'maintenance until 10:00' } });
  });

  it('shows messages and, for 5xx, stack traces in debug mode', async () => {
    start(true);
    const json = { headers: { accept: 'application/json' } };
    const internal = (await client.get('/throw/internal', json)).json<{ error: { status: number; message: string; stack: string } }>();
    expect(internal.error.status).toBe(500);
    expect(internal.error.message).toBe('database down');
    expect(internal.error.stack).toMatch(/^InternalServerError: database down\n {4}at /);
    const plain = await client.get('/throw/plain');
    expect(plain.text()).toMatch(/^500 Internal Server Error: undefined is not a function\n\nTypeError: undefined is not a function\n {4}at /);
    const html = (await client.get('/throw/plain', { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('<p>undefined is not a function</p><pre>TypeError: undefined is not a function\n    at ');
    expect((await client.get('/throw/hidden', json)).json()).toEqual({ error: { status: 409, message: 'internal detail' } });
  });

  it('escapes HTML in error pages', async () => {
    start(false);
    const res = await client.get('/throw/markup', { headers: { accept: 'text/html' } });
    expect(res.text()).toContain('<p>&lt;b&gt;&quot;bold&quot; &amp; &#39;brave&#39;&lt;/b&gt;</p>');
  });
});
