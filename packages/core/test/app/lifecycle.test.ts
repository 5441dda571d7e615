import { Agent, createServer, get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApp, createTestClient, Get, Logger, On, Route, ServError, type App } from '@serv/core';

const silent = (): Logger => new Logger('test', 'silent');

@Route('/hello')
class HelloRoute {
  @Get() get() {
    return 'hello';
  }
}

@Route('/other')
class OtherRoute {
  @Get() get() {
    return 'other';
  }
}

class StartupListener {
  @On('app.startup') started(): void {}
}

/** GET through a keep-alive agent; resolves with the body and the client-side socket, which stays open afterwards. */
function keepAliveGet(url: string, agent: Agent): Promise<{ body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ body, socket: req.socket as Socket }));
    });
    req.on('error', reject);
  });
}

describe('app lifecycle', () => {
  it('resolves listen() with the bound address when port 0 is asked for', async () => {
    const app = createApp({ routes: [HelloRoute], logger: silent() });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(address.host).toBe('127.0.0.1');
      expect(address.port).toBeGreaterThan(0);
      expect(address.url).toBe(`http://127.0.0.1:${address.port}`);
      expect(app.address).toEqual(address);
    } finally {
      await app.close();
    }
  });

  it('closes even while a keep-alive client holds an idle connection open', async () => {
    // A grace period far beyond Jest's timeout: close() must not wait on idle sockets at all.
    const app = createApp({ routes: [HelloRoute], settings: { shutdownGraceMs: 60_000 }, logger: silent() });
    const { url } = await app.listen({ host: '127.0.0.1', port: 0 });
    const agent = new Agent({ keepAlive: true });
    try {
      const { body, socket } = await keepAliveGet(`${url}/hello`, agent);
      expect(body).toBe('hello');
      expect(socket.destroyed).toBe(false);
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await app.close();
      await socketClosed;
    } finally {
      agent.destroy();
    }
  });

  it('lets an in-flight request finish before close() resolves', async () => {
    let entered!: () => void;
    let release!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    @Route('/slow')
    class SlowRoute {
      @Get() async get() {
        entered();
        await gate;
        return 'finished';
      }
    }
    const client = createTestClient(createApp({ routes: [SlowRoute], settings: { shutdownGraceMs: 60_000 }, logger: silent() }));
    const response = client.get('/slow');
    await handlerEntered;
    let closed = false;
    const closing = client.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    release();
    const res = await response;
    expect([res.status, res.text()]).toEqual([200, 'finished']);
    await closing;
    expect(closed).toBe(true);
  });

  it('returns the same promise from repeated close() calls and closes an app that never started', async () => {
    const app = createApp({ logger: silent() });
    let shutdowns = 0;
    app.on('app.shutdown', () => {
      shutdowns += 1;
    });
    const first = app.close();
    expect(app.close()).toBe(first);
    await first;
    expect(shutdowns).toBe(0);
  });

  it('refuses every registration once the app has started, saying when to do it instead', async () => {
    const app = createApp({ routes: [HelloRoute], logger: silent() });
    await app.start();
    try {
      const message = (what: string): string => `Cannot ${what} after the app has started; do it before app.listen() or app.start()`;
      expect(() => app.register(OtherRoute)).toThrow(new ServError('SERV_APP_STATE', message('register a route')));
      expect(() => app.addRoute({ path: '/fn', handler: () => 'fn' })).toThrow(message('add a route'));
      expect(() => app.use(async (_ctx, next) => next())).toThrow(message('add middleware'));
      expect(() => app.provide({ provide: 'X', useValue: 1 })).toThrow(message('provide a service'));
      expect(() => app.addListener(StartupListener)).toThrow(message('add a listener'));
    } finally {
      await app.close();
    }
  });

  it('refuses registrations after prepare(), which has already compiled the route table', () => {
    const app = createApp({ routes: [HelloRoute], logger: silent() });
    app.prepare();
    expect(() => app.register(OtherRoute)).toThrow('Cannot register a route after the app has started; do it before app.listen() or app.start()');
  });

  it('rejects a second listen() on the same app', async () => {
    const app = createApp({ logger: silent() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await expect(app.listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow('app.listen() was already called; create another app to listen twice');
    } finally {
      await app.close();
    }
  });

  it('rejects listen() on a taken port with a message naming host:port, and cleans up', async () => {
    const first = createApp({ logger: silent() });
    const { port } = await first.listen({ host: '127.0.0.1', port: 0 });
    const second = createApp({ logger: silent() });
    try {
      const err = (await second.listen({ host: '127.0.0.1', port }).catch((e: unknown) => e)) as ServError;
      expect(err).toBeInstanceOf(ServError);
      expect(err.code).toBe('SERV_LISTEN');
      expect(err.message).toBe(`Cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
      expect(second.address).toBeUndefined();
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('serves through app.handleRequest on a server of your own once started, 503 before', async () => {
    const app: App = createApp({ routes: [HelloRoute], logger: silent() });
    const server = createServer(app.handleRequest);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello`;
    const fetchText = (): Promise<[number, string]> =>
      new Promise((resolve, reject) => {
        httpGet(url, { agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve([res.statusCode ?? 0, body]));
        }).on('error', reject);
      });
    try {
      expect(await fetchText()).toEqual([503, 'Server is not accepting requests']);
      await app.start();
      expect(await fetchText()).toEqual([200, 'hello']);
    } finally {
      await app.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
