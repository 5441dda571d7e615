import { request } from 'node:http';
import { join } from 'node:path';
import {
  contentDisposition, Cookie, CookieError, createApp, createTestClient, FileResponse, Get, Header, Logger, Post, Query, RedirectResponse,
  RequestContext, Inject, Route, TextResponse, type LogSink, type TestClient,
} from '@serv/core';

const FIXTURES = join(__dirname, '..', 'fixtures', 'http');

@Route('/p')
class ProtoRoute {
  @Get('/query') query(@Query('constructor') c?: number, @Query('toString') t?: string) {
    return { c: c ?? null, t: t ?? null };
  }
  @Get('/raw') raw(@Inject() ctx: RequestContext) {
    return { query: { ...ctx.query }, queryProto: Object.getPrototypeOf(ctx.query), cookies: { ...ctx.cookies }, cookieProto: Object.getPrototypeOf(ctx.cookies) };
  }
  @Get('/cookie') cookie(@Cookie('toString') t?: string, @Cookie('__proto__') p?: string, @Header('constructor') h?: string) {
    return { t: t ?? null, p: p ?? null, h: h ?? null };
  }
  @Post('/form') async form(@Inject() ctx: RequestContext) {
    const body = (await ctx.body()) as Record<string, string>;
    return { proto: Object.getPrototypeOf(body), own: Object.keys(body) };
  }
}

@Route('/h')
class HeaderRoute {
  @Get('/redirect') redirect() {
    return new RedirectResponse('/next\r\nSet-Cookie: admin=1');
  }
  @Get('/mutated') mutated() {
    const res = new TextResponse('never');
    res.headers['x-bad'] = 'a\nb';
    return res;
  }
  @Get('/report') report() {
    return new FileResponse(join(FIXTURES, 'hello.txt'), { filename: '报告.pdf' });
  }
  @Get('/rtlo') rtlo() {
    return new FileResponse(join(FIXTURES, 'hello.txt'), { filename: 'invoice\u202Efdp.exe' });
  }
  @Get('/cookie-path') cookiePath() {
    return new TextResponse('never').setCookie('sid', '1', { path: '/; Domain=evil.test' });
  }
}

describe('client-chosen keys never reach Object.prototype', () => {
  let client: TestClient;
  beforeAll(() => {
    client = createTestClient(createApp({ routes: [ProtoRoute], logger: new Logger('test', 'error', () => undefined) }));
  });
  afterAll(() => client.close());

  it('@Query("constructor") is absent unless sent, and a number when sent', async () => {
    expect((await client.get('/p/query')).json()).toEqual({ c: null, t: null });
    expect((await client.get('/p/query?constructor=5&toString=x')).json()).toEqual({ c: 5, t: 'x' });
  });

  it('keeps __proto__, constructor and toString in ctx.query and ctx.cookies, which have no prototype', async () => {
    const res = await client.get('/p/raw?__proto__=x&constructor=y', { headers: { cookie: 'constructor=a; toString=b; __proto__=c' } });
    expect(res.json()).toEqual({
      query: { ['__proto__']: 'x', constructor: 'y' },
      queryProto: null,
      cookies: { constructor: 'a', toString: 'b', ['__proto__']: 'c' },
      cookieProto: null,
    });
  });

  it('@Cookie and @Header read own values only', async () => {
    expect((await client.get('/p/cookie')).json()).toEqual({ t: null, p: null, h: null });
    expect((await client.get('/p/cookie', { headers: { cookie: 'toString=1; __proto__=2', constructor: 'h' } })).json()).toEqual({ t: '1', p: '2', h: 'h' });
  });

  it('parses a urlencoded body into a record without a prototype', async () => {
    const res = await client.post('/p/form', { form: { ['__proto__']: 'x', constructor: 'y' } });
    expect(res.json()).toEqual({ proto: null, own: ['__proto__', 'constructor'] });
  });
});

describe('header values Node refuses', () => {
  let client: TestClient;
  let logged: string[];
  const sink: LogSink = (level, line) => logged.push(`${level} ${line}`);
  // The lines logged for one path: a previous test's late line (a download the client closed early) may land here too.
  const loggedFor = (path: string): string | undefined => logged.find((line) => line.includes(` ${path} `));
  beforeEach(() => {
    logged = [];
  });
  beforeAll(() => {
    client = createTestClient(createApp({ routes: [HeaderRoute], logger: new Logger('test', 'info', sink) }));
  });
  afterAll(() => client.close());

  it('answers 500 for CR/LF in a redirect target, naming the header in the log', async () => {
    const res = await client.get('/h/redirect');
    expect(res.status).toBe(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(loggedFor('/h/redirect')).toMatch(/ERROR \[test\] GET \/h\/redirect failed\nHeaderValueError: Response header location has a value Node cannot send/);
  });

  it('answers 500 (not an empty reply) for a bad value put straight into response.headers', async () => {
    const res = await client.get('/h/mutated');
    expect([res.status, res.text()]).toEqual([500, '500 Internal Server Error: Internal Server Error']);
    expect(res.headers['x-bad']).toBeUndefined();
    expect(loggedFor('/h/mutated')).toMatch(/ERROR \[test\] Writing the response to GET \/h\/mutated failed\nTypeError \[ERR_INVALID_CHAR\]: Invalid character in header content \["x-bad"\]/);
  });

  it('sends a non-ASCII download name as RFC 5987 filename* with an ASCII fallback', async () => {
    const res = await client.get('/h/report');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`);
    expect((await client.get('/h/rtlo')).headers['content-disposition']).toBe(
      `attachment; filename="invoice_fdp.exe"; filename*=UTF-8''invoice%E2%80%AEfdp.exe`,
    );
  });

  it('answers 500 for a cookie path holding ";", with the reason logged', async () => {
    const res = await client.get('/h/cookie-path');
    expect(res.status).toBe(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(loggedFor('/h/cookie-path')).toContain('CookieError: Cookie sid: path must start with "/" and hold only printable ASCII without ";", got "/; Domain=evil.test"');
  });
});

describe('contentDisposition', () => {
  it.each([
    ['report.pdf', 'attachment; filename="report.pdf"'],
    ['../../etc/passwd', 'attachment; filename="passwd"'],
    ['a"b\\c.txt', 'attachment; filename="c.txt"'],
    ['née.txt', `attachment; filename="n_e.txt"; filename*=UTF-8''n%C3%A9e.txt`],
    ["it's (1).txt", `attachment; filename="it's (1).txt"`],
    ['tab\there.txt', `attachment; filename="tab_here.txt"; filename*=UTF-8''tab%09here.txt`],
  ])('writes %j as %s', (name, expected) => {
    expect(contentDisposition(name)).toBe(expected);
  });
});

describe('cookie attributes', () => {
  const cookie = (options: Parameters<TextResponse['setCookie']>[2]) => () => new TextResponse('x').setCookie('sid', 'v', options);

  it.each([
    [{ path: 'app' }, 'Cookie sid: path must start with "/" and hold only printable ASCII without ";", got "app"'],
    [{ path: '/a\r\nX: y' }, 'Cookie sid: path must start with "/" and hold only printable ASCII without ";", got "/a\\r\\nX: y"'],
    [{ domain: 'evil.test; Secure' }, 'Cookie sid: domain must be a host name such as "example.com", got "evil.test; Secure"'],
    [{ domain: 'exa mple.com' }, 'Cookie sid: domain must be a host name such as "example.com", got "exa mple.com"'],
    [{ maxAgeSeconds: Number.NaN }, 'Cookie sid: maxAgeSeconds must be a finite number of seconds, got NaN'],
    [{ expires: new Date('nope') }, 'Cookie sid: expires must be a valid Date, got Invalid Date'],
    [{ sameSite: 'Lax; Domain=x' as 'Lax' }, 'Cookie sid: sameSite must be "Strict", "Lax" or "None", got "Lax; Domain=x"'],
  ])('refuses %j with a CookieError', (options, message) => {
    expect(cookie(options)).toThrow(CookieError);
    expect(cookie(options)).toThrow(message);
  });

  it('accepts a leading-dot domain and a path with printable characters', () => {
    expect(new TextResponse('x').setCookie('sid', 'v', { domain: '.example.com', path: '/a-b/c_d' }).headers['set-cookie']).toEqual([
      'sid=v; Path=/a-b/c_d; Domain=.example.com; HttpOnly',
    ]);
  });
});

describe('request targets refused before routing', () => {
  let client: TestClient;
  beforeAll(() => {
    client = createTestClient(createApp({ routes: [ProtoRoute], logger: new Logger('test', 'error', () => undefined) }));
  });
  afterAll(() => client.close());

  const raw = async (path: string): Promise<{ status: number; body: string }> => {
    const base = new URL(await client.baseUrl());
    return new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  };

  it.each([
    ['/p/../p/query', 400, 'Bad Request: Request path "/p/../p/query" contains a "." or ".." segment'],
    ['/p/%2e%2e/p/query', 400, 'Bad Request: Request path "/p/%2e%2e/p/query" contains a "." or ".." segment'],
    ['/p/query%00', 400, 'Bad Request: Request target contains a NUL byte'],
  ])('answers %s with %i', async (path, status, body) => {
    expect(await raw(path)).toEqual({ status, body: `${status} ${body}` });
  });
});
