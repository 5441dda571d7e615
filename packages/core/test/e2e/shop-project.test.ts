import { join } from 'node:path';
import { createTestClient, displayPath, Get, loadProject, Route, type TestClient } from '@serv/core';
import { PriceService } from '../fixtures/projects/shop/extensions/shop/prices';

const PROJECT = join(__dirname, '..', 'fixtures', 'projects', 'shop');
const SPEC = displayPath(join(PROJECT, 'extensions', 'shop', 'extension.yaml'));

/** A decorated route registered by code next to the YAML routes, sharing their PriceService singleton. */
@Route('/status')
class StatusRoute {
  constructor(private readonly prices: PriceService) {}
  @Get() get() {
    return { stocked: this.prices.stocked };
  }
}

describe('a YAML project with decorated routes, loaded by loadProject and served over a real socket', () => {
  let client: TestClient;

  beforeEach(async () => {
    const app = await loadProject({ cwd: PROJECT, env: {} });
    app.logger.level = 'silent';
    app.register(StatusRoute);
    client = createTestClient(app);
  });

  afterEach(() => client.close());

  it('merges both registration sources into one route table, each route naming its source', () => {
    const table = client.app.routeTable().map(({ methods, path, handler, source }) => [methods.join(','), path, handler, source]);
    expect(table).toEqual([
      ['GET', '/shop/v{version:int}/products/{name}', 'CatalogRoute.get', `${SPEC} routers[0].routes[0]`],
      ['GET', '/api/hello/{name}', 'hello', `${SPEC} routers[1].routes[0]`],
      ['GET', '/api/items/{id:int}', 'ItemsRoute.get', `${SPEC} routers[1].routes[1]`],
      ['POST', '/api/items/{id:int}', 'ItemsRoute.create', `${SPEC} routers[1].routes[1]`],
      ['GET,DELETE', '/api/files/{rest:path}', 'files', `${SPEC} routers[1].routes[2]`],
      ['GET', '/status', 'StatusRoute.get', expect.stringMatching(/^@Route on StatusRoute \((?:.*\/)?shop-project\.test\.ts:\d+\)$/)],
    ]);
    expect(client.app.siteInfo).toEqual({ name: 'Shop', description: 'Decorated and YAML routes in one route table' });
    expect(client.app.settings.maxBodyBytes).toBe(64);
  });

  it('serves a decorated class routed from YAML without a path, with v{version:int} and {name} params and constructor DI', async () => {
    const res = await client.get('/shop/v2/products/lamp');
    expect(res.status).toBe(200);
    expect(res.headers['x-powered-by']).toBe('serv');
    expect(res.json()).toEqual({
      version: 2,
      name: 'lamp',
      price: 400,
      stocked: true,
      settings: { greeting: 'welcome', currency: 'USD' },
    });
  });

  it('calls a YAML function handler under the router mount with router config merged over extension settings', async () => {
    const res = await client.get('/api/hello/ada%20l');
    expect(res.json()).toEqual({ hello: 'ada l', settings: { greeting: 'welcome', currency: 'EUR', region: 'eu' } });
    expect((await client.get('/api/hello/ada/')).json()).toEqual(expect.objectContaining({ hello: 'ada' }));
  });

  it('serves a class without @Route, with {id:int} as a number and route config over router config', async () => {
    const res = await client.get('/api/items/12');
    expect(res.json()).toEqual({ id: 12, region: 'eu-west', currency: 'EUR', price: 200 });
    const created = await client.post('/api/items/12', { json: { qty: 1 } });
    expect(created.json()).toEqual({ id: 12, created: { qty: 1 } });
  });

  it('matches {rest:path} across segments for the methods YAML lists', async () => {
    expect((await client.get('/api/files/docs/2024/report.pdf')).text()).toBe('GET docs/2024/report.pdf');
    expect((await client.delete('/api/files/tmp/x')).text()).toBe('DELETE tmp/x');
  });

  it('shares the PriceService singleton between YAML routes, the YAML listener and a decorated route', async () => {
    expect((await client.get('/status')).json()).toEqual({ stocked: true });
  });

  it('answers HEAD for GET routes with the length and no body', async () => {
    const res = await client.head('/api/items/1');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(JSON.stringify({ id: 1, region: 'eu-west', currency: 'EUR', price: 100 }).length));
    expect(res.body.length).toBe(0);
  });

  it('answers 404 for an unknown path and for {id:int} given letters', async () => {
    const res = await client.get('/api/nothing');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text()).toBe('404 Not Found: No route found for GET /api/nothing');
    expect((await client.get('/api/items/abc')).text()).toBe('404 Not Found: No route found for GET /api/items/abc');
  });

  it('answers 405 with Allow listing the methods of the path', async () => {
    const items = await client.put('/api/items/3');
    expect(items.status).toBe(405);
    expect(items.headers.allow).toBe('GET, HEAD, POST');
    expect(items.text()).toBe('405 Method Not Allowed: Method PUT not allowed for /api/items/3');
    const files = await client.post('/api/files/a');
    expect(files.headers.allow).toBe('GET, HEAD, DELETE');
  });

  it('answers 413 when the body exceeds max_body_bytes from serv.config.yaml', async () => {
    const res = await client.post('/api/items/3', { json: { note: 'x'.repeat(64) }, headers: { accept: 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ error: { status: 413, message: 'Request body exceeds the limit of 64 bytes (setting max_body_bytes)' } });
  });

  it('negotiates the error format on Accept: HTML for browsers, JSON for APIs, text otherwise', async () => {
    const browser = await client.get('/api/nothing', { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(browser.text()).toBe(
      '<!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>' +
        '<body><h1>404 Not Found</h1><p>No route found for GET /api/nothing</p></body></html>',
    );
    const api = await client.get('/api/nothing', { headers: { accept: 'application/json' } });
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(api.json()).toEqual({ error: { status: 404, message: 'No route found for GET /api/nothing' } });
    const curl = await client.get('/api/nothing', { headers: { accept: '*/*' } });
    expect(curl.text()).toBe('404 Not Found: No route found for GET /api/nothing');
  });
});
