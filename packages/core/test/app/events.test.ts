import {
  App, createApp, createTestClient, Get, Injectable, Logger, On, RequestContext, Route, ServError, type Constructor,
} from '@serv/core';

const silent = (): Logger => new Logger('test', 'silent');

@Route('/ok')
class OkRoute {
  @Get() get() {
    return 'ok';
  }
}

@Route('/boom')
class BoomRoute {
  @Get() get(): string {
    throw new Error('boom');
  }
}

/** A service the listener below gets through constructor injection. */
@Injectable()
class Journal {
  readonly entries: string[] = [];
}

@Injectable()
class JournalListener {
  constructor(
    private readonly journal: Journal,
    private readonly logger: Logger,
  ) {}

  @On('app.startup') started({ app }: { app: App }) {
    this.journal.entries.push(`startup ${app === undefined ? 'no app' : 'with app'} logger=${this.logger.name}`);
  }

  @On('app.shutdown') stopped() {
    this.journal.entries.push('shutdown');
  }

  @On('order.placed') placed(payload: { id: number }) {
    this.journal.entries.push(`order ${payload.id}`);
  }
}

describe('events', () => {
  it('runs app.startup before listen() resolves and app.shutdown after the server closed', async () => {
    const trace: string[] = [];
    const app = createApp({ routes: [OkRoute], logger: silent() });
    app.on('app.startup', async () => {
      await Promise.resolve();
      trace.push(`startup listening=${app.address !== undefined}`);
    });
    app.on('app.shutdown', () => {
      trace.push(`shutdown listening=${app.address !== undefined}`);
    });
    const client = createTestClient(app);
    await client.get('/ok');
    trace.push('request');
    await client.close();
    expect(trace).toEqual(['startup listening=false', 'request', 'shutdown listening=false']);
  });

  it('emits app.request.begin and app.request.end with the request, and the error on failure', async () => {
    const seen: string[] = [];
    const app = createApp({ routes: [OkRoute, BoomRoute], logger: silent() });
    let ended!: () => void;
    let pending = 0;
    const allEnded = new Promise<void>((resolve) => (ended = resolve));
    app.on<{ ctx: RequestContext }>('app.request.begin', ({ ctx }) => {
      seen.push(`begin ${ctx.method} ${ctx.path}`);
    });
    app.on<{ ctx: RequestContext; error?: unknown }>('app.request.end', ({ ctx, error }) => {
      const what = error === undefined ? 'ok' : `${(error as Error).constructor.name}: ${(error as Error).message}`;
      seen.push(`end ${ctx.path} ${ctx.response?.status} ${what}`);
      if (++pending === 3) ended();
    });
    const client = createTestClient(app);
    try {
      await client.get('/ok');
      await client.get('/boom');
      await client.get('/missing');
      await allEnded;
    } finally {
      await client.close();
    }
    expect(seen).toEqual([
      'begin GET /ok',
      'end /ok 200 ok',
      'begin GET /boom',
      'end /boom 500 Error: boom',
      'begin GET /missing',
      'end /missing 404 NotFoundError: No route found for GET /missing',
    ]);
  });

  it('constructs @On listener classes with constructor injection (@Injectable) and calls their methods', async () => {
    const app = createApp({ listeners: [JournalListener], logger: new Logger('journal', 'silent') });
    await app.start();
    const journal = app.container.resolve(Journal);
    await app.emit('order.placed', { id: 7 });
    await app.close();
    expect(journal.entries).toEqual(['startup with app logger=journal', 'order 7', 'shutdown']);
  });

  it('answers 500 when an app.request.begin listener throws, naming the event in the log', async () => {
    const lines: string[] = [];
    const app = createApp({ routes: [OkRoute], logger: new Logger('test', 'error', (_level, line) => lines.push(line)) });
    app.on('app.request.begin', () => {
      throw new Error('audit is down');
    });
    const client = createTestClient(app);
    try {
      const res = await client.get('/ok');
      expect(res.status).toBe(500);
      expect(lines[0]).toMatch(/ERROR \[test\] GET \/ok failed\nServError: 1 listener\(s\) of "app.request.begin" failed: audit is down\n/);
    } finally {
      await client.close();
    }
  });

  it('fails listen() when an app.startup listener throws, and binds nothing', async () => {
    const app = createApp({ routes: [OkRoute], logger: silent() });
    app.on('app.startup', () => {
      throw new Error('database unreachable');
    });
    const err = await app.listen({ host: '127.0.0.1', port: 0 }).catch((e: unknown) => e as ServError);
    expect(err).toBeInstanceOf(ServError);
    expect((err as ServError).code).toBe('SERV_EVENT_LISTENER');
    expect((err as ServError).message).toBe('1 listener(s) of "app.startup" failed: database unreachable');
    expect(app.address).toBeUndefined();
    await app.close();
  });

  it('stops calling a listener after its unsubscribe function runs', async () => {
    const app = createApp({ logger: silent() });
    const calls: number[] = [];
    const off = app.on<{ n: number }>('tick', ({ n }) => {
      calls.push(n);
    });
    await app.emit('tick', { n: 1 });
    off();
    await app.emit('tick', { n: 2 });
    expect(calls).toEqual([1]);
    expect(app.hasListeners('tick')).toBe(false);
  });

  it('refuses a listener class without @On methods', () => {
    class Deaf {}
    expect(() => createApp({ listeners: [Deaf as Constructor] })).toThrow(
      'Deaf has no @On(event) methods, so it would never be called; add one or remove it',
    );
  });

  it('refuses @On with an empty event name at decoration time', () => {
    class Listener {
      handle(): void {}
    }
    const descriptor = Object.getOwnPropertyDescriptor(Listener.prototype, 'handle') as PropertyDescriptor;
    expect(() => On('')(Listener.prototype, 'handle', descriptor)).toThrow('@On("") on Listener.handle: the event name must be a non-empty string');
  });
});
