import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { checkSettingsFields, defaultSettings, type ServSettings } from '../config/serv-settings';
import type { Invoker } from '../di/handler-compiler';
import { registerProvider, type Provider, type ProviderScope } from '../di/providers';
import { RouteDefinitionError, ServError } from '../errors/serv-error';
import type { RequestContext } from '../http/request-context';
import { ProxyTrust } from '../http/proxy-trust';
import { readTrustProxy } from '../config/operations-settings';
import { defaultLogFormat, Logger } from '../logging/logger';
import { RequestLog } from '../logging/request-log';
import { meta, type Constructor, type HttpMethod } from '../metadata/store';
import { AppMetrics } from '../metrics/app-metrics';
import type { RouteInfo, RouteRecord } from '../routing/route-record';
import { RouteTable } from '../routing/route-table';
import { SessionManager } from '../sessions/session-manager';
import type { AppOptions, ListenAddress } from './app-options';
import { ErrorHandlers, type ErrorHandler } from './error-handlers';
import { EventBus, type EventListener } from './events';
import { HttpDispatcher } from './http-dispatcher';
import type { HttpMiddleware } from './middleware';
import { OpsEndpoints, type Readiness } from './ops-endpoints';
import { compileRoutes, instantiateListeners, type CompiledRoutes } from './route-compiler';
import { isClass, routeOfFunction, routesOfClass, type RouteDeclaration } from './route-declaration';
import { ServerHost } from './server-host';
import { UpgradeDispatcher } from './upgrade-dispatcher';
import type { Registry } from 'prom-client';

export type { ErrorHandler, Readiness };

type ListenerInstance = Record<string, (payload: unknown) => unknown>;
type AppState = 'building' | 'starting' | 'started' | 'closing' | 'closed';

/**
 * A Serv application: its own container, settings, route table, middleware, events and server. It wires the jobs
 * together; compiling routes (route-compiler), answering requests (http-dispatcher), upgrades (upgrade-dispatcher)
 * and hosting the server (server-host) each live in their own file.
 */
export class App {
  /** The app's own child container; two apps never share registrations or singletons. */
  readonly container: DependencyContainer;
  readonly settings: ServSettings;
  readonly logger: Logger;
  /** Which forwarded headers to believe (`settings.trust_proxy`); contexts and the WebSocket package resolve clients with it. */
  readonly proxyTrust: ProxyTrust;
  /** The per-request log line and request ids; add paths to `requestLog.excludedPaths` to keep them out of the log. */
  readonly requestLog: RequestLog;
  readonly siteInfo: { name?: string; description?: string };
  /** Every route from every registration source. */
  readonly routes = new RouteTable();
  /** Node's request listener, for mounting the app on a server of your own. */
  readonly handleRequest: (req: IncomingMessage, res: ServerResponse) => void;
  private readonly events = new EventBus();
  private readonly scopes = new Map<unknown, ProviderScope>();
  private readonly middleware: HttpMiddleware[] = [];
  private readonly errors: ErrorHandlers;
  private readonly listenerClasses: Constructor[] = [];
  private readonly host: ServerHost;
  private readonly http: HttpDispatcher;
  private readonly upgrades = new UpgradeDispatcher();
  private readonly metrics: AppMetrics | undefined;
  private readonly ops: OpsEndpoints;
  private compiled: CompiledRoutes | undefined;
  private sessions: SessionManager | undefined;
  private listenerInstances: Array<[Constructor, object]> = [];
  private state: AppState = 'building';
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: AppOptions = {}) {
    checkSettingsFields(options.settings);
    this.settings = { ...defaultSettings(), ...options.settings };
    this.siteInfo = options.siteInfo ?? {};
    const s = this.settings;
    this.logger = options.logger ?? new Logger('serv', s.logLevel ?? (s.debug ? 'debug' : 'info'), undefined, s.logFormat === 'json' || s.logFormat === 'pretty' ? s.logFormat : defaultLogFormat());
    this.proxyTrust = ProxyTrust.from(readTrustProxy(s.trustProxy));
    this.requestLog = new RequestLog(this.logger, this.proxyTrust);
    this.container = rootContainer.createChildContainer();
    this.container.register(App, { useValue: this });
    this.container.register(Logger, { useValue: this.logger });
    this.scopes.set(App, 'singleton').set(Logger, 'singleton');
    this.errors = new ErrorHandlers(this.logger, this.settings);
    this.host = new ServerHost(this.settings, this.logger);
    this.metrics = this.settings.metrics === false ? undefined : new AppMetrics();
    this.ops = new OpsEndpoints(this.settings, this.metrics, () => this.readiness(), this.logger);
    this.http = new HttpDispatcher(this, this.routes, this.settings, this.events, this.errors, this.logger, this.host, this.requestLog, this.ops, this.metrics?.http);
    this.handleRequest = this.http.handle;
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

  /** Register a decorated class: `@Route` classes give one route per `@Get()`…, protocol classes (`@WebSocketRoute`) one route. */
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
    if (isClass(declaration.handler)) return this.register(declaration.handler as Constructor, declaration);
    this.routes.add(routeOfFunction(declaration as RouteDeclaration & { handler: (...args: never[]) => unknown }));
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
    this.errors.set(type, handler as ErrorHandler);
    return this;
  }

  /** The route table as `serv routes` prints it. */
  routeTable(): RouteInfo[] {
    return this.routes.describe();
  }

  /** The app's own prom-client registry (`/metrics`), for metrics of your own; undefined when `settings.metrics` is false. */
  get metricsRegistry(): Registry | undefined {
    return this.metrics?.registry;
  }

  /** Whether `path` is an operations endpoint (metrics, health): they skip middleware, metrics and request logs. */
  isOperationsPath(path: string): boolean {
    return this.ops.has(path);
  }

  /**
   * What `/readyz` answers: ready once started (so listening) with every dependency a protocol checks reachable
   * (`@serv/websocket`: the broker and the message store); not while starting or shutting down.
   */
  async readiness(): Promise<Readiness> {
    if (this.state === 'closing' || this.state === 'closed') return { ready: false, status: 'draining', checks: {} };
    if (this.state !== 'started') return { ready: false, status: 'starting', checks: {} };
    const checks: Record<string, boolean> = {};
    for (const found of await Promise.all(this.upgrades.running().map((r) => r.readiness?.() ?? {}))) Object.assign(checks, found);
    const sessions = this.sessions?.reachable();
    if (sessions !== undefined) checks.sessions = sessions;
    const ready = Object.values(checks).every(Boolean);
    return { ready, status: ready ? 'ready' : 'dependency down', checks };
  }

  /** The compiled handler of a route (for protocol packages); available once the app started. */
  invokerFor(record: RouteRecord): Invoker {
    const invoker = this.compiled?.invokers.get(record);
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
    if (this.compiled !== undefined) return;
    if (this.settings.sessions !== undefined) this.sessions ??= SessionManager.create(this.settings.sessions, this.logger);
    const input = { app: this, routes: this.routes, container: this.container, scopes: this.scopes, middleware: this.middleware, sessions: this.sessions };
    for (const path of this.ops.all()) {
      const taken = this.routes.all().find((r) => r.kind === 'http' && r.pattern.isStatic && r.path === path);
      if (taken !== undefined) {
        throw new RouteDefinitionError(
          `${taken.source}: the route ${taken.path} takes the path of an operations endpoint (settings.metrics / settings.health); ` +
            'change the route\'s path, or move the endpoint in serv.config.yaml (or turn it off with false)',
          'SERV_ROUTE_CONFLICT',
        );
      }
    }
    this.compiled = compileRoutes(input);
    this.listenerInstances = instantiateListeners(input, this.listenerClasses);
  }

  private async doStart(): Promise<void> {
    this.state = 'starting';
    this.prepare();
    const compiled = this.compiled as CompiledRoutes;
    await this.sessions?.open();
    for (const [cls, instance] of this.listenerInstances) {
      for (const l of meta.getListeners(cls)) this.events.on(l.event, (payload) => (instance as ListenerInstance)[l.propertyKey](payload));
    }
    this.upgrades.attach(this, compiled.protocols.values());
    if (this.metrics !== undefined) {
      for (const runtime of this.upgrades.running()) runtime.registerMetrics?.(this.metrics);
      this.metrics.started();
    }
    await this.events.emit('app.startup', { app: this });
    this.state = 'started';
    // A route pattern that could match an endpoint's path makes the endpoints go first (else they cost nothing).
    this.http.open(compiled, this.ops.all().some((path) => this.routes.matchHttp('GET', path) !== null));
    this.upgrades.open();
  }

  /** Start and listen; resolves with the bound address (`port: 0` picks a free port). */
  async listen(options: { host?: string; port?: number } = {}): Promise<ListenAddress> {
    if (this.host.listening) throw new ServError('SERV_APP_STATE', 'app.listen() was already called; create another app to listen twice');
    await this.start();
    try {
      await this.host.listen({ request: this.handleRequest, upgrade: this.upgrades.handle }, options.host ?? this.settings.host, options.port ?? this.settings.port);
    } catch (err) {
      await this.close();
      throw err;
    }
    return this.address as ListenAddress;
  }

  /** Where the app listens, once it does. */
  get address(): ListenAddress | undefined {
    return this.host.address;
  }

  /** Route an HTTP upgrade to the protocol that serves it; unknown protocols get 400. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrades.handle(req, socket, head);
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
    // /readyz answers 503 from now on; with a drain delay the app keeps serving meanwhile, so that a load balancer
    // sees it unready and stops sending before the listener closes.
    const delayMs = this.settings.health === false ? 0 : this.settings.health.drainDelayMs;
    if (wasStarted && this.host.listening && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    this.http.stop();
    const grace = this.settings.shutdownGraceMs;
    await this.host.close(grace, () => this.upgrades.close(grace, this.logger));
    if (wasStarted) {
      await this.events.emit('app.shutdown', { app: this }).catch((err: unknown) => this.logger.error('app.shutdown listener failed', err));
    }
    await this.sessions?.close().catch((err: unknown) => this.logger.error('Closing the session store failed', err));
    await this.container.dispose();
    this.state = 'closed';
  }

  private assertBuilding(what: string): void {
    if (this.state !== 'building' || this.compiled !== undefined) {
      throw new ServError('SERV_APP_STATE', `Cannot ${what} after the app has started; do it before app.listen() or app.start()`);
    }
  }
}

/** The HTTP method list of a route declaration, validated. */
export type { HttpMethod };
