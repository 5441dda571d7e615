import { compilePath, createApp, createTestClient, Get, Logger, Param, Route, RouteTable, type Constructor, type RouteRecord } from '@serv/core';
import { RouteIndex } from '../../src/routing/route-index';

const record = (path: string, methods: RouteRecord['methods'] = ['GET'], kind = 'http'): RouteRecord => ({
  kind,
  path,
  pattern: compilePath(path, `route ${path}`),
  methods,
  target: { type: 'function', fn: () => path, name: path },
  settings: {},
  options: {},
  middleware: [],
  source: 'route-index.test.ts',
});

// A small seeded generator, so a failure names a case that can be run again.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

describe('RouteIndex: the routes a path can match', () => {
  const LITERALS = ['api', 'users', 'v1', 'a', 'b'];
  const PATTERN_PARTS = [...LITERALS, '{x}', '{n:int}', 'v{k}', '{file}.txt', 'pre-{y}'];
  const PATH_PARTS = [...LITERALS, 'v2', '42', 'x.txt', 'pre-1', '%61pi', 'a.b', ''];

  function randomPattern(next: () => number, taken: Set<string>): string {
    for (;;) {
      const parts: string[] = [];
      const used = new Set<string>();
      const length = 1 + Math.floor(next() * 4);
      for (let i = 0; i < length; i++) {
        let part = PATTERN_PARTS[Math.floor(next() * PATTERN_PARTS.length)] as string;
        // A parameter name appears once per pattern: number repeats apart.
        part = part.replace(/\{(\w+)/, (_, name: string) => `{${name}${used.has(name) ? i : ''}`);
        for (const m of part.matchAll(/\{(\w+)/g)) used.add(m[1] as string);
        parts.push(part);
      }
      if (next() < 0.15) parts.push('{rest:path}');
      const path = `/${parts.join('/')}`;
      if (!taken.has(path)) {
        taken.add(path);
        return path;
      }
    }
  }

  function randomPath(next: () => number): string {
    const length = Math.floor(next() * 6);
    const parts = Array.from({ length }, () => PATH_PARTS[Math.floor(next() * PATH_PARTS.length)] as string);
    return `/${parts.join('/')}`;
  }

  test('every route whose pattern matches a path is offered, in declaration order (400 seeded route sets)', () => {
    let matched = 0;
    const problems: string[] = [];
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const index = new RouteIndex(0);
      const routes: RouteRecord[] = [];
      const taken = new Set<string>();
      const count = 1 + Math.floor(next() * 40);
      for (let i = 0; i < count; i++) {
        const route = record(randomPattern(next, taken));
        routes.push(route);
        index.add(route);
      }
      for (let p = 0; p < 40; p++) {
        const path = randomPath(next);
        const offered = index.candidates(path);
        const positions = offered.map((route) => routes.indexOf(route));
        if (positions.some((at, i) => i > 0 && at <= (positions[i - 1] as number))) problems.push(`seed ${seed}, ${path}: offered out of order`);
        for (const route of routes) {
          if (route.pattern.match(path) === null) continue;
          matched++;
          if (!offered.includes(route)) problems.push(`seed ${seed}, ${path}: ${route.path} matches but is not offered`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // The generator must produce matches, or the test above would check nothing.
    expect(matched).toBeGreaterThan(1000);
  });

  test('narrows: a path offers only the routes under its own leading segments and those at the root', () => {
    const index = new RouteIndex(0);
    const users = record('/api/users/{id}');
    const posts = record('/api/posts/{id}');
    const files = record('/files/{name}.txt');
    const version = record('/v{n}/items');
    const slug = record('/{slug}');
    for (const route of [users, posts, files, version, slug]) index.add(route);
    expect(index.candidates('/api/users/7')).toEqual([users, version, slug]);
    expect(index.candidates('/files/a.txt')).toEqual([files, version, slug]);
    expect(index.candidates('/nothing/here')).toEqual([version, slug]);
    expect(index.candidates('/')).toEqual([version, slug]);
  });

  test('a route added after the first match is indexed too', () => {
    const index = new RouteIndex(0);
    index.add(record('/a/{x}'));
    expect(index.candidates('/b/1')).toEqual([]);
    const late = record('/b/{x}');
    index.add(late);
    expect(index.candidates('/b/1')).toEqual([late]);
  });
});

describe('RouteTable with more routes than it scans one by one', () => {
  function table(paths: Array<[string, RouteRecord['methods']]>): RouteTable {
    const t = new RouteTable();
    for (const [path, methods] of paths) t.add(record(path, methods));
    return t;
  }
  const filler = Array.from({ length: 20 }, (_, i): [string, RouteRecord['methods']] => [`/res${i}/{id:int}`, ['GET']]);

  test('the first declared route that matches wins, even when another hangs deeper in the index', () => {
    const t = table([...filler, ['/{section}/users/{id}', ['GET']], ['/api/users/{id:int}', ['GET']]]);
    const match = t.matchHttp('GET', '/api/users/7');
    expect(match?.route?.path).toBe('/{section}/users/{id}');
    expect(t.matchHttp('GET', '/res19/5')).toMatchObject({ route: { path: '/res19/{id:int}' }, params: { id: 5 } });
  });

  test('405 lists the methods of every route that matches the path, 404 when none does', () => {
    const t = table([...filler, ['/api/items/{id}', ['PUT']], ['/{any}/items/{id:int}', ['DELETE']]]);
    expect(t.matchHttp('GET', '/api/items/3')).toEqual({ route: null, allowed: ['PUT', 'DELETE'] });
    expect(t.matchHttp('GET', '/nope/at/all')).toBeNull();
  });

  test('protocol routes are narrowed the same way', () => {
    const t = new RouteTable();
    for (let i = 0; i < 20; i++) t.add(record(`/ws/room${i}/{user}`, [], 'websocket'));
    t.add(record('/ws/{room}', [], 'websocket'));
    expect(t.matchProtocol('websocket', '/ws/room7/ann')).toMatchObject({ route: { path: '/ws/room7/{user}' }, params: { user: 'ann' } });
    expect(t.matchProtocol('websocket', '/ws/lobby')).toMatchObject({ route: { path: '/ws/{room}' }, params: { room: 'lobby' } });
    expect(t.matchProtocol('websocket', '/elsewhere')).toBeNull();
  });
});

test('an app with many parameterised routes answers each request from its own route', async () => {
  const routes: Constructor[] = [];
  for (let i = 0; i < 30; i++) {
    @Route(`/things${i}/{id:int}`)
    class ThingRoute {
      @Get() get(@Param('id') id: number) {
        return { route: i, id };
      }
    }
    routes.push(ThingRoute);
  }
  const app = createApp({ routes, logger: new Logger('test', 'silent') });
  const client = await createTestClient(app);
  try {
    for (const i of [0, 17, 29]) {
      const response = await client.get(`/things${i}/${i * 2}`);
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { route: i, id: i * 2 } });
    }
    expect((await client.get('/things30/1')).status).toBe(404);
  } finally {
    await client.close();
  }
});
