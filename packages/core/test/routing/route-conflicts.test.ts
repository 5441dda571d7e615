import { join } from 'node:path';
import { createApp, displayPath, Get, loadProject, Logger, Post, Route, RouteDefinitionError, ServError } from '@serv/core';

const PROJECT = join(__dirname, '..', 'fixtures', 'projects', 'conflict');
const specOf = (extension: string): string => displayPath(join(PROJECT, 'extensions', extension, 'extension.yaml'));

@Route('/hello')
class HelloRoute {
  @Get() get() {
    return 'hello from a decorator';
  }
}

@Route('/hello')
class HelloPostRoute {
  @Post() post() {
    return 'posted';
  }
}

@Route('/users/{id}')
class UserById {
  @Get() get() {
    return 'by id';
  }
}

@Route('/users/{user_id}')
class UserByUserId {
  @Get() get() {
    return 'by user_id';
  }
}

@Route('/users/{id:int}')
class UserByNumber {
  @Get() get() {
    return 'by number';
  }
}

const sourceOf = (cls: typeof HelloRoute): string => createApp({ routes: [cls] }).routeTable()[0].source;

function conflict(run: () => unknown): RouteDefinitionError {
  try {
    run();
  } catch (err) {
    return err as RouteDefinitionError;
  }
  throw new Error('no conflict was reported');
}

describe('route conflicts', () => {
  it('rejects a decorated route on a method and path a YAML route already declares, naming both sources', async () => {
    const app = await loadProject({ cwd: PROJECT, env: {}, logger: new Logger('test', 'silent') });
    const err = conflict(() => app.register(HelloRoute));
    expect(err).toBeInstanceOf(RouteDefinitionError);
    expect(err.code).toBe('SERV_ROUTE_CONFLICT');
    expect(err.message).toBe(
      `GET /hello is declared twice: by ${specOf('greet')} routers[0].routes[0] and by ${sourceOf(HelloRoute)}; ` +
        'remove one of them or change its path',
    );
  });

  it('rejects a YAML route whose class takes its path from @Route when another YAML route has that path', async () => {
    const err = (await loadProject({ cwd: PROJECT, configPath: 'both.config.yaml', env: {} }).catch((e: unknown) => e)) as ServError;
    expect(err.code).toBe('SERV_ROUTE_CONFLICT');
    expect(err.message).toBe(
      `GET /hello is declared twice: by ${specOf('greet')} routers[0].routes[0] and by ${specOf('greet_again')} routers[0].routes[0]; ` +
        'remove one of them or change its path',
    );
  });

  it('allows the same path with different methods', async () => {
    const app = await loadProject({ cwd: PROJECT, env: {} });
    expect(() => app.register(HelloPostRoute)).not.toThrow();
    expect(app.routeTable().map((r) => r.methods.join(','))).toEqual(['GET', 'POST']);
  });

  it('treats paths that differ only in parameter names as the same path', () => {
    const err = conflict(() => createApp({ routes: [UserById, UserByUserId] }));
    expect(err.message).toBe(
      `GET /users/{user_id} is declared twice: by ${sourceOf(UserById)} and by ${sourceOf(UserByUserId)}; remove one of them or change its path`,
    );
  });

  it('keeps {id} and {id:int} apart, since they match different paths', () => {
    expect(() => createApp({ routes: [UserById, UserByNumber] })).not.toThrow();
  });

  it('rejects a function route clashing with a decorated one, naming the function source given', () => {
    const app = createApp({ routes: [HelloRoute] });
    const err = conflict(() => app.addRoute({ path: '/hello/', handler: () => 'again', source: 'routes.ts: helloAgain' }));
    expect(err.message).toBe(`GET /hello is declared twice: by ${sourceOf(HelloRoute)} and by routes.ts: helloAgain; remove one of them or change its path`);
  });
});
