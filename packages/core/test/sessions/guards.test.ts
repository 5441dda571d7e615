import {
  createApp, createTestClient, ForbiddenError, Get, Injectable, loadProject, Logger, Route, RouteDefinitionError, UseGuards,
  type CanActivate, type HandlerContext, type TestClient,
} from '@serv/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const order: string[] = [];
const allow = (name: string) => (): boolean => {
  order.push(name);
  return true;
};
const refuse = (): boolean => false;

@Injectable()
class Roles {
  readonly admins = new Set(['root']);
}

@Injectable()
class AdminGuard implements CanActivate {
  constructor(private readonly roles: Roles) {}
  canActivate(ctx: HandlerContext): boolean {
    order.push('AdminGuard');
    return this.roles.admins.has(ctx.header('x-user') ?? '');
  }
}

@Route('/g')
@UseGuards(allow('class-1'), allow('class-2'))
class GuardedRoutes {
  @Get('/open') open() {
    return 'open';
  }

  @Get('/admin') @UseGuards(AdminGuard) admin() {
    return 'admin';
  }

  @Get('/never') @UseGuards(refuse) never() {
    order.push('handler');
    return 'never';
  }

  @Get('/teapot') @UseGuards(() => {
    throw new ForbiddenError('Teapots only');
  }) teapot() {
    return 'never';
  }
}

describe('guards on HTTP routes', () => {
  let client: TestClient;
  beforeEach(() => {
    order.length = 0;
    client = createTestClient(createApp({ routes: [GuardedRoutes], logger: new Logger('test', 'silent') }));
  });
  afterEach(async () => {
    await client.close();
  });

  it('answers 403 when a guard returns false, without running the handler', async () => {
    const res = await client.get('/g/never');
    expect(res.status).toBe(403);
    expect(order).toEqual(['class-1', 'class-2']);
  });

  it('keeps the status of an HttpError a guard throws', async () => {
    const res = await client.get('/g/teapot');
    expect(res.status).toBe(403);
    expect(res.text()).toContain('Teapots only');
  });

  it('runs class guards, then method guards, in declaration order; class guards come through DI', async () => {
    expect((await client.get('/g/admin', { headers: { 'x-user': 'root' } })).text()).toBe('admin');
    expect(order).toEqual(['class-1', 'class-2', 'AdminGuard']);
    expect((await client.get('/g/admin', { headers: { 'x-user': 'eve' } })).status).toBe(403);
    expect((await client.get('/g/open')).text()).toBe('open');
  });

  it('refuses what is not a guard at decoration time, naming the class and method', () => {
    expect(() => UseGuards('requireUser' as never)(class Broken {}.prototype, 'show', {})).toThrow(
      new RouteDefinitionError('@UseGuards() on Broken.show: guard #0 must be a function (ctx) => boolean or a class with canActivate(ctx), got string'),
    );
    expect(() => UseGuards(class NoCanActivate {} as never)(class Other {})).toThrow(
      '@UseGuards() on Other: guard #0 must be a class with a canActivate(ctx) method; NoCanActivate has none',
    );
  });
});

describe('YAML guards', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serv-guards-'));
    mkdirSync(join(dir, 'extensions', 'shop'), { recursive: true });
    writeFileSync(join(dir, 'serv.config.yaml'), 'extensions: [shop]\nsettings:\n  port: 0\n');
    writeFileSync(
      join(dir, 'extensions', 'shop', 'main.js'),
      [
        "const { UnauthorizedError } = require('@serv/core');",
        "exports.requireToken = (ctx) => { if (ctx.header('authorization') !== 'Bearer good') throw new UnauthorizedError('Bearer token required'); return true; };",
        "exports.onlyGet = (ctx) => ctx.query.deny === undefined;",
        "exports.list = () => 'list';",
        "exports.item = (ctx) => `item ${ctx.params.id}`;",
        "exports.health = () => 'ok';",
      ].join('\n'),
    );
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const writeExtension = (routers: string): void =>
    writeFileSync(join(dir, 'extensions', 'shop', 'extension.yaml'), `name: shop\nversion: 1.0.0\nrouters:\n${routers}`);

  it('protects every route of a router, router guards running before route guards', async () => {
    writeExtension(
      [
        '  - name: api',
        '    mount: /api',
        '    guards: ["main:requireToken"]',
        '    routes:',
        '      - { path: /items, handler: "main:list" }',
        '      - { path: "/items/{id}", handler: "main:item", guards: ["main:onlyGet"] }',
        '  - name: public',
        '    routes:',
        '      - { path: /health, handler: "main:health" }',
        '',
      ].join('\n'),
    );
    const client = createTestClient(await loadProject({ cwd: dir, logger: new Logger('test', 'silent') }));
    try {
      const auth = { authorization: 'Bearer good' };
      expect((await client.get('/api/items')).status).toBe(401);
      expect((await client.get('/api/items/7')).status).toBe(401);
      expect((await client.get('/api/items/7?deny=1')).status).toBe(401);
      expect((await client.get('/api/items', { headers: auth })).text()).toBe('list');
      expect((await client.get('/api/items/7', { headers: auth })).text()).toBe('item 7');
      expect((await client.get('/api/items/7?deny=1', { headers: auth })).status).toBe(403);
      expect((await client.get('/health')).text()).toBe('ok');
    } finally {
      await client.close();
    }
  });

  it('names the file and key of a guard reference that does not resolve', async () => {
    writeExtension(['  - name: api', '    guards: ["main:requireUser"]', '    routes:', '      - { path: /items, handler: "main:list" }', ''].join('\n'));
    await expect(loadProject({ cwd: dir, logger: new Logger('test', 'silent') })).rejects.toThrow(
      /extensions\/shop\/extension\.yaml: routers\[0\]\.guards\[0\]: .*main\.js has no export "requireUser" \(it exports: requireToken, onlyGet, list, item, health\)$/,
    );
  });

  it('names the file and key of a guard reference that is not a guard', async () => {
    writeFileSync(join(dir, 'extensions', 'shop', 'not-guards.js'), 'exports.limit = 5;\n');
    writeExtension(['  - name: api', '    routes:', '      - { path: /items, handler: "main:list", guards: ["not-guards:limit"] }', ''].join('\n'));
    await expect(loadProject({ cwd: dir, logger: new Logger('test', 'silent') })).rejects.toThrow(
      /extensions\/shop\/extension\.yaml: routers\[0\]\.routes\[0\]\.guards\[0\]: guard "not-guards:limit" must be a function \(ctx\) => boolean or a class with canActivate\(ctx\), got number$/,
    );
  });
});
