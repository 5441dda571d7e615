import { RouteDefinitionError } from '../errors/serv-error';
import { HTTP_METHODS, meta, type Constructor, type GuardRef, type HttpMethod, type Middleware } from '../metadata/store';
import { getProtocol } from '../protocol/registry';
import { compilePath, joinPaths } from '../routing/path-pattern';
import type { HandlerTarget, RouteRecord } from '../routing/route-record';

/** A route declared by a registration source other than the class's own decorator (YAML, `app.addRoute`). */
export interface RouteDeclaration {
  /** `'http'` (default) or a protocol kind such as `'websocket'`. */
  kind?: string;
  /** The path; for a class, overrides its decorator's path. */
  path?: string;
  /** A mount prefix, e.g. a YAML router's `mount`. */
  mount?: string;
  /** HTTP methods (function handlers; for classes, a subset of the decorated ones). */
  methods?: HttpMethod[];
  /** Settings injected by `@Settings()`. */
  settings?: Record<string, unknown>;
  /** Protocol options (e.g. `frameType`, `maxMessageBytes`), over the decorator's. */
  options?: Record<string, unknown>;
  /** Middleware for this route. */
  middleware?: Middleware[];
  /** Guards run before the handler, before the class's own `@UseGuards()` (a YAML router's, then its route's). */
  guards?: GuardRef[];
  /** Where it was declared, e.g. `extensions/chat/extension.yaml routers[0].routes[1]`. */
  source?: string;
}

/** Whether a handler reference is a class (decorated, or written with `class`) rather than a plain function. */
export function isClass(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  const cls = fn as Constructor;
  if (meta.getRoute(cls) !== undefined || meta.getProtocolRoute(cls) !== undefined || meta.getHttpMethods(cls).length > 0) return true;
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** Turn a decorated class (plus an optional outside declaration) into route records. */
export function routesOfClass(cls: Constructor, decl: RouteDeclaration): RouteRecord[] {
  if (typeof cls !== 'function') throw new RouteDefinitionError(`Only classes can be registered as routes, got ${String(cls)}`);
  const protocolMeta = meta.getProtocolRoute(cls);
  const routeMeta = meta.getRoute(cls);
  const methods = meta.getHttpMethods(cls);
  const kind = decl.kind ?? protocolMeta?.kind ?? 'http';
  if (kind !== 'http') {
    const decorator = getProtocol(kind)?.decorator ?? kind;
    const source = decl.source ?? `@${decorator} on ${cls.name}${protocolMeta?.declaredAt ? ` (${protocolMeta.declaredAt})` : ''}`;
    if (protocolMeta !== undefined && protocolMeta.kind !== kind) {
      throw new RouteDefinitionError(
        `${source}: ${cls.name} is a @${getProtocol(protocolMeta.kind)?.decorator ?? protocolMeta.kind} class, not a ${kind} handler; register it without a kind (app.register(${cls.name})) so its decorator decides`,
      );
    }
    if (typeof cls.prototype.handle !== 'function') {
      throw new RouteDefinitionError(`${source}: ${cls.name} needs a handle(...) method to serve ${kind} connections`);
    }
    if (decl.methods !== undefined) throw new RouteDefinitionError(`${source}: methods apply to HTTP routes only`);
    const raw = decl.path ?? protocolMeta?.path;
    if (raw === undefined) throw new RouteDefinitionError(`${source}: no path; give the route a path or decorate ${cls.name} with @${decorator}('/path')`);
    const path = joinPaths(decl.mount ?? '/', raw);
    return [
      {
        kind,
        path,
        pattern: compilePath(path, source),
        methods: [],
        target: { type: 'class', cls, propertyKey: 'handle' },
        settings: decl.settings ?? {},
        options: { ...protocolMeta?.options, ...decl.options },
        middleware: decl.middleware ?? [],
        guards: [...(decl.guards ?? []), ...meta.getGuards(cls), ...meta.getGuards(cls, 'handle')],
        source,
      },
    ];
  }
  if (protocolMeta !== undefined) {
    const decorator = getProtocol(protocolMeta.kind)?.decorator ?? protocolMeta.kind;
    throw new RouteDefinitionError(
      `${decl.source ?? cls.name}: ${cls.name} is a @${decorator} class, not an HTTP route; register it without kind 'http' or methods (app.register(${cls.name})), or in YAML drop "methods" and "${protocolMeta.kind}: false"`,
    );
  }
  const source = decl.source ?? `@Route on ${cls.name}${routeMeta?.declaredAt ? ` (${routeMeta.declaredAt})` : ''}`;
  if (methods.length === 0) {
    throw new RouteDefinitionError(`${source}: ${cls.name} has no @Get(), @Post(), … methods, so it answers nothing; add one`);
  }
  const base = decl.path ?? routeMeta?.path;
  if (base === undefined) {
    throw new RouteDefinitionError(`${source}: ${cls.name} has no path; write @Route('/path') or give the YAML route a path`);
  }
  for (const m of decl.methods ?? []) {
    if (!HTTP_METHODS.includes(m)) throw new RouteDefinitionError(`${source}: unknown HTTP method "${m}"`);
    if (!methods.some((h) => h.method === m || (m === 'HEAD' && h.method === 'GET'))) {
      throw new RouteDefinitionError(`${source}: methods lists ${m} but ${cls.name} has no @${m[0]}${m.slice(1).toLowerCase()}() method`);
    }
  }
  const wanted = decl.methods === undefined ? undefined : new Set(decl.methods);
  const grouped = new Map<string, RouteRecord>();
  for (const h of methods) {
    if (wanted !== undefined && !wanted.has(h.method)) continue;
    const path = joinPaths(joinPaths(decl.mount ?? '/', base), h.subPath);
    const key = `${path} ${h.propertyKey}`;
    const existing = grouped.get(key);
    if (existing !== undefined) {
      existing.methods.push(h.method);
      continue;
    }
    grouped.set(key, {
      kind: 'http',
      path,
      pattern: compilePath(path, source),
      methods: [h.method],
      target: { type: 'class', cls, propertyKey: h.propertyKey },
      settings: { ...routeMeta?.options.settings, ...decl.settings },
      options: {},
      middleware: [...(routeMeta?.options.middleware ?? []), ...(decl.middleware ?? [])],
      guards: [...(decl.guards ?? []), ...meta.getGuards(cls), ...meta.getGuards(cls, h.propertyKey)],
      source,
    });
  }
  return [...grouped.values()];
}

/** Turn a plain-function handler's declaration into its route record: `(ctx)` for HTTP, e.g. `(ws, ctx)` for a protocol. */
export function routeOfFunction(declaration: RouteDeclaration & { handler: (...args: never[]) => unknown }): RouteRecord {
  const fn = declaration.handler;
  const kind = declaration.kind ?? 'http';
  const source = declaration.source ?? `function ${fn.name || 'anonymous'}`;
  if (declaration.path === undefined) throw new RouteDefinitionError(`${source}: a function handler needs a path`);
  const path = joinPaths(declaration.mount ?? '/', declaration.path);
  const target: HandlerTarget = { type: 'function', fn, name: fn.name || 'anonymous' };
  return {
    kind,
    path,
    pattern: compilePath(path, source),
    methods: kind === 'http' ? declaration.methods ?? ['GET'] : [],
    target,
    settings: declaration.settings ?? {},
    options: declaration.options ?? {},
    middleware: declaration.middleware ?? [],
    guards: declaration.guards ?? [],
    source,
  };
}
