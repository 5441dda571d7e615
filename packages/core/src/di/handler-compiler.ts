import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { BadRequestError } from '../errors/http-errors';
import { InjectionError } from '../errors/serv-error';
import type { BaseContext } from '../http/base-context';
import { meta, type Constructor, type ParamSpec } from '../metadata/store';
import type { RouteRecord } from '../routing/route-record';
import { tokenName, type ProviderScope } from './providers';
import { ensureSingleton, isOpaqueType } from './singletons';
import { own } from '../http/own';

/** A compiled handler: call it with a request's or a connection's context. */
export type Invoker = (ctx: BaseContext) => unknown;

type Resolver = (ctx: BaseContext) => unknown;

/** What the compiler needs from the app. */
export interface CompileEnv {
  container: DependencyContainer;
  scopes: Map<unknown, ProviderScope>;
  /** Per-request/connection values by token (the RequestContext, the WebSocket). */
  scopedTokens: ReadonlyMap<unknown, Resolver>;
  /** Arguments of a plain-function handler. */
  functionArgs: (ctx: BaseContext) => unknown[];
  /** Whether `@Body()` makes sense (HTTP only). */
  allowBody: boolean;
}

/** Resolve a route class's app-wide instance, constructing it (and its dependencies) once. */
export function instanceOf(env: Pick<CompileEnv, 'container' | 'scopes'>, cls: Constructor, where: string): object {
  try {
    ensureSingleton(env.container, env.scopes, cls);
    return env.container.resolve(cls);
  } catch (err) {
    if (err instanceof InjectionError) throw new InjectionError(`${where}: ${err.message}`, { cause: err });
    throw new InjectionError(`${where}: cannot construct ${cls.name}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Turn a route's handler into a function of the context, reading all metadata now so that nothing is looked up
 * per request; every unresolvable parameter is an error naming the class, the method and the position.
 */
export function compileHandler(record: RouteRecord, env: CompileEnv): Invoker {
  const target = record.target;
  if (target.type === 'function') {
    const fn = target.fn as (...args: unknown[]) => unknown;
    return (ctx) => fn(...env.functionArgs(ctx));
  }
  const { cls, propertyKey } = target;
  const where = `${cls.name}.${propertyKey} (${record.source})`;
  const instance = instanceOf(env, cls, where) as Record<string, (...args: unknown[]) => unknown>;
  const method = instance[propertyKey];
  if (typeof method !== 'function') {
    throw new InjectionError(`${where}: ${cls.name} has no method "${propertyKey}"; add it or point the route at another handler`);
  }
  const specs = meta.getParams(cls, propertyKey);
  const types = meta.getParamTypes(cls, propertyKey);
  const count = Math.max(method.length, specs.length, types?.length ?? 0);
  const resolvers: Resolver[] = [];
  for (let i = 0; i < count; i++) {
    resolvers.push(paramResolver(specs[i], types?.[i], types !== undefined, `parameter #${i} of ${where}`, record, env));
  }
  const asyncArgs = specs.some((s) => s?.kind === 'body');
  if (resolvers.length === 0) return () => method.call(instance);
  if (resolvers.length === 1 && !asyncArgs) {
    const only = resolvers[0];
    return (ctx) => method.call(instance, only(ctx));
  }
  if (!asyncArgs) return (ctx) => method.apply(instance, resolvers.map((r) => r(ctx)));
  return async (ctx) => method.apply(instance, await Promise.all(resolvers.map((r) => r(ctx))));
}

function paramResolver(spec: ParamSpec | undefined, type: unknown, hasTypes: boolean, where: string, record: RouteRecord, env: CompileEnv): Resolver {
  if (spec === undefined || spec.kind === 'inject') {
    const token = spec?.token ?? type;
    if (hasTypes && token === undefined) {
      throw new InjectionError(
        `Cannot resolve ${where}: its type was still undefined when the class was decorated, which happens when two modules import each other; ` +
          'break the import cycle or pass a token: @Inject(MyService)',
      );
    }
    if (token === undefined || (!hasTypes && spec?.token === undefined)) {
      throw new InjectionError(
        `Cannot resolve ${where}: no type metadata was emitted; compile with "emitDecoratorMetadata": true (serv launch does this for you) or pass a token: @Inject(MyService)`,
      );
    }
    if (spec?.token === undefined && isOpaqueType(token)) {
      const hint = spec === undefined ? 'add a decorator (@Param, @Query, @Header, @Cookie, @Body, @Settings) or @Inject(TOKEN)' : 'pass a token: @Inject(TOKEN)';
      throw new InjectionError(
        `Cannot resolve ${where}: its type is ${tokenName(token)} (an interface, a primitive or a type-only import compiles to that); ${hint}`,
      );
    }
    return injectResolver(token as InjectionToken<unknown>, where, env);
  }
  switch (spec.kind) {
    case 'param': {
      if (!record.pattern.names.includes(spec.name)) {
        const has = record.pattern.names.length === 0 ? 'none' : record.pattern.names.join(', ');
        throw new InjectionError(`Cannot resolve ${where}: @Param('${spec.name}') but the path ${record.path} has no such parameter (it has: ${has})`);
      }
      const name = spec.name;
      return (ctx) => own(ctx.params, name);
    }
    case 'query': {
      const name = spec.name;
      if (name === undefined) return (ctx) => ctx.query;
      return coerceQuery(name, type);
    }
    case 'header': {
      const name = spec.name;
      return (ctx) => ctx.header(name);
    }
    case 'cookie': {
      const name = spec.name;
      return (ctx) => own(ctx.cookies, name);
    }
    case 'settings':
      return (ctx) => ctx.settings;
    case 'body':
      if (!env.allowBody) throw new InjectionError(`Cannot resolve ${where}: @Body() only exists for HTTP requests; read messages with ws.receive()`);
      return (ctx) => (ctx as BaseContext & { body(): Promise<unknown> }).body();
  }
}

function coerceQuery(name: string, type: unknown): Resolver {
  if (type === Number) {
    return (ctx) => {
      const raw = own(ctx.query, name);
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new BadRequestError(`Query parameter "${name}" must be a number, got "${raw}"`);
      return n;
    };
  }
  if (type === Boolean) {
    return (ctx) => {
      const raw = own(ctx.query, name);
      if (raw === undefined) return undefined;
      if (['true', '1', 'yes', 'on', ''].includes(raw)) return true;
      if (['false', '0', 'no', 'off'].includes(raw)) return false;
      throw new BadRequestError(`Query parameter "${name}" must be true or false, got "${raw}"`);
    };
  }
  return (ctx) => own(ctx.query, name);
}

function injectResolver(token: InjectionToken<unknown>, where: string, env: CompileEnv): Resolver {
  const scoped = env.scopedTokens.get(token);
  if (scoped !== undefined) return scoped;
  const { container, scopes } = env;
  let scope = scopes.get(token);
  if (scope === undefined && typeof token === 'function' && !container.isRegistered(token, true)) {
    if (isContextClass(token)) {
      throw new InjectionError(`Cannot resolve ${where}: ${token.name} does not exist for this kind of route`);
    }
    try {
      ensureSingleton(container, scopes, token as Constructor);
    } catch (err) {
      throw new InjectionError(`Cannot resolve ${where}: ${(err as Error).message}`, { cause: err });
    }
    scope = 'singleton';
  }
  if (scope === 'singleton') {
    let instance: unknown;
    try {
      instance = container.resolve(token);
    } catch (err) {
      throw new InjectionError(`Cannot resolve ${where}: constructing ${tokenName(token)} failed: ${(err as Error).message}`, { cause: err });
    }
    return () => instance;
  }
  if (scope === 'transient') return () => container.resolve(token);
  if (scope === 'request' || container.isRegistered(token, true)) return (ctx) => ctx.container.resolve(token);
  throw new InjectionError(
    `Cannot resolve ${where}: nothing provides ${tokenName(token)}; add it to createApp({ providers: [{ provide: ${tokenName(token)}, useValue: … }] })`,
  );
}

function isContextClass(token: Function): boolean {
  for (let p: unknown = token; typeof p === 'function'; p = Object.getPrototypeOf(p)) {
    if ((p as Function).name === 'BaseContext') return true;
  }
  return false;
}
