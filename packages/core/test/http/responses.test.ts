import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  createApp, createTestClient, FileResponse, Get, HtmlResponse, JsonResponse, Logger, Param, RedirectResponse, Response, Route,
  StreamingResponse, TextResponse, type LogSink, type TestClient,
} from '@serv/core';

const FIXTURES = join(__dirname, '..', 'fixtures', 'http');

async function* countdown(): AsyncGenerator<string> {
  for (const n of ['3', '2', '1']) {
    await Promise.resolve();
    yield `${n}\n`;
  }
}

async function* brokenStream(): AsyncGenerator<string> {
  yield 'partial';
  await Promise.resolve();
  throw new Error('source failed');
}

@Route('/r')
class ResponsesRoute {
  @Get('/html') html() {
    return new HtmlResponse('<h1>Hi</h1>', { status: 201, headers: { 'X-Page': 'home' } });
  }
  @Get('/html-latin1') latin1() {
    return new HtmlResponse('<p>x</p>', { headers: { 'Content-Type': 'text/html; charset=latin1' } });
  }
  @Get('/json') json() {
    return new JsonResponse({ ok: true, list: [1, 2] }, { status: 201 });
  }
  @Get('/text') text() {
    return new TextResponse('pong');
  }
  @Get('/redirect') redirect() {
    return new RedirectResponse('/login?next=%2Fr');
  }
  @Get('/moved') moved() {
    return new RedirectResponse('https://example.test/new', 301);
  }
  @Get('/file/{name}') file(@Param('name') name: string) {
    return new FileResponse(join(FIXTURES, name));
  }
  @Get('/download') download() {
    return new FileResponse(join(FIXTURES, 'hello.txt'), { filename: 'greeting "v1".txt' });
  }
  @Get('/stream') stream() {
    return new StreamingResponse(countdown(), { contentType: 'text/plain; charset=utf-8' });
  }
  @Get('/readable') readable() {
    return new StreamingResponse(Readable.from([Buffer.from([1, 2]), Buffer.from([3])]));
  }
  @Get('/broken-stream') broken() {
    return new StreamingResponse(brokenStream());
  }
  @Get('/custom') custom() {
    return new Response('raw', { status: 202, headers: { 'content-type': 'application/x-custom' } }).setHeader('X-Extra', ['a', 'b']);
  }
  @Get('/cookies') cookies() {
    return new TextResponse('cookies')
      .setCookie('session', 'abc 1', { maxAgeSeconds: 3600, path: '/app', domain: 'example.test', secure: true, sameSite: 'Lax' })
      .setCookie('theme', 'dark', { httpOnly: false })
      .setCookie('until', 'x', { expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) })
      .deleteCookie('old')
      .deleteCookie('scoped', { path: '/app', domain: 'example.test' });
  }
  @Get('/bad-cookie') badCookie() {
    return new TextResponse('never').setCookie('bad name', 'x');
  }
}

@Route('/plain')
class PlainValuesRoute {
  @Get('/string') string() {
    return 'just text';
  }
  @Get('/object') object() {
    return { id: 1, tags: ['a'] };
  }
  @Get('/array') array() {
    return [1, 'two', null];
  }
  @Get('/number') number() {
    return 42;
  }
  @Get('/buffer') buffer() {
    return Buffer.from([0, 1, 254, 255]);
  }
  @Get('/undefined') nothing(): void {}
  @Get('/null') nil() {
    return null;
  }
  @Get('/async') async later() {
    await Promise.resolve();
    return { later: true };
  }
}

describe('responses', () => {
  let client: TestClient;
  let logged: string[];
  const sink: LogSink = (level, line) => logged.push(`${level} ${line}`);

  beforeEach(() => {
    logged = [];
    client = createTestClient(createApp({ routes: [ResponsesRoute, PlainValuesRoute], logger: new Logger('test', 'info', sink) }));
  });

  afterEach(() => client.close());

  it('sends HtmlResponse with its status, lower-cased headers and an HTML content type', async () => {
    const res = await client.get('/r/html');
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-page']).toBe('home');
    expect(res.headers['content-length']).toBe('11');
    expect(res.text()).toBe('<h1>Hi</h1>');
  });

  it('keeps a content type given in the init headers', async () => {
    expect((await client.get('/r/html-latin1')).headers['content-type']).toBe('text/html; charset=latin1');
  });

  it('sends JsonResponse and TextResponse with their content types', async () => {
    const json = await client.get('/r/json');
    expect(json.status).toBe(201);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.text()).toBe('{"ok":true,"list":[1,2]}');
    const text = await client.get('/r/text');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.text()).toBe('pong');
  });

  it('redirects with 302 by default, or the given status, and an empty body', async () => {
    const found = await client.get('/r/redirect');
    expect(found.status).toBe(302);
    expect(found.headers.location).toBe('/login?next=%2Fr');
    expect(found.headers['content-length']).toBe('0');
    expect(found.body.length).toBe(0);
    const moved = await client.get('/r/moved');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('https://example.test/new');
  });

  it('streams a file with its content type and length', async () => {
    const txt = await client.get('/r/file/hello.txt');
    expect(txt.status).toBe(200);
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.headers['content-length']).toBe('18');
    expect(txt.text()).toBe('hello from a file\n');
    expect((await client.get('/r/file/dot.svg')).headers['content-type']).toBe('image/svg+xml');
  });

  it('offers a file as a download under a sanitised filename', async () => {
    const res = await client.get('/r/download');
    expect(res.headers['content-disposition']).toBe('attachment; filename="greeting v1.txt"');
    expect(res.text()).toBe('hello from a file\n');
  });

  it('answers HEAD for a file with its headers and no body', async () => {
    const res = await client.head('/r/file/hello.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('18');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body.length).toBe(0);
  });

  it('answers 404 for a missing file, also to HEAD', async () => {
    const res = await client.get('/r/file/missing.txt');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text()).toBe('Not Found');
    const head = await client.head('/r/file/missing.txt');
    expect(head.status).toBe(404);
    expect(head.headers['content-length']).toBe('9');
    expect(head.body.length).toBe(0);
  });

  it('streams an async generator chunked', async () => {
    const res = await client.get('/r/stream');
    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text()).toBe('3\n2\n1\n');
  });

  it('streams a Readable as application/octet-stream by default', async () => {
    const res = await client.get('/r/readable');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect([...res.body]).toEqual([1, 2, 3]);
  });

  it('drops the connection when a stream fails after the headers went out, and keeps serving', async () => {
    await expect(client.get('/r/broken-stream')).rejects.toThrow('aborted');
    expect((await client.get('/r/text')).text()).toBe('pong');
    expect(logged[0]).toMatch(/^error .* ERROR \[test\] Writing the response to GET \/r\/broken-stream failed\nError: source failed\n/);
  });

  it('sends a base Response with any status and multi-value headers', async () => {
    const res = await client.get('/r/custom');
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/x-custom');
    expect(res.headers['x-extra']).toBe('a, b');
    expect(res.text()).toBe('raw');
  });

  it('sets and deletes cookies with exact Set-Cookie values', async () => {
    const res = await client.get('/r/cookies');
    expect(res.headers['set-cookie']).toEqual([
      'session=abc%201; Max-Age=3600; Path=/app; Domain=example.test; Secure; HttpOnly; SameSite=Lax',
      'theme=dark; Path=/',
      'until=x; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Path=/; HttpOnly',
      'old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly',
      'scoped=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app; Domain=example.test; HttpOnly',
    ]);
  });

  it('answers 500 for a cookie name that is not a token, logging why', async () => {
    const res = await client.get('/r/bad-cookie');
    expect(res.status).toBe(500);
    expect(logged[0]).toMatch(/ERROR \[test\] GET \/r\/bad-cookie failed\nCookieError: Cookie name "bad name" is not a valid token/);
  });

  it.each([
    ['/plain/string', 200, 'text/plain; charset=utf-8', 'just text'],
    ['/plain/object', 200, 'application/json; charset=utf-8', '{"id":1,"tags":["a"]}'],
    ['/plain/array', 200, 'application/json; charset=utf-8', '[1,"two",null]'],
    ['/plain/number', 200, 'application/json; charset=utf-8', '42'],
    ['/plain/async', 200, 'application/json; charset=utf-8', '{"later":true}'],
  ])('maps the plain return value of %s', async (path, status, type, body) => {
    const res = await client.get(path);
    expect([res.status, res.headers['content-type'], res.text()]).toEqual([status, type, body]);
  });

  it('sends a returned Buffer as bytes', async () => {
    const res = await client.get('/plain/buffer');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-length']).toBe('4');
    expect([...res.body]).toEqual([0, 1, 254, 255]);
  });

  it('answers 204 with no body and no content type for undefined or null', async () => {
    for (const path of ['/plain/undefined', '/plain/null']) {
      const res = await client.get(path);
      expect(res.status).toBe(204);
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.body.length).toBe(0);
    }
  });
});
