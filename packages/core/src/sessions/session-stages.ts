import type { HttpMiddleware } from '../app/middleware';
import type { Invoker } from '../di/handler-compiler';
import { ForbiddenError } from '../errors/http-errors';
import { InjectionError } from '../errors/serv-error';
import type { BaseContext } from '../http/base-context';
import type { RequestContext } from '../http/request-context';
import type { Logger } from '../logging/logger';
import { meta } from '../metadata/store';
import { toResponse } from '../http/responses';
import type { RouteRecord } from '../routing/route-record';
import type { GuardCheck } from '../guards/compile-guards';
import { crossSiteHandshakeProblem, crossSiteRequestProblem } from './origin-check';
import { Session } from './session';
import type { CookieWriter, SessionManager } from './session-manager';

/**
 * The outermost HTTP stage when sessions are on: refuse cross-site unsafe requests (CSRF), read the session into
 * `ctx.session`, and once the response exists save what changed and write the cookie.
 */
export function sessionStage(manager: SessionManager): HttpMiddleware {
  const trusted = manager.settings.trustedOrigins;
  return async (ctx, next) => {
    const problem = crossSiteRequestProblem(ctx, ctx.method, trusted);
    if (problem !== null) throw new ForbiddenError(problem);
    const loaded = manager.load(ctx);
    const session = loaded instanceof Promise ? await loaded : loaded;
    ctx.attachSession(session);
    await next();
    await manager.commit(session, cookieWriter(ctx, manager));
  };
}

/**
 * The same stages as {@link sessionStage} then {@link guardStage}, for a route with no other middleware, without the
 * promise pipeline: a handler that changed nothing in the session has its value returned as it is (synchronously when
 * the store, the guards and the handler answer synchronously), so the dispatcher writes it at once; a changed
 * session is saved and its cookie written on the response before that response is returned. A refusal or a failing
 * handler throws (or rejects) before anything is saved, as in the pipeline.
 */
export function directSessionHandler(invoke: Invoker, manager: SessionManager | undefined, check: GuardCheck | undefined): Invoker {
  const settle = (ctx: RequestContext, session: Session | undefined, value: unknown): unknown => {
    if (session === undefined || manager === undefined || session.change === 'none') return value;
    const response = toResponse(value);
    ctx.response = response;
    return manager.commit(session, cookieWriter(ctx, manager)).then(() => response);
  };
  const run = (ctx: RequestContext, session: Session | undefined): unknown => {
    const result = invoke(ctx);
    return result instanceof Promise ? result.then((value) => settle(ctx, session, value)) : settle(ctx, session, result);
  };
  const guarded = (ctx: RequestContext, session: Session | undefined): unknown => {
    const checked = check === undefined ? undefined : check(ctx);
    return checked === undefined ? run(ctx, session) : checked.then(() => run(ctx, session));
  };
  if (manager === undefined) return (ctx) => guarded(ctx as RequestContext, undefined);
  const trusted = manager.settings.trustedOrigins;
  const attached = (ctx: RequestContext, session: Session): unknown => {
    ctx.attachSession(session);
    return guarded(ctx, session);
  };
  return (base) => {
    const ctx = base as RequestContext;
    const problem = crossSiteRequestProblem(ctx, ctx.method, trusted);
    if (problem !== null) throw new ForbiddenError(problem);
    const loaded = manager.load(ctx);
    return loaded instanceof Promise ? loaded.then((session) => attached(ctx, session)) : attached(ctx, loaded);
  };
}

function cookieWriter(ctx: RequestContext, manager: SessionManager): CookieWriter | undefined {
  const response = ctx.response;
  if (response === undefined) return undefined;
  const setting = manager.settings.secure;
  // `auto`: Secure exactly when the client used https: this request came over TLS, or a proxy trusted by
  // `trust_proxy` says the original request did.
  const secure = setting === 'auto' ? ctx.scheme === 'https' : setting;
  return {
    set: (name, value, maxAgeS) => response.setCookie(name, value, { httpOnly: true, sameSite: 'Lax', path: '/', secure, maxAgeSeconds: maxAgeS }),
    clear: (name) => response.setCookie(name, '', { httpOnly: true, sameSite: 'Lax', path: '/', secure, maxAgeSeconds: 0, expires: new Date(0) }),
  };
}

/** The last HTTP stage before the handler: the route's guards. */
export function guardStage(check: GuardCheck): HttpMiddleware {
  return (ctx, next) => {
    const checked = check(ctx);
    return checked === undefined ? next() : checked.then(next);
  };
}

/**
 * A protocol route's handler behind its gate: a handshake carrying the session cookie from a foreign origin is
 * refused (cross-site WebSocket hijacking), the session is read, the guards run — a refusal is thrown before the
 * handler, so the protocol answers the handshake with its HTTP status. While the handler runs, the connection is
 * known to its session (for `destroy({ closeSockets: true })`); afterwards changed data is saved.
 */
export function gateProtocolHandler(
  invoke: Invoker,
  manager: SessionManager | undefined,
  check: GuardCheck | undefined,
  routeOrigins: readonly string[],
  logger: Logger,
): Invoker {
  if (manager === undefined && check === undefined) return invoke;
  return async (ctx: BaseContext) => {
    let session: Session | undefined;
    if (manager !== undefined) {
      if (manager.hasCookie(ctx)) {
        const problem = crossSiteHandshakeProblem(ctx, routeOrigins, manager.settings.trustedOrigins);
        if (problem !== null) throw new ForbiddenError(problem);
      }
      session = await manager.load(ctx);
      ctx.attachSession(session);
    }
    if (check !== undefined) await check(ctx);
    const id = session?.id;
    const untrack = manager !== undefined && id !== undefined ? manager.track(id, ctx) : undefined;
    try {
      return await invoke(ctx);
    } finally {
      untrack?.();
      // No cookie can be written after a handshake: only an existing session's data (or its end) is saved.
      if (manager !== undefined && session !== undefined && (session.change === 'destroyed' || (session.change === 'data' && !session.isNew))) {
        await manager.commit(session, undefined).catch((err: unknown) => logger.error('Saving the session after a connection failed', err));
      }
    }
  };
}

/** With sessions off, a handler that injects `Session` is a startup error naming it, not a 500 per request. */
export function assertSessionsAvailable(record: RouteRecord, where: string): void {
  if (record.target.type !== 'class') return;
  const { cls, propertyKey } = record.target;
  const types = meta.getParamTypes(cls, propertyKey) ?? [];
  const specs = meta.getParams(cls, propertyKey);
  const index = [...Array(Math.max(types.length, specs.length)).keys()].find((i) => {
    const spec = specs[i];
    return (spec === undefined || spec.kind === 'inject') && (spec?.token ?? types[i]) === Session;
  });
  if (index === undefined) return;
  throw new InjectionError(
    `Cannot resolve parameter #${index} of ${where}: Session needs sessions turned on; add to serv.config.yaml ` +
      'settings: sessions: { secret: … } (or createApp({ settings: { sessions: { secret } } })); see docs/auth.md',
  );
}
