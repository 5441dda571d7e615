import { AttackServer, SECRET } from './helpers/attack-server';
import { httpGet, RawConnection, rawExchange, statusLines } from './helpers/raw-http';

// HTTP attacks against a server with short timeouts: exact answers, a fresh client served after each, memory back.
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
let server: AttackServer;

beforeAll(async () => {
  server = await AttackServer.start({
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: 500,
    maxBodyBytes: 1024,
  });
  expect((await httpGet(server.port, '/health')).status).toBe(200);
  await server.markBaseline();
});

afterEach(async () => {
  expect((await httpGet(server.port, '/health')).body).toBe('ok');
});

afterAll(async () => {
  await server.expectMemoryBack();
  await server.stop();
});

/** Send `line` every 100 ms until the server closes the connection; what it answered and how long it took. */
async function trickle(first: string, line: string): Promise<{ answer: string; ms: number }> {
  const conn = await new RawConnection(server.port).ready();
  const started = performance.now();
  conn.write(first);
  const timer = setInterval(() => conn.write(line), 100); // the attack itself: bytes trickled forever
  await conn.closed;
  clearInterval(timer);
  return { answer: conn.text, ms: performance.now() - started };
}

it('answers a slowloris (headers trickled forever) with 408 and closes it within headers_timeout_ms + 1 s', async () => {
  const { answer, ms } = await trickle('GET /health HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 1000);
});

it('answers an endless chunked body with 408 and closes it within request_timeout_ms + 1 s', async () => {
  const { answer, ms } = await trickle('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', '1\r\na\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1000);
});

it('closes an idle keep-alive connection after keep_alive_timeout_ms', async () => {
  const conn = await new RawConnection(server.port).ready();
  conn.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  await conn.closed;
  expect(statusLines(conn.text)).toEqual([200]);
});

it.each([
  ['a declared body over max_body_bytes', [413], 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n'],
  ['a chunked body over max_body_bytes', [413], `POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n800\r\n${'a'.repeat(2048)}\r\n0\r\n\r\n`],
  ['Content-Length with Transfer-Encoding (smuggling)', [400], 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['two different Content-Lengths', [400], 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
  ['a dot segment', [400], 'GET /static/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['an encoded NUL', [400], 'GET /static/index.html%00.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
])('answers %s with exactly %j', async (_name, statuses, request) => {
  const answer = await rawExchange(server.port, request);
  expect(statusLines(answer)).toEqual(statuses);
  expect(answer).not.toContain(SECRET);
});

it.each([
  '/file/..%2fsecret.txt', '/file/%2e%2e%2fsecret.txt', '/file/%2fetc%2fpasswd', '/file/leak.txt',
  '/static/..%2fsecret.txt', '/static/%2e%2e%2f%2e%2e%2fproc%2fself%2fenviron', '/static/.env', '/static/leak.txt',
  '/one/..%2f..%2fetc%2fpasswd',
])('answers the traversal %s with 404', async (path) => {
  const res = await httpGet(server.port, path);
  expect(res.status).toBe(404);
  expect(res.body).not.toContain(SECRET);
});

it('still serves normal files', async () => {
  expect((await httpGet(server.port, '/static/css/site.css')).body).toBe('body { color: red }');
  expect((await httpGet(server.port, '/static')).body).toBe('<h1>home</h1>');
});

it('keeps client-chosen keys as plain data', async () => {
  const res = await httpGet(server.port, '/keys?__proto__=x&constructor=y', { cookie: 'toString=a; __proto__=b' });
  expect(JSON.parse(res.body)).toEqual({ query: ['__proto__', 'constructor'], cookies: ['toString', '__proto__'], constructor: 'y' });
  expect(JSON.parse((await httpGet(server.port, '/keys')).body)).toEqual({ query: [], cookies: [], constructor: null });
});

it('answers header values Node refuses with 500 and logs why, never an empty reply', async () => {
  expect((await httpGet(server.port, '/redirect-bad')).status).toBe(500);
  expect((await httpGet(server.port, '/cookie-bad')).status).toBe(500);
  const logs = (await server.logs()).join('\n');
  expect(logs).toContain('HeaderValueError: Response header location has a value Node cannot send');
  expect(logs).toContain('CookieError: Cookie sid: path must start with "/"');
  const cn = await httpGet(server.port, '/download-cn');
  expect([cn.status, cn.headers['content-disposition']]).toEqual([200, `attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`]);
});
