import type { DependencyContainer } from 'tsyringe';
import { compileHandler, instanceOf, type Invoker } from '../di/handler-compiler';
import { compileGuards } from '../guards/compile-guards';
import type { ProviderScope } from '../di/providers';
import { ServError } from '../errors/serv-error';
import type { BaseContext } from '../http/base-context';
import { RequestContext } from '../http/request-context';
import { toResponse } from '../http/responses';
import type { Constructor } from '../metadata/store';
import type { Protocol } from '../protocol/protocol';
import { getProtocol, protocolInstallHint, registeredProtocols } from '../protocol/registry';
import { describeTarget, type RouteRecord } from '../routing/route-record';
import { Session } from '../sessions/session';
import type { SessionManager } from '../sessions/session-manager';
import { assertSessionsAvailable, directSessionHandler, gateProtocolHandler, guardStage, sessionStage } from '../sessions/session-stages';
import type { RouteTable } from '../routing/route-table';
import type { App } from './app';
import { compose, type HttpMiddleware } from './middleware';

/** A route's whole HTTP answer: middleware around the handler, setting `ctx.response`. */
export type Pipeline = (ctx: RequestContext) => Promise<void>;

/** What compiling an app's routes produced; read by the dispatchers, never changed after startup. */
export interface CompiledRoutes {
  /** Each route's compiled handler (HTTP and protocol routes). */
  readonly invokers: Map<RouteRecord, Invoker>;
  /** Each HTTP route's middleware pipeline. */
  readonly pipelines: Map<RouteRecord, Pipeline>;
  /**
   * The handlers of HTTP routes with no middleware but the session and guards (run inside), which may be answered
   * synchronously.
   */
  readonly directs: Map<RouteRecord, Invoker>;
  /** The app middleware around a routing error (404, 405), which it throws. */
  readonly fallback: (ctx: RequestContext, routingError: Error) => Promise<void>;
  /** The protocols the app serves: every installed one (so their upgrades are answered) and those its routes need. */
  readonly protocols: Map<string, Protocol>;
}

/** What the compiler needs from the app. */
export interface CompileInput {
  readonly app: App;
  readonly routes: RouteTable;
  readonly container: DependencyContainer;
  readonly scopes: Map<unknown, ProviderScope>;
  readonly middleware: readonly HttpMiddleware[];
  /** The app's sessions, when `settings.sessions` turned them on. */
  readonly sessions?: SessionManager;
}

const SESSION_SCOPED: [unknown, (ctx: BaseContext) => unknown] = [Session, (ctx) => ctx.session];
const HTTP_SCOPED = new Map<unknown, (ctx: BaseContext) => unknown>([[RequestContext, (ctx) => ctx], SESSION_SCOPED]);
const ROUTING_ERROR = Symbol('serv.routingError');
type RoutedContext = RequestContext & { [ROUTING_ERROR]?: Error };

/**
 * Validate and compile every route at startup: resolve each handler's injections, compose its middleware, and let
 * each protocol check its routes' options; errors name the class, the method and the parameter.
 */
export function compileRoutes(input: CompileInput): CompiledRoutes {
  const { app, routes, container, scopes, middleware, sessions } = input;
  // Sessions wrap everything (middleware may read ctx.session); guards sit right before the handler.
  const outer = sessions === undefined ? middleware : [sessionStage(sessions), ...middleware];
  const protocols = protocolsFor(routes);
  const invokers = new Map<RouteRecord, Invoker>();
  const pipelines = new Map<RouteRecord, Pipeline>();
  const directs = new Map<RouteRecord, Invoker>();
  for (const record of routes.all()) {
    const where = `${describeTarget(record.target)} (${record.source})`;
    if (sessions === undefined) assertSessionsAvailable(record, where);
    const guards = compileGuards(record.guards ?? [], { container, scopes }, where);
    if (record.kind === 'http') {
      const invoker = compileHandler(record, { container, scopes, scopedTokens: HTTP_SCOPED, functionArgs: (ctx) => [ctx], allowBody: true });
      invokers.set(record, invoker);
      const stages = [...outer, ...(record.middleware as HttpMiddleware[]), ...(guards === undefined ? [] : [guardStage(guards)])];
      // Without middleware, the session and the guards run inside the synchronous path (same order, same saving).
      if (middleware.length === 0 && record.middleware.length === 0) {
        directs.set(record, sessions === undefined && guards === undefined ? invoker : directSessionHandler(invoker, sessions, guards));
      }
      pipelines.set(record, compose(stages, async (ctx) => {
        const result = invoker(ctx);
        ctx.response = toResponse(result instanceof Promise ? await result : result);
      }));
      continue;
    }
    const protocol = protocols.get(record.kind) as Protocol;
    record.options = protocol.resolveOptions(record, app);
    const invoker = compileHandler(record, {
      container,
      scopes,
      scopedTokens: new Map([...protocol.scopedTokens, SESSION_SCOPED]),
      functionArgs: (ctx) => protocol.functionArgs(ctx),
      allowBody: false,
    });
    const origins = Array.isArray(record.options.origins) ? (record.options.origins as string[]) : [];
    invokers.set(record, gateProtocolHandler(invoker, sessions, guards, origins, app.logger));
  }
  const routed = compose(outer, async (ctx: RoutedContext) => {
    throw ctx[ROUTING_ERROR] as Error;
  });
  const fallback = (ctx: RequestContext, routingError: Error): Promise<void> => {
    (ctx as RoutedContext)[ROUTING_ERROR] = routingError;
    return routed(ctx);
  };
  return { invokers, pipelines, directs, fallback, protocols };
}

/** Construct listener classes now, so that `prepare()` (serv launch --dry-run) reports their injection errors too. */
export function instantiateListeners(input: Pick<CompileInput, 'container' | 'scopes'>, classes: readonly Constructor[]): Array<[Constructor, object]> {
  return classes.map((cls) => [cls, instanceOf(input, cls, `listener ${cls.name}`)]);
}

function protocolsFor(routes: RouteTable): Map<string, Protocol> {
  const protocols = new Map<string, Protocol>();
  for (const record of routes.all()) {
    if (record.kind === 'http' || protocols.has(record.kind)) continue;
    const protocol = getProtocol(record.kind);
    if (protocol === undefined) {
      throw new ServError('SERV_PROTOCOL_MISSING', `${record.source}: ${record.kind} routes need the @serv/${record.kind} package; ${protocolInstallHint(record.kind)}`);
    }
    protocols.set(record.kind, protocol);
  }
  for (const p of registeredProtocols()) protocols.set(p.kind, p);
  return protocols;
}
