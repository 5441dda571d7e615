import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, Get, Logger, Param, parseServConfig, Post, Route, type App, type ServSettings } from '@serv/core';
import { fetchOnce, labelSets, parseScrape, valueOf } from '../helpers/prometheus';

const silent = (): Logger => new Logger('test', 'silent');

jest.setTimeout(30_000);

@Route('/items')
class ItemRoute {
  @Get('/{id:int}') get(@Param('id') id: number) {
    return { id };
  }
}

@Route('/later')
class LaterRoute {
  @Post('/{name}') async post(@Param('name') name: string) {
    await Promise.resolve();
    return `later ${name}`;
  }
}

@Route('')
class CatchAllRoute {
  @Get('/{page}') get(@Param('page') page: string) {
    return `page ${page}`;
  }
}

async function started(app: App): Promise<string> {
  return (await app.listen({ host: '127.0.0.1', port: 0 })).url;
}

function post(url: string): Promise<{ status: number; body: string }> {
  return fetchOnce(url, 'POST');
}

describe('metrics', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('counts N requests to a route with parameters under its pattern, never the raw path, with their durations', async () => {
    app = createApp({ routes: [ItemRoute, LaterRoute], logger: silent() });
    const url = await started(app);
    for (let i = 1; i <= 7; i += 1) expect((await fetchOnce(`${url}/items/${i}`)).status).toBe(200);
    for (const name of ['a', 'b', 'c']) expect((await post(`${url}/later/${name}`)).status).toBe(200);
    expect((await fetchOnce(`${url}/nope/a`)).status).toBe(404);
    expect((await fetchOnce(`${url}/nope/b`)).status).toBe(404);
    expect((await post(`${url}/items/1`)).status).toBe(405);
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetchOnce(`${url}${path}`)).status).toBe(200);

    const res = await fetchOnce(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const scrape = parseScrape(res.body);
    const total = 'serv_http_requests_total';
    expect(valueOf(scrape, total, 'COUNTER', { method: 'GET', route: '/items/{id:int}', status: '200' })).toBe(7);
    expect(valueOf(scrape, total, 'COUNTER', { method: 'POST', route: '/later/{name}', status: '200' })).toBe(3);
    expect(valueOf(scrape, total, 'COUNTER', { method: 'GET', route: '<unmatched>', status: '404' })).toBe(2);
    expect(valueOf(scrape, total, 'COUNTER', { method: 'POST', route: '<unmatched>', status: '405' })).toBe(1);
    // The operations endpoints are not counted, and no raw path becomes a label.
    expect(labelSets(scrape, total, 'COUNTER').map((l) => l.route).sort()).toEqual(['/items/{id:int}', '/later/{name}', '<unmatched>', '<unmatched>']);

    const duration = 'serv_http_request_duration_seconds';
    expect(valueOf(scrape, duration, 'HISTOGRAM', { method: 'GET', route: '/items/{id:int}' })).toBe(7);
    expect(valueOf(scrape, duration, 'HISTOGRAM', { method: 'POST', route: '/later/{name}' })).toBe(3);
    const series = scrape.get(duration)?.metrics.find((m) => m.labels?.route === '/items/{id:int}');
    const counts = (series?.buckets ?? []).map(([, n]) => n);
    expect(counts).toHaveLength(13);
    expect(counts[12]).toBe(7);
    for (let i = 1; i < counts.length; i += 1) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number);

    // prom-client's process and Node defaults.
    expect(valueOf(scrape, 'process_cpu_user_seconds_total', 'COUNTER')).toBeGreaterThan(0);
    expect(valueOf(scrape, 'nodejs_heap_size_total_bytes', 'GAUGE')).toBeGreaterThan(0);
  });

  it('keeps each app\'s figures in its own registry', async () => {
    app = createApp({ routes: [ItemRoute], logger: silent() });
    const other = createApp({ routes: [ItemRoute], logger: silent() });
    const url = await started(app);
    const otherUrl = await started(other);
    try {
      await fetchOnce(`${url}/items/1`);
      await fetchOnce(`${url}/items/2`);
      await fetchOnce(`${otherUrl}/items/3`);
      const counted = async (at: string): Promise<number | undefined> =>
        valueOf(parseScrape((await fetchOnce(`${at}/metrics`)).body), 'serv_http_requests_total', 'COUNTER', { method: 'GET', route: '/items/{id:int}', status: '200' });
      expect(await counted(url)).toBe(2);
      expect(await counted(otherUrl)).toBe(1);
      expect(app.metricsRegistry).not.toBe(other.metricsRegistry);
    } finally {
      await other.close();
    }
  });

  it('answers 404 at /metrics when settings.metrics is false, and moves the endpoints where the settings say', async () => {
    app = createApp({ routes: [ItemRoute], logger: silent(), settings: { metrics: false } });
    const url = await started(app);
    expect((await fetchOnce(`${url}/metrics`)).status).toBe(404);
    expect(app.metricsRegistry).toBeUndefined();
    await app.close();

    const settings: Partial<ServSettings> = { metrics: { path: '/prom' }, health: { live: '/alive', ready: '/ready', drainDelayMs: 0 } };
    app = createApp({ routes: [ItemRoute], logger: silent(), settings });
    const moved = await started(app);
    expect((await fetchOnce(`${moved}/prom`)).body).toContain('# TYPE serv_http_requests_total counter');
    expect((await fetchOnce(`${moved}/alive`)).status).toBe(200);
    expect((await fetchOnce(`${moved}/ready`)).status).toBe(200);
    expect((await fetchOnce(`${moved}/healthz`)).status).toBe(404);
    expect(app.isOperationsPath('/prom')).toBe(true);
    expect(app.isOperationsPath('/metrics')).toBe(false);
  });

  it('answers the endpoints ahead of a route pattern that matches their paths, and refuses a route at one of them', async () => {
    app = createApp({ routes: [CatchAllRoute], logger: silent() });
    const url = await started(app);
    expect((await fetchOnce(`${url}/healthz`)).body).toBe('{"status":"alive"}');
    expect((await fetchOnce(`${url}/home`)).body).toBe('page home');
    await app.close();

    @Route('/metrics')
    class OwnMetrics {
      @Get() get() {
        return 'mine';
      }
    }
    app = createApp({ routes: [OwnMetrics], logger: silent() });
    await expect(app.start()).rejects.toMatchObject({
      code: 'SERV_ROUTE_CONFLICT',
      message: expect.stringMatching(/^@Route on OwnMetrics \([^)]*metrics\.test\.ts:\d+\): the route \/metrics takes the path of an operations endpoint/),
    });
    await expect(app.start()).rejects.toThrow(
      "(settings.metrics / settings.health); change the route's path, or move the endpoint in serv.config.yaml (or turn it off with false)",
    );
  });
});

describe('health endpoints', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers /healthz 200 and /readyz 200 once listening; GET and HEAD only', async () => {
    app = createApp({ routes: [ItemRoute], logger: silent() });
    const url = await started(app);
    const live = await fetchOnce(`${url}/healthz`);
    expect([live.status, live.headers['content-type'], live.body]).toEqual([200, 'application/json; charset=utf-8', '{"status":"alive"}']);
    const ready = await fetchOnce(`${url}/readyz`);
    expect([ready.status, ready.body]).toEqual([200, '{"status":"ready","checks":{}}']);
    expect((await fetchOnce(`${url}/readyz`, 'HEAD')).status).toBe(200);
    const refused = await post(`${url}/readyz`);
    expect([refused.status, refused.body]).toEqual([405, '/readyz answers GET and HEAD only']);
  });

  it('answers /readyz 503 while the app is starting', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app = createApp({ routes: [ItemRoute], logger: silent() });
    app.on('app.startup', () => gate);
    const server = createServer(app.handleRequest);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const starting = app.start();
      const early = await fetchOnce(`${url}/readyz`);
      expect([early.status, early.body]).toEqual([503, '{"status":"starting","checks":{}}']);
      expect((await fetchOnce(`${url}/healthz`)).status).toBe(200);
      release();
      await starting;
      expect((await fetchOnce(`${url}/readyz`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers /readyz 503 on shutdown while the app still serves, before the listener closes (drain_delay_ms)', async () => {
    app = createApp({ routes: [ItemRoute], logger: silent(), settings: { health: { live: '/healthz', ready: '/readyz', drainDelayMs: 1000 } } });
    const url = await started(app);
    const closing = app.close();
    const draining = await fetchOnce(`${url}/readyz`);
    expect([draining.status, draining.body]).toEqual([503, '{"status":"draining","checks":{}}']);
    expect((await fetchOnce(`${url}/items/4`)).body).toBe('{"id":4}');
    await closing;
    await expect(fetchOnce(`${url}/readyz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('settings.metrics and settings.health', () => {
  const read = (settings: string): ServSettings => parseServConfig(`settings:\n${settings}\n`, '/srv/app/serv.config.yaml', {}).settings;

  it('reads false, true and mappings', () => {
    expect(read('  metrics: false\n  health: false')).toMatchObject({ metrics: false, health: false });
    expect(read('  metrics: true\n  health: { ready: /ready }')).toMatchObject({
      metrics: { path: '/metrics' },
      health: { live: '/healthz', ready: '/ready', drainDelayMs: 0 },
    });
  });

  it.each([
    ['  metrics: 3', 'serv.config.yaml: settings.metrics must be false or a mapping like { path: /metrics }, got 3'],
    ['  metrics: { path: metrics }',
      'serv.config.yaml: settings.metrics.path must be a fixed path starting with "/" (no query, no {param}, no spaces), e.g. "/metrics", got "metrics"'],
    ['  metrics: { route: /m }', 'serv.config.yaml: settings.metrics.route is not a known key; allowed keys: path'],
    ['  health: { live: /a, ready: /a }', 'serv.config.yaml: settings.health.ready must differ from health.live (/a), got "/a"'],
    ['  health: { ready: "/r/{x}" }',
      'serv.config.yaml: settings.health.ready must be a fixed path starting with "/" (no query, no {param}, no spaces), e.g. "/metrics", got "/r/{x}"'],
    ['  health: { drain_delay_ms: -1 }', 'serv.config.yaml: settings.health.drain_delay_ms must be an integer of 0 or more, got -1'],
  ])('rejects %j', (settings, message) => {
    expect(() => read(settings)).toThrow(message);
  });

  it('refuses one path for two endpoints', () => {
    expect(() => createApp({ logger: silent(), settings: { metrics: { path: '/healthz' } } })).toThrow(
      'settings.metrics.path /healthz is also settings.health.live; give each endpoint its own path',
    );
  });
});
