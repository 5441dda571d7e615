import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { defaultSettings, type ServSettings } from '../config/serv-settings';
import { compileHandler, instanceOf, type Invoker } from '../di/handler-compiler';
import { registerProvider, type Provider, type ProviderScope } from '../di/providers';
import { MethodNotAllowedError, NotFoundError } from '../errors/http-errors';
import { RouteDefinitionError, ServError } from '../errors/serv-error';
import { defaultErrorResponse } from '../http/error-response';
import type { BaseContext } from '../http/base-context';
import { RequestContext } from '../http/request-context';
import { Response, toResponse } from '../http/responses';
import { Logger } from '../logging/logger';
import { meta, type Constructor, type HttpMethod } from '../metadata/store';
import { compilePath, joinPaths, normalizePath } from '../routing/path-pattern';
import type { HandlerTarget, RouteInfo, RouteRecord } from '../routing/route-record';
import { RouteTable } from '../routing/route-table';
import type { AppOptions, ListenAddress } from './app-options';
import { EventBus, type EventListener } from './events';
import { compose, type HttpMiddleware } from './middleware';
import { getProtocol, registeredProtocols, type Protocol, type ProtocolRuntime } from './protocols';
import { rejectUpgrade } from './reject-upgrade';
import { isClass, routesOfClass, type RouteDeclaration } from './route-declaration';

/** Handles errors of one type: returns a Response or a plain value, or throws to fall through to the default. */
export type ErrorHandler<E extends Error = Error> = (error: E, ctx: RequestContext) => unknown;

type Pipeline = (ctx: RequestContext) => Promise<void>;
type ListenerInstance = Record<string, (payload: unknown) => unknown>;
type AppState = 'building' | 'starting' | 'started' | 'closing' | 'closed';

const ROUTING_ERROR = Symbol('serv.routingError');
type RoutedContext = RequestContext & { [ROUTING_ERROR]?: Error };

/** A Serv application: its own container, settings, route table, middleware, events and server. */
export class App {
  /** The app's own child container; two apps never share registrations or singletons. */
  readonly container: DependencyContainer;
  readonly settings: ServSettings;
  readonly logger: Logger;
  readonly siteInfo: { name?: string; description?: string };
  /** Every route from every registration source. */
  readonly routes = new RouteTable();
  private readonly events = new EventBus();
  private readonly scopes = new Map<unknown, ProviderScope>();
  private readonly middleware: HttpMiddleware[] = [];
  private readonly errorHandlers = new Map<unknown, ErrorHandler>();
  private readonly listenerClasses: Constructor[] = [];
  private listenerInstances: Array<[Constructor, ListenerInstance]> = [];
  private readonly pipelines = new Map<RouteRecord, Pipeline>();
  private readonly invokers = new Map<RouteRecord, Invoker>();
  private readonly directs = new Map<RouteRecord, Invoker>();
  private readonly runtimes = new Map<string, ProtocolRuntime>();
  private readonly httpScoped = new Map<unknown, (ctx: BaseContext) => unknown>([[RequestContext, (ctx) => ctx]]);
  private fallback: Pipeline | undefined;
  private prepared: Map<string, Protocol> | undefined;
  private state: AppState = 'building';
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private server: Server | undefined;
  private readonly inFlight = new Set<RequestContext>();
  private onDrained: (() => void) | undefined;

  constructor(options: AppOptions = {}) {
    this.settings = { ...defaultSettings(), ...options.settings };
    this.siteInfo = options.siteInfo ?? {};
    this.logger = options.logger ?? new Logger('serv', this.settings.debug ? 'debug' : 'info');
    this.container = rootContainer.createChildContainer();
    this.container.register(App, { useValue: this });
    this.container.register(Logger, { useValue: this.logger });
    this.scopes.set(App, 'singleton').set(Logger, 'singleton');
    for (const p of options.providers ?? []) this.provide(p);
    for (const m of options.middleware ?? []) this.use(m);
    for (const r of options.routes ?? []) this.register(r);
    for (const l of options.listeners ?? []) this.addListener(l);
  }

  /** Provide a service, value or factory for injection (before the app starts). */
  provide(provider: Provider): this {
    this.assertBuilding('provide a service');
    registerProvider(this.container, provider, this.scopes);
    return this;
  }

  /** Register a decorated class: `@Route` classes give one route per `@Get()`…, `@WebSocketRoute` classes one route. */
  register(cls: Constructor, declaration: Omit<RouteDeclaration, 'handler'> = {}): this {
    this.assertBuilding('register a route');
    for (const record of routesOfClass(cls, declaration)) this.routes.add(record);
    return this;
  }

  /** Add a route from another source (YAML): a class, or a plain function `(ctx)` for HTTP or `(ws, ctx)` for WebSocket. */
  addRoute(declaration: RouteDeclaration & { kind?: 'http'; handler: Constructor | ((ctx: RequestContext) => unknown) }): this;
  addRoute(declaration: RouteDeclaration & { handler: Constructor | ((...args: never[]) => unknown) }): this;
  addRoute(declaration: RouteDeclaration & { handler: Constructor | ((...args: never[]) => unknown) }): this {
    this.assertBuilding('add a route');
    const { handler } = declaration;
    if (isClass(handler)) return this.register(handler as Constructor, declaration);
    const kind = declaration.kind ?? 'http';
    const source = declaration.source ?? `function ${handler.name || 'anonymous'}`;
    if (declaration.path === undefined) throw new RouteDefinitionError(`${source}: a function handler needs a path`);
    const path = joinPaths(declaration.mount ?? '/', declaration.path);
    const fn = handler as (...args: never[]) => unknown;
    const target: HandlerTarget = { type: 'function', fn, name: fn.name || 'anonymous' };
    this.routes.add({
      kind,
      path,
      pattern: compilePath(path, source),
      methods: kind === 'http' ? declaration.methods ?? ['GET'] : [],
      target,
      settings: declaration.settings ?? {},
      options: declaration.options ?? {},
      middleware: declaration.middleware ?? [],
      source,
    });
    return this;
  }

  /** Add app-wide HTTP middleware (outermost first). */
  use(middleware: HttpMiddleware): this {
    this.assertBuilding('add middleware');
    if (typeof middleware !== 'function') throw new ServError('SERV_APP_STATE', `app.use() needs a function (ctx, next) => …, got ${typeof middleware}`);
    this.middleware.push(middleware);
    return this;
  }

  /** Subscribe to an event (`app.startup`, `app.request.end`, …); returns the unsubscribe function. */
  on<P = Record<string, unknown>>(event: string, listener: EventListener<P>): () => void {
    return this.events.on(event, listener);
  }

  /** Whether any listener is subscribed to `event`. */
  hasListeners(event: string): boolean {
    return this.events.has(event);
  }

  /** Emit an event to its listeners, concurrently; rejects if any listener failed. */
  emit<P>(event: string, payload: P): Promise<void> {
    return this.events.emit(event, payload);
  }

  /** Register a listener class whose `@On(event)` methods subscribe when the app starts. */
  addListener(cls: Constructor): this {
    this.assertBuilding('add a listener');
    if (meta.getListeners(cls).length === 0) {
      throw new ServError('SERV_APP_STATE', `${cls.name} has no @On(event) methods, so it would never be called; add one or remove it`);
    }
    this.listenerClasses.push(cls);
    return this;
  }

  /**
   * Answer errors of `type` (and its subclasses) with `handler`; for an error matched by several registered types the
   * most specific class wins, and registering a type again replaces its handler.
   */
  addErrorHandler<E extends Error>(type: Constructor<E>, handler: ErrorHandler<E>): this {
    this.errorHandlers.set(type, handler as ErrorHandler);
    return this;
  }

  /** The handler of the nearest class in the error's prototype chain (like Starlette's lookup along the MRO). */
  private errorHandlerFor(err: unknown): ErrorHandler | undefined {
    if (this.errorHandlers.size === 0 || typeof err !== 'object' || err === null) return undefined;
    for (let proto: unknown = Object.getPrototypeOf(err); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      const handler = this.errorHandlers.get((proto as { constructor: unknown }).constructor);
      if (handler !== undefined) return handler;
    }
    return undefined;
  }

  /** The route table as `serv routes` prints it. */
  routeTable(): RouteInfo[] {
    return this.routes.describe();
  }

  /** The compiled handler of a route (for protocol packages); available once the app started. */
  invokerFor(record: RouteRecord): Invoker {
    const invoker = this.invokers.get(record);
    if (invoker === undefined) throw new ServError('SERV_APP_STATE', `No compiled handler for ${record.path}: the app has not started`);
    return invoker;
  }

  /** Validate and compile every route, start protocols, run `app.startup` listeners. Idempotent. */
  start(): Promise<void> {
    this.starting ??= this.doStart().catch((err: unknown) => {
      this.state = 'building';
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  /**
   * Validate and compile every route now (constructing route classes and their services) without starting
   * anything; `serv launch --dry-run` uses it. Errors name the class, the method and the parameter.
   */
  prepare(): void {
    if (this.prepared !== undefined) return;
    this.prepared = this.compileAll();
  }

  private async doStart(): Promise<void> {
    this.state = 'starting';
    this.prepare();
    const protocols = this.prepared as Map<string, Protocol>;
    for (const [cls, instance] of this.listenerInstances) {
      for (const l of meta.getListeners(cls)) this.events.on(l.event, (payload) => instance[l.propertyKey](payload));
    }
    for (const protocol of protocols.values()) this.runtimes.set(protocol.upgrade, protocol.attach(this));
    await this.events.emit('app.startup', { app: this });
    this.state = 'started';
  }

  private compileAll(): Map<string, Protocol> {
    const kinds = new Set(this.routes.all().map((r) => r.kind));
    const protocols = new Map<string, Protocol>();
    for (const kind of kinds) {
      if (kind === 'http') continue;
      const protocol = getProtocol(kind);
      if (protocol === undefined) {
        const first = this.routes.ofKind(kind)[0];
        throw new ServError('SERV_PROTOCOL_MISSING', `${first.source}: ${kind} routes need the @serv/${kind} package; install it (npm install @serv/${kind})`);
      }
      protocols.set(kind, protocol);
    }
    for (const p of registeredProtocols()) protocols.set(p.kind, p);
    for (const record of this.routes.all()) {
      if (record.kind === 'http') {
        const invoker = compileHandler(record, {
          container: this.container,
          scopes: this.scopes,
          scopedTokens: this.httpScoped,
          functionArgs: (ctx) => [ctx],
          allowBody: true,
        });
        this.invokers.set(record, invoker);
        if (this.middleware.length === 0 && record.middleware.length === 0) this.directs.set(record, invoker);
        this.pipelines.set(record, compose([...this.middleware, ...(record.middleware as HttpMiddleware[])], async (ctx) => {
          const result = invoker(ctx);
          ctx.response = toResponse(result instanceof Promise ? await result : result);
        }));
        continue;
      }
      const protocol = protocols.get(record.kind) as Protocol;
      record.options = protocol.resolveOptions(record, this);
      this.invokers.set(record, compileHandler(record, {
        container: this.container,
        scopes: this.scopes,
        scopedTokens: protocol.scopedTokens,
        functionArgs: (ctx) => protocol.functionArgs(ctx),
        allowBody: false,
      }));
    }
    this.fallback = compose(this.middleware, async (ctx: RoutedContext) => {
      throw ctx[ROUTING_ERROR] as Error;
    });
    // Constructed here rather than at start so that prepare() (serv launch --dry-run) reports their injection errors too.
    this.listenerInstances = this.listenerClasses.map((cls) => [
      cls,
      instanceOf({ container: this.container, scopes: this.scopes }, cls, `listener ${cls.name}`) as ListenerInstance,
    ]);
    return protocols;
  }

  /** Start and listen; resolves with the bound address (`port: 0` picks a free port). */
  async listen(options: { host?: string; port?: number } = {}): Promise<ListenAddress> {
    if (this.server !== undefined) throw new ServError('SERV_APP_STATE', 'app.listen() was already called; create another app to listen twice');
    await this.start();
    let server: Server;
    try {
      server = this.createServer();
    } catch (err) {
      await this.close();
      throw err;
    }
    this.server = server;
    const host = options.host ?? this.settings.host;
    const port = options.port ?? this.settings.port;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(new ServError('SERV_LISTEN', `Cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    }).catch(async (err: unknown) => {
      this.server = undefined;
      await this.close();
      throw err;
    });
    server.on('error', (err) => this.logger.error('Server error', err));
    return this.address as ListenAddress;
  }

  /** Where the app listens, once it does. */
  get address(): ListenAddress | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (a === undefined || a === null) return undefined;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return { host: a.address, port: a.port, url: `${this.settings.tls === undefined ? 'http' : 'https'}://${host}:${a.port}` };
  }

  /** Node's request listener, for mounting the app on a server of your own. */
  readonly handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.state !== 'started') {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Server is not accepting requests');
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = normalizePath(q < 0 ? url : url.slice(0, q));
    const ctx = new RequestContext(this, req, res, path, q < 0 ? '' : url.slice(q + 1)) as RoutedContext;
    const match = this.routes.matchHttp(req.method ?? 'GET', path);
    let pipeline: Pipeline;
    if (match === null) {
      ctx[ROUTING_ERROR] = new NotFoundError(`No route found for ${req.method} ${path}`);
      pipeline = this.fallback as Pipeline;
    } else if (match.route === null) {
      ctx[ROUTING_ERROR] = new MethodNotAllowedError(req.method ?? 'GET', path, match.allowed);
      pipeline = this.fallback as Pipeline;
    } else {
      ctx.params = match.params;
      ctx.settings = match.route.settings;
      pipeline = this.pipelines.get(match.route) as Pipeline;
      const direct = this.directs.get(match.route);
      if (direct !== undefined && !this.settings.debug && !this.events.has('app.request.begin') && !this.events.has('app.request.end')) {
        // The common case (no middleware, no request listeners) answers synchronously, without promises.
        let result: unknown;
        try {
          result = direct(ctx);
        } catch (err) {
          result = Promise.reject(err);
        }
        if (!(result instanceof Promise) && this.respondNow(ctx, result)) return;
        pipeline = async (c) => {
          c.response = toResponse(await result);
        };
      }
    }
    this.run(ctx, pipeline).catch((err: unknown) => this.abandon(ctx, err));
  };

  /** Write a plain string or JSON value at once; false leaves anything else to the general path. */
  private respondNow(ctx: RequestContext, value: unknown): boolean {
    let body: string;
    let type: string;
    if (typeof value === 'string') {
      body = value;
      type = 'text/plain; charset=utf-8';
    } else if (typeof value === 'object' && value !== null && !(value instanceof Response) && !(value instanceof Uint8Array)) {
      try {
        body = JSON.stringify(value);
      } catch {
        return false;
      }
      type = 'application/json; charset=utf-8';
    } else {
      return false;
    }
    ctx.res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    ctx.res.end(ctx.method === 'HEAD' ? undefined : body);
    if (ctx.hasScope) ctx.dispose().catch((err: unknown) => this.logger.error('Disposing the request container failed', err));
    return true;
  }

  /** Last resort when answering itself failed (a throwing log sink, say): drop the connection, never the process. */
  private abandon(ctx: RequestContext, err: unknown): void {
    this.requestFinished(ctx);
    ctx.res.destroy();
    try {
      this.logger.error(`Answering ${ctx.method} ${ctx.path} failed; the connection was dropped`, err);
    } catch {
      // The logger is what failed; there is nowhere left to report to.
    }
  }

  private async run(ctx: RequestContext, pipeline: Pipeline): Promise<void> {
    const started = this.settings.debug ? performance.now() : 0;
    this.inFlight.add(ctx);
    let error: unknown;
    try {
      if (this.events.has('app.request.begin')) await this.events.emit('app.request.begin', { app: this, ctx });
      await pipeline(ctx);
      if (ctx.response === undefined) {
        throw new ServError('SERV_NO_RESPONSE', `${ctx.method} ${ctx.path}: the middleware finished without calling next() or setting ctx.response`);
      }
    } catch (err) {
      error = err;
      ctx.response = await this.errorResponse(err, ctx);
    }
    try {
      const response = ctx.response as Response;
      await response.write(ctx.res, ctx.method === 'HEAD');
    } catch (err) {
      error ??= err;
      this.logger.error(`Writing the response to ${ctx.method} ${ctx.path} failed`, err);
      ctx.res.destroy();
    }
    if (this.settings.debug) {
      this.logger.debug(`${ctx.method} ${ctx.path} ${ctx.res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
    }
    if (this.events.has('app.request.end')) {
      await this.events.emit('app.request.end', { app: this, ctx, error }).catch((err: unknown) => this.logger.error('app.request.end listener failed', err));
    }
    this.requestFinished(ctx);
    await ctx.dispose().catch((err: unknown) => this.logger.error('Disposing the request container failed', err));
  }

  private async errorResponse(err: unknown, ctx: RequestContext): Promise<Response> {
    const handler = this.errorHandlerFor(err);
    if (handler !== undefined) {
      try {
        return toResponse(await handler(err as Error, ctx));
      } catch (inner) {
        err = inner;
      }
    }
    // `throw null` and `throw 'text'` are legal JavaScript; reading `.status` off null used to reject here, unhandled.
    const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
    if (typeof status !== 'number' || status >= 500) this.logger.error(`${ctx.method} ${ctx.path} failed`, err);
    return defaultErrorResponse(err, ctx.header('accept'), this.settings.debug);
  }

  private createServer(): Server {
    const tls = this.settings.tls;
    const server: Server =
      tls === undefined
        ? createHttpServer(this.handleRequest)
        : (createHttpsServer({ cert: readTlsFile(tls.certFile, 'cert_file'), key: readTlsFile(tls.keyFile, 'key_file') }, this.handleRequest) as unknown as Server);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    return server;
  }

  /** Route an HTTP upgrade to the protocol that serves it; unknown protocols get 400. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const kind = (req.headers.upgrade ?? '').toLowerCase();
    const runtime = this.runtimes.get(kind);
    if (runtime === undefined || this.state !== 'started') {
      const path = normalizePath((req.url ?? '/').split('?', 1)[0]);
      if (this.state !== 'started') rejectUpgrade(socket, 503, 'Server is shutting down');
      else if (kind === 'websocket') rejectUpgrade(socket, 403, `No WebSocket route matches ${path}`);
      else rejectUpgrade(socket, 400, `Upgrade to "${kind}" is not supported`);
      return;
    }
    runtime.handleUpgrade(req, socket, head);
  }

  /**
   * Graceful shutdown: stop accepting, send WebSocket connections 1001 at once and give their handlers
   * `shutdown_grace_ms` to return (then terminate the rest), let in-flight requests finish within the same grace,
   * run `app.shutdown` listeners. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    const wasStarted = this.state === 'started';
    this.state = 'closing';
    const server = this.server;
    const closed = server === undefined ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
    const grace = this.settings.shutdownGraceMs;
    await Promise.all([...this.runtimes.values()].map((r) => r.close(grace).catch((err: unknown) => this.logger.error('Protocol shutdown failed', err))));
    if (server !== undefined) {
      server.closeIdleConnections();
      if (this.inFlight.size > 0) await this.drainRequests(grace);
      server.closeAllConnections();
    }
    await closed;
    if (wasStarted) {
      await this.events.emit('app.shutdown', { app: this }).catch((err: unknown) => this.logger.error('app.shutdown listener failed', err));
    }
    await this.container.dispose();
    this.state = 'closed';
  }

  /** Resolves when the last in-flight request finished, or after `graceMs`, whichever comes first. */
  private drainRequests(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.onDrained = undefined;
        resolve();
      };
      const timer = setTimeout(done, graceMs);
      timer.unref();
      this.onDrained = done;
    });
  }

  private requestFinished(ctx: RequestContext): void {
    this.inFlight.delete(ctx);
    if (this.inFlight.size === 0) this.onDrained?.();
  }


  private assertBuilding(what: string): void {
    if (this.state !== 'building' || this.prepared !== undefined) {
      throw new ServError('SERV_APP_STATE', `Cannot ${what} after the app has started; do it before app.listen() or app.start()`);
    }
  }
}

/** The HTTP method list of a route declaration, validated. */
export type { HttpMethod };

function readTlsFile(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ServError('SERV_LISTEN', `settings.tls.${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); point it at a PEM file`, { cause: err });
  }
}
