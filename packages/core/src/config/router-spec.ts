import { ConfigError } from './config-error';
import { parseImportRef, type ImportRef } from './import-ref';
import { checkServPath, normaliseMount } from './serv-path';
import {
  expectBool, expectInt, expectKnownKeys, expectList, expectMapping, expectOneOf, expectString, expectStringList,
  fail, isUnset, itemAt, keyAt, optional, type At,
} from './validate';

/** HTTP methods a YAML route may list (written in any case, stored upper-case). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Per-route WebSocket limit overrides from extension.yaml, camelCased; only the keys that were written. */
export interface RouteLimits {
  maxMessageBytes?: number;
  rateLimitMessages?: number;
  rateLimitIntervalMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  origins?: string[];
}

/** One `routes:` entry of a router in extension.yaml. */
export interface RouteSpec {
  /** Route path; absent means "take it from the handler class's decorator". */
  path?: string;
  /** The handler class or function to import. */
  handler: ImportRef;
  /** Upper-cased HTTP methods (HTTP routes only); absent leaves the choice to the handler. */
  methods?: string[];
  /** True for a WebSocket route. */
  websocket: boolean;
  /** Frame type of a WebSocket route; absent means the handler's own or the default (text). */
  frameType?: 'text' | 'binary';
  /** Route settings, merged over the router's `config` and injectable with `@Settings()`. */
  config: Record<string, unknown>;
  /** WebSocket limit overrides for this route. */
  limits: RouteLimits;
  /** Key path of the route, e.g. `routers[0].routes[1]`. */
  keyPath: string;
}

/** One `routers:` entry of extension.yaml. */
export interface RouterSpec {
  /** Router name, unique within the extension. */
  name: string;
  /** Mount prefix with a leading "/" and no trailing "/"; '' when the router is not mounted. */
  mount: string;
  /** Settings shared by the router's routes. */
  config: Record<string, unknown>;
  /** Key path of the router, e.g. `routers[0]`. */
  keyPath: string;
  /** The router's routes, in file order. */
  routes: RouteSpec[];
}

type LimitKey = keyof RouteLimits;
const LIMIT_READERS: Record<string, { field: LimitKey; read: (value: unknown, at: At) => number | string[] }> = {
  max_message_bytes: { field: 'maxMessageBytes', read: (v, at) => expectInt(v, at, 1) },
  rate_limit_messages: { field: 'rateLimitMessages', read: (v, at) => expectInt(v, at, 0) },
  rate_limit_interval_ms: { field: 'rateLimitIntervalMs', read: (v, at) => expectInt(v, at, 1) },
  heartbeat_interval_ms: { field: 'heartbeatIntervalMs', read: (v, at) => expectInt(v, at, 0) },
  heartbeat_timeout_ms: { field: 'heartbeatTimeoutMs', read: (v, at) => expectInt(v, at, 1) },
  origins: { field: 'origins', read: expectStringList },
};
const WEBSOCKET_ONLY_KEYS = ['frame_type', ...Object.keys(LIMIT_READERS)];
const ROUTE_KEYS = ['path', 'handler', 'methods', 'websocket', 'config', ...WEBSOCKET_ONLY_KEYS];

/** Validates the `routers:` list at `at`; `file` is the absolute extension.yaml path recorded in import refs. */
export function readRouters(value: unknown, at: At, file: string): RouterSpec[] {
  if (isUnset(value)) return [];
  const seen = new Map<string, string>();
  return expectList(value, at).map((item, index) => {
    const router = readRouter(item, itemAt(at, index), file);
    const earlier = seen.get(router.name);
    if (earlier !== undefined) fail(keyAt(itemAt(at, index), 'name'), `be unique (${earlier}.name has it too)`, router.name);
    seen.set(router.name, router.keyPath);
    return router;
  });
}

function readRouter(value: unknown, at: At, file: string): RouterSpec {
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['name', 'mount', 'config', 'routes']);
  const routesAt = keyAt(at, 'routes');
  const routes = optional(block.routes, routesAt, expectList) ?? [];
  return {
    name: expectString(block.name, keyAt(at, 'name')),
    mount: optional(block.mount, keyAt(at, 'mount'), (v, a) => normaliseMount(expectString(v, a, { allowEmpty: true }), a)) ?? '',
    config: optional(block.config, keyAt(at, 'config'), expectMapping) ?? {},
    keyPath: at.keyPath,
    routes: routes.map((route, index) => readRoute(route, itemAt(routesAt, index), file)),
  };
}

function readRoute(value: unknown, at: At, file: string): RouteSpec {
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ROUTE_KEYS);
  const websocket = optional(block.websocket, keyAt(at, 'websocket'), expectBool) ?? false;
  const route: RouteSpec = {
    handler: parseImportRef(block.handler, keyAt(at, 'handler'), file),
    websocket,
    config: optional(block.config, keyAt(at, 'config'), expectMapping) ?? {},
    limits: {},
    keyPath: at.keyPath,
  };
  const path = optional(block.path, keyAt(at, 'path'), (v, a) => checkServPath(expectString(v, a), a));
  if (path !== undefined) route.path = path;
  if (websocket) {
    if (!isUnset(block.methods)) misplaced(keyAt(at, 'methods'), 'is not allowed on a websocket route (remove it, or remove "websocket: true")');
    const frameType = optional(block.frame_type, keyAt(at, 'frame_type'), (v, a) => expectOneOf(v, a, ['text', 'binary'] as const));
    if (frameType !== undefined) route.frameType = frameType;
    for (const [key, reader] of Object.entries(LIMIT_READERS)) {
      const limit = optional(block[key], keyAt(at, key), reader.read);
      if (limit !== undefined) (route.limits as Record<string, unknown>)[reader.field] = limit;
    }
  } else {
    const stray = WEBSOCKET_ONLY_KEYS.find((key) => !isUnset(block[key]));
    if (stray !== undefined) misplaced(keyAt(at, stray), 'is only allowed on a websocket route (add "websocket: true", or remove it)');
    const methods = optional(block.methods, keyAt(at, 'methods'), readMethods);
    if (methods !== undefined) route.methods = methods;
  }
  return route;
}

function readMethods(value: unknown, at: At): string[] {
  const list = expectList(value, at);
  if (list.length === 0) fail(at, `be a non-empty list of ${HTTP_METHODS.join(', ')}`, value);
  const methods = list.map((item, index) => {
    const method = typeof item === 'string' ? item.trim().toUpperCase() : undefined;
    if (method === undefined || !(HTTP_METHODS as readonly string[]).includes(method)) {
      fail(itemAt(at, index), `be one of ${HTTP_METHODS.join(', ')}`, item);
    }
    return method;
  });
  return [...new Set(methods)];
}

function misplaced(at: At, problem: string): never {
  throw ConfigError.misplaced(at.file, at.keyPath, problem);
}
