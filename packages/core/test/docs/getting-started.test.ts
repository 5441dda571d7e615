import { join } from 'node:path';
import { createApp, createTestClient, displayPath, Get, Injectable, loadProject, Logger, Param, Route } from '@serv/core';

// The first app of docs/getting-started.md.
@Injectable()
export class Greeter {
  greet(name: string): string {
    return `Hello, ${name}!`;
  }
}

@Route('/hello/{name}')
export class HelloRoute {
  constructor(private readonly greeter: Greeter) {}

  @Get() get(@Param('name') name: string) {
    return { message: this.greeter.greet(name) };
  }
}

describe('docs/getting-started.md', () => {
  it('greets by name (the "Test it" example)', async () => {
    const client = createTestClient(createApp({ routes: [HelloRoute], logger: new Logger('test', 'silent') }));
    try {
      const res = await client.get('/hello/ada');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual({ message: 'Hello, ada!' });
    } finally {
      await client.close();
    }
  });

  it('serves the decorator-only project at its decorator paths, each route sourced at main.ts:LINE', async () => {
    const project = join(__dirname, '..', 'fixtures', 'projects', 'getting-started-decorated');
    const app = await loadProject({ cwd: project, env: {}, logger: new Logger('serv', 'silent') });
    const main = displayPath(join(project, 'extensions', 'hello', 'main.ts'));
    expect(app.routeTable().map(({ methods, path, handler, source }) => [methods.join(','), path, handler, source])).toEqual([
      ['GET', '/hello/{name}', 'HelloRoute.get', `${main}:4`],
      ['GET', '/time', 'TimeRoute.now', `${main}:11`],
    ]);
    const client = createTestClient(app);
    try {
      expect((await client.get('/hello/ada')).json()).toEqual({ message: 'Hello, ada!' });
      expect((await client.get('/time')).json()).toEqual({ now: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    } finally {
      await client.close();
    }
  });

  it('serves the YAML project with the route table --dry-run prints and one log line per request', async () => {
    const project = join(__dirname, '..', 'fixtures', 'projects', 'getting-started');
    const lines: string[] = [];
    const app = await loadProject({ cwd: project, env: {}, logger: new Logger('serv', 'debug', (_level, line) => lines.push(line)) });
    const spec = displayPath(join(project, 'extensions', 'hello', 'extension.yaml'));
    expect(app.routeTable().map(({ methods, path, handler, source }) => [methods.join(','), path, handler, source])).toEqual([
      ['GET', '/api/hello/{name}', 'hello', `${spec} routers[0].routes[0]`],
      ['GET', '/api/time', 'TimeRoute.now', `${spec} routers[0].routes[1]`],
    ]);
    expect(app.settings).toMatchObject({ debug: true, port: 8000 });
    const ended = new Promise<void>((resolve) => app.on('app.request.end', () => resolve()));
    const client = createTestClient(app);
    try {
      expect((await client.get('/api/hello/ada')).json()).toEqual({ message: 'Hello, ada!' });
      await ended;
      expect(lines).toEqual([expect.stringMatching(/ INFO  \[serv\] GET \/api\/hello\/ada 200 \d+\.\dms 25B 127\.0\.0\.1 id=[\w-]+-[0-9a-z]+$/)]);
      expect((await client.get('/api/time')).json()).toEqual({ now: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    } finally {
      await client.close();
    }
  });
});
