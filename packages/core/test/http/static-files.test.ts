import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, FileResponse, loadExtensions, Logger, RequestContext, serveStatic, ServError, type App } from '@serv/core';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the path sent exactly as written (Node's client does not normalise `..` or `%2e`). */
function get(app: App, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const { port } = app.address as { port: number };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';
let dir: string;
let root: string;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serv-static-'));
  root = join(dir, 'public');
  mkdirSync(join(root, 'css'), { recursive: true });
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, 'bare'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(root, 'sub', 'index.html'), '<h1>sub</h1>');
  writeFileSync(join(root, 'css', 'site.css'), 'body { color: red }');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'digits.txt'), '0123456789');
  writeFileSync(join(root, '.env'), SECRET);
  writeFileSync(join(root, '.git', 'config'), SECRET);
  writeFileSync(join(dir, 'outside', 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'public-sibling.txt'), SECRET);
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(dir, 'outside'), join(root, 'leakdir'));
  symlinkSync(join(root, 'digits.txt'), join(root, 'inside-link.txt'));
  app = createApp({ logger: new Logger('test', 'error', () => undefined) });
  const files = serveStatic(root);
  app.addRoute({ path: '/static', handler: files });
  app.addRoute({ path: '/static/{path:path}', handler: files });
  app.addRoute({ path: '/cached/{path:path}', handler: serveStatic(root, { maxAgeS: 3600, immutable: true, index: false }) });
  app.addRoute({ path: '/file/{p:path}', handler: (ctx: RequestContext) => new FileResponse(String(ctx.params.p), { root }) });
  app.addRoute({ path: '/joined/{p:path}', handler: (ctx: RequestContext) => new FileResponse(join(root, String(ctx.params.p)), { root }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('traversal is impossible', () => {
  const attacks: [string, number][] = [
    ['/../outside/secret.txt', 400],
    ['/%2e%2e/outside/secret.txt', 400],
    ['/%2E%2E/outside/secret.txt', 400],
    ['/..%2foutside%2fsecret.txt', 404],
    ['/%2e%2e%2foutside%2fsecret.txt', 404],
    ['/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd', 404],
    ['/%2e%2e%2f%2e%2e%2f%2e%2e%2fproc%2fself%2fenviron', 404],
    ['/..%5c..%5coutside%5csecret.txt', 404],
    ['/%252e%252e/outside/secret.txt', 404],
    ['/%2fetc%2fpasswd', 404],
    ['/leak.txt', 404],
    ['/leakdir/secret.txt', 404],
    ['/.env', 404],
    ['/.git/config', 404],
    ['/css/%00.css', 400],
    ['/..%2fpublic-sibling.txt', 404],
  ];
  it.each(['/static', '/file', '/joined'])('answers every encoding of ../ on %s with 404 or 400, never the file', async (prefix) => {
    for (const [attack, status] of attacks) {
      if (prefix !== '/static' && (attack.startsWith('/.env') || attack.startsWith('/.git'))) continue; // FileResponse serves what the app names
      const res = await get(app, prefix + attack);
      expect([attack, res.status]).toEqual([attack, status]);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('root:');
    }
  });

  it('serves a symbolic link that stays inside the root', async () => {
    expect((await get(app, '/static/inside-link.txt')).body).toBe('0123456789');
    expect((await get(app, '/file/inside-link.txt')).body).toBe('0123456789');
  });
});

describe('serveStatic', () => {
  it('serves files with their MIME type, ETag and Last-Modified', async () => {
    const css = await get(app, '/static/css/site.css');
    expect([css.status, css.headers['content-type'], css.body]).toEqual([200, 'text/css; charset=utf-8', 'body { color: red }']);
    expect(css.headers.etag).toMatch(/^W\/"/);
    expect(css.headers['last-modified']).toBe(statSync(join(root, 'css', 'site.css')).mtime.toUTCString());
    expect(css.headers['cache-control']).toBe('public, max-age=0');
    expect((await get(app, '/static/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('serves index.html for the folder and its sub-folders; a folder without one is 404', async () => {
    expect((await get(app, '/static')).body).toBe('<h1>home</h1>');
    expect((await get(app, '/static/sub')).body).toBe('<h1>sub</h1>');
    expect((await get(app, '/static/sub/')).body).toBe('<h1>sub</h1>');
    expect((await get(app, '/static/bare')).status).toBe(404);
    expect((await get(app, '/static/missing.txt')).status).toBe(404);
  });

  it('answers If-None-Match and If-Modified-Since with 304', async () => {
    const first = await get(app, '/static/digits.txt');
    const etag = first.headers.etag as string;
    expect((await get(app, '/static/digits.txt', { 'if-none-match': etag })).status).toBe(304);
    expect((await get(app, '/static/digits.txt', { 'if-modified-since': first.headers['last-modified'] as string })).status).toBe(304);
    expect((await get(app, '/static/digits.txt', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('answers ranges with 206 and an unsatisfiable range with 416', async () => {
    const part = await get(app, '/static/digits.txt', { range: 'bytes=2-5' });
    expect([part.status, part.headers['content-range'], part.body]).toEqual([206, 'bytes 2-5/10', '2345']);
    const bad = await get(app, '/static/digits.txt', { range: 'bytes=50-60' });
    expect([bad.status, bad.headers['content-range']]).toEqual([416, 'bytes */10']);
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await get(app, '/static/digits.txt', {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body]).toEqual([200, '10', '']);
  });

  it('sets max-age and immutable when asked, and index: false answers 404 for folders', async () => {
    expect((await get(app, '/cached/digits.txt')).headers['cache-control']).toBe('public, max-age=3600, immutable');
    expect((await get(app, '/cached/sub')).status).toBe(404);
  });

  it.each([
    [() => serveStatic(''), 'serveStatic(""): root must be a non-empty folder path'],
    [() => serveStatic('x', { index: '../a' }), 'serveStatic("x"): index must be a file name such as "index.html" or false, got "../a"'],
    [() => serveStatic('x', { maxAgeS: -1 }), 'serveStatic("x"): maxAgeS must be a whole number of seconds >= 0, got -1'],
  ])('refuses bad options with a clear error', (make, message) => {
    expect(make).toThrow(ServError);
    expect(make).toThrow(message);
  });
});

describe('static folders from extension.yaml', () => {
  it('serves the folder under the router mount, index included', async () => {
    const extDir = join(dir, 'extensions');
    mkdirSync(join(extDir, 'site', 'www'), { recursive: true });
    writeFileSync(join(extDir, 'site', 'www', 'index.html'), 'yaml home');
    writeFileSync(join(extDir, 'site', 'www', 'a.txt'), 'yaml a');
    writeFileSync(
      join(extDir, 'site', 'extension.yaml'),
      'name: site\nversion: 1.0.0\nrouters:\n  - name: files\n    mount: /m\n    static:\n      - { path: /assets, root: ./www, max_age_s: 60 }\n',
    );
    const yamlApp = createApp({ logger: new Logger('test', 'error', () => undefined) });
    loadExtensions(yamlApp, [{ name: 'site', settings: {} }], extDir);
    await yamlApp.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect((await get(yamlApp, '/m/assets')).body).toBe('yaml home');
      const a = await get(yamlApp, '/m/assets/a.txt');
      expect([a.status, a.body, a.headers['cache-control']]).toEqual([200, 'yaml a', 'public, max-age=60']);
      expect((await get(yamlApp, '/m/assets/..%2fextension.yaml')).status).toBe(404);
    } finally {
      await yamlApp.close();
    }
  });
});
