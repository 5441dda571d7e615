import {
  App, createApp, createTestClient, Get, Inject, InjectionError, Injectable, Logger, RequestContext, Route, type Constructor, type Provider, type TestClient,
} from '@serv/core';

const silent = (): Logger => new Logger('test', 'silent');

let nextId = 0;

/** Each instance gets a distinct id, so tests can tell instances apart. */
@Injectable()
class Counter {
  readonly id = ++nextId;
  count = 0;
}

const CONFIG = Symbol('CONFIG');
const TRANSIENT = 'TRANSIENT';
const PER_REQUEST = 'PER_REQUEST';
const SINGLE = 'SINGLE';
const USER = 'USER';

@Route('/value')
class ValueRoute {
  constructor(@Inject(CONFIG) private readonly fromConstructor: { greeting: string }) {}
  @Get() get(@Inject(CONFIG) fromParam: { greeting: string }) {
    return { same: fromParam === this.fromConstructor, greeting: fromParam.greeting };
  }
}

@Route('/scoped')
class ScopedRoute {
  @Get() get(
    @Inject(TRANSIENT) t1: Counter,
    @Inject(TRANSIENT) t2: Counter,
    @Inject(PER_REQUEST) r1: Counter,
    @Inject(PER_REQUEST) r2: Counter,
    @Inject(SINGLE) s: Counter,
    @Inject() ctx: RequestContext,
  ) {
    return {
      transient: [t1.id, t2.id],
      request: [r1.id, r2.id],
      requestFromContainer: (ctx.container.resolve(PER_REQUEST) as Counter).id,
      singleton: s.id,
    };
  }
}

@Route('/user')
class UserRoute {
  @Get() get(@Inject(USER) user: string) {
    return user;
  }
}

@Route('/a')
class FirstRoute {
  constructor(private readonly counter: Counter) {}
  @Get() get() {
    this.counter.count += 1;
    return { id: this.counter.id, count: this.counter.count };
  }
}

@Route('/b')
class SecondRoute {
  constructor(private readonly counter: Counter) {}
  @Get() get(@Inject() fromParam: Counter) {
    return { id: this.counter.id, count: this.counter.count, paramIsSame: fromParam === this.counter };
  }
}

@Route('/builtins')
class BuiltinsRoute {
  constructor(private readonly logger: Logger) {}
  @Get() get(@Inject() app: App) {
    return { logger: this.logger === app.logger, app: app.settings.port };
  }
}

describe('providers and scopes', () => {
  const clients: TestClient[] = [];
  const client = (providers: Provider[], routes: Constructor[]): TestClient => {
    const c = createTestClient(createApp({ providers, routes, logger: silent() }));
    clients.push(c);
    return c;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it('injects a useValue provider by token into constructors and handlers alike', async () => {
    const c = client([{ provide: CONFIG, useValue: { greeting: 'hi' } }], [ValueRoute]);
    expect((await c.get('/value')).json()).toEqual({ same: true, greeting: 'hi' });
  });

  it('gives useClass singleton one instance, transient one per injection, request one per request', async () => {
    const c = client(
      [
        { provide: TRANSIENT, useClass: Counter, scope: 'transient' },
        { provide: PER_REQUEST, useClass: Counter, scope: 'request' },
        { provide: SINGLE, useClass: Counter },
      ],
      [ScopedRoute],
    );
    type Ids = { transient: number[]; request: number[]; requestFromContainer: number; singleton: number };
    const first = (await c.get('/scoped')).json<Ids>();
    const second = (await c.get('/scoped')).json<Ids>();

    expect(first.transient[0]).not.toBe(first.transient[1]);
    expect(second.transient).not.toContain(first.transient[0]);

    expect(first.request[0]).toBe(first.request[1]);
    expect(first.requestFromContainer).toBe(first.request[0]);
    expect(second.request[0]).toBe(second.request[1]);
    expect(second.request[0]).not.toBe(first.request[0]);

    expect(second.singleton).toBe(first.singleton);
  });

  it('disposes a request-scoped instance when its request ends', async () => {
    let disposed!: (id: number) => void;
    const disposal = new Promise<number>((resolve) => (disposed = resolve));
    @Injectable()
    class Session {
      readonly id = ++nextId;
      dispose(): void {
        disposed(this.id);
      }
    }
    @Route('/session')
    class SessionRoute {
      @Get() get(@Inject() session: Session) {
        return session.id;
      }
    }
    const c = client([{ provide: Session, useClass: Session, scope: 'request' }], [SessionRoute]);
    const id = Number((await c.get('/session')).text());
    await expect(disposal).resolves.toBe(id);
  });

  it('calls a useFactory singleton once, a transient factory per injection and a request factory with the request container', async () => {
    const calls = { single: 0, transient: 0 };
    const c = client(
      [
        { provide: SINGLE, useFactory: () => ({ id: ++calls.single }) },
        { provide: TRANSIENT, useFactory: () => ({ id: ++calls.transient }), scope: 'transient' },
        { provide: PER_REQUEST, useFactory: () => ({ id: ++nextId }), scope: 'request' },
        { provide: USER, useFactory: (container) => container.resolve(RequestContext).header('x-user') ?? 'anonymous', scope: 'request' },
      ],
      [ScopedRoute, UserRoute],
    );
    const first = (await c.get('/scoped')).json<{ transient: number[]; request: number[]; singleton: number }>();
    await c.get('/scoped');
    expect(calls).toEqual({ single: 1, transient: 4 });
    expect(first.singleton).toBe(1);
    expect(first.transient).toEqual([1, 2]);
    expect(first.request[0]).toBe(first.request[1]);
    expect((await c.get('/user', { headers: { 'x-user': 'ada' } })).text()).toBe('ada');
    expect((await c.get('/user')).text()).toBe('anonymous');
  });

  it('shares an undeclared service as one singleton between route classes of one app, never across apps', async () => {
    const one = client([], [FirstRoute, SecondRoute]);
    const two = client([], [FirstRoute, SecondRoute]);
    const a1 = (await one.get('/a')).json<{ id: number; count: number }>();
    await one.get('/a');
    const b1 = (await one.get('/b')).json<{ id: number; count: number; paramIsSame: boolean }>();
    expect(b1).toEqual({ id: a1.id, count: 2, paramIsSame: true });

    const a2 = (await two.get('/a')).json<{ id: number; count: number }>();
    expect(a2.id).not.toBe(a1.id);
    expect(a2.count).toBe(1);
  });

  it('treats a class in providers as an app singleton', async () => {
    const c = client([Counter], [FirstRoute, SecondRoute]);
    const a = (await c.get('/a')).json<{ id: number }>();
    expect((await c.get('/b')).json()).toEqual({ id: a.id, count: 1, paramIsSame: true });
  });

  it('injects the App and its Logger', async () => {
    const c = client([], [BuiltinsRoute]);
    expect((await c.get('/builtins')).json()).toEqual({ logger: true, app: 8000 });
  });

  it('accepts providers through app.provide() before the app starts', async () => {
    const app = createApp({ routes: [ValueRoute], logger: silent() }).provide({ provide: CONFIG, useValue: { greeting: 'late' } });
    const c = createTestClient(app);
    clients.push(c);
    expect((await c.get('/value')).json()).toEqual({ same: true, greeting: 'late' });
  });

  it('rejects a request-scoped provider in a constructor, whose instance would outlive its request', () => {
    @Route('/held')
    class HoldingRoute {
      constructor(@Inject(PER_REQUEST) readonly held: Counter) {}
      @Get() get() {
        return this.held.id;
      }
    }
    const app = createApp({ routes: [HoldingRoute], providers: [{ provide: PER_REQUEST, useClass: Counter, scope: 'request' }], logger: silent() });
    expect(() => app.prepare()).toThrow(
      `HoldingRoute.get (${app.routeTable()[0].source}): Cannot inject parameter #0 of HoldingRoute's constructor: "PER_REQUEST" is request-scoped ` +
        'but HoldingRoute lives as long as the app; inject it into the handler method instead (@Inject() on a method parameter)',
    );
  });

  it('rejects malformed providers, saying what a provider looks like', () => {
    expect(() => createApp({ providers: [{ provide: 'X' } as unknown as Provider] })).toThrow(
      new InjectionError('The provider for "X" needs useValue, useClass or useFactory'),
    );
    expect(() => createApp({ providers: [42 as unknown as Provider] })).toThrow(
      'A provider must be a class or { provide, useValue | useClass | useFactory }, got 42',
    );
  });
});
