import { HTTP_METHODS } from '../metadata/store';
import type { Protocol } from '../protocol/protocol';
import { registeredProtocols } from '../protocol/registry';
import { ConfigError } from './config-error';
import { parseImportRef, type ImportRef } from './import-ref';
import { checkServPath, normaliseMount } from './serv-path';
import { protocolKeysNote } from './serv-settings';
import type { RouteKeys, RouteKeySpec } from './setting-spec';
import { dirname } from 'node:path';
import { readStatics, type StaticSpec } from './static-spec';
import {
  expectBool, expectKnownKeys, expectList, expectMapping, expectString,
  fail, isUnset, itemAt, keyAt, optional, type At,
} from './validate';

/** One `routes:` entry of a router in extension.yaml. */
export interface RouteSpec {
  /** Route path; absent means "take it from the handler class's decorator". */
  path?: string;
  /** The handler class or function to import. */
  handler: ImportRef;
  /** Upper-cased HTTP methods (HTTP routes only); absent leaves the choice to the handler. */
  methods?: string[];
  /**
   * The kind the file decides: a protocol's kind for its flag (`websocket: true`), `'http'` for `websocket: false` or
   * `methods`; undefined leaves it to the handler (a `@WebSocketRoute` class is a WebSocket route).
   */
  kind?: string;
  /** The YAML key that decided `kind` (`websocket` or `methods`), for errors when the handler disagrees. */
  kindKey?: string;
  /** Protocol options written on the route (camelCase, e.g. `frameType`, `maxMessageBytes`); only those written. */
  options: Record<string, unknown>;
  /** The YAML keys those options were written as (`frame_type`, `max_message_bytes`), for errors. */
  optionKeys: string[];
  /** Route settings, merged over the router's `config` and injectable with `@Settings()`. */
  config: Record<string, unknown>;
  /** Guards of this route, run after the router's and before the handler class's own; absent when none are written. */
  guards?: ImportRef[];
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
  /** Guards protecting every route of the router, run first; absent when none are written. */
  guards?: ImportRef[];
  /** Key path of the router, e.g. `routers[0]`. */
  keyPath: string;
  /** The router's routes, in file order. */
  routes: RouteSpec[];
  /** Folders served under a path (`static:`), in file order. */
  statics: StaticSpec[];
}

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
  expectKnownKeys(block, at, ['name', 'mount', 'config', 'guards', 'routes', 'static']);
  const routesAt = keyAt(at, 'routes');
  const routes = optional(block.routes, routesAt, expectList) ?? [];
  const router: RouterSpec = {
    name: expectString(block.name, keyAt(at, 'name')),
    mount: optional(block.mount, keyAt(at, 'mount'), (v, a) => normaliseMount(expectString(v, a, { allowEmpty: true }), a)) ?? '',
    config: optional(block.config, keyAt(at, 'config'), expectMapping) ?? {},
    keyPath: at.keyPath,
    routes: routes.map((route, index) => readRoute(route, itemAt(routesAt, index), file)),
    statics: readStatics(block.static, keyAt(at, 'static'), dirname(file)),
  };
  const guards = readGuardRefs(block.guards, keyAt(at, 'guards'), file);
  if (guards !== undefined) router.guards = guards;
  return router;
}

function readRoute(value: unknown, at: At, file: string): RouteSpec {
  const block = expectMapping(value, at);
  const protocols = registeredProtocols().filter((p) => p.routeKeys !== undefined);
  const protocolKeys = protocols.flatMap((p) => keysOf(p).map((k) => k.key));
  expectKnownKeys(block, at, ['path', 'handler', 'methods', ...protocols.map(flagOf), 'config', 'guards', ...protocolKeys], {}, protocolKeysNote());
  const route: RouteSpec = {
    handler: parseImportRef(block.handler, keyAt(at, 'handler'), file),
    options: {},
    optionKeys: [],
    config: optional(block.config, keyAt(at, 'config'), expectMapping) ?? {},
    keyPath: at.keyPath,
  };
  const guards = readGuardRefs(block.guards, keyAt(at, 'guards'), file);
  if (guards !== undefined) route.guards = guards;
  const path = optional(block.path, keyAt(at, 'path'), (v, a) => checkServPath(expectString(v, a), a));
  if (path !== undefined) route.path = path;
  const flags = protocols.map((protocol) => ({ protocol, on: optional(block[flagOf(protocol)], keyAt(at, flagOf(protocol)), expectBool) }));
  const owner = flags.find((f) => f.on === true)?.protocol;
  const refused = flags.find((f) => f.on === false)?.protocol;
  if (owner !== undefined) {
    const flag = flagOf(owner);
    if (!isUnset(block.methods)) misplaced(keyAt(at, 'methods'), `is not allowed on a ${flag} route (remove it, or remove "${flag}: true")`);
    route.kind = owner.kind;
    route.kindKey = flag;
    rejectKeys(block, at, protocols.filter((p) => p !== owner), (p) => `add "${flagOf(p)}: true", or remove it`);
    readOptions(block, at, owner, route);
    return route;
  }
  if (refused !== undefined || !isUnset(block.methods)) {
    route.kind = 'http';
    route.kindKey = refused === undefined ? 'methods' : flagOf(refused);
    rejectKeys(block, at, protocols, () => `remove it, or remove "${route.kindKey === 'methods' ? 'methods' : `${route.kindKey}: false`}"`);
    const methods = optional(block.methods, keyAt(at, 'methods'), readMethods);
    if (methods !== undefined) route.methods = methods;
    return route;
  }
  // Nothing written decides the kind: the handler's decorator will. Options may belong to one protocol only.
  const keyed = protocols.filter((p) => keysOf(p).some((k) => !isUnset(block[k.key])));
  if (keyed.length > 1) rejectKeys(block, at, keyed.slice(1), (p) => `add "${flagOf(p)}: true", or remove it`);
  if (keyed.length === 1) readOptions(block, at, keyed[0] as Protocol, route);
  return route;
}

// `guards: ["main:requireUser", "auth:AdminGuard"]`, each resolved when the extension loads.
function readGuardRefs(value: unknown, at: At, file: string): ImportRef[] | undefined {
  if (isUnset(value)) return undefined;
  return expectList(value, at).map((item, index) => parseImportRef(item, itemAt(at, index), file));
}

function readOptions(block: Record<string, unknown>, at: At, protocol: Protocol, route: RouteSpec): void {
  for (const spec of keysOf(protocol)) {
    const option = optional(block[spec.key], keyAt(at, spec.key), spec.read);
    if (option === undefined) continue;
    route.options[spec.option] = option;
    route.optionKeys.push(spec.key);
  }
}

function rejectKeys(block: Record<string, unknown>, at: At, protocols: readonly Protocol[], hint: (p: Protocol) => string): void {
  for (const protocol of protocols) {
    const stray = keysOf(protocol).find((k) => !isUnset(block[k.key]));
    if (stray !== undefined) misplaced(keyAt(at, stray.key), `is only allowed on a ${flagOf(protocol)} route (${hint(protocol)})`);
  }
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

const flagOf = (protocol: Protocol): string => (protocol.routeKeys as RouteKeys).flag;
const keysOf = (protocol: Protocol): readonly RouteKeySpec[] => (protocol.routeKeys as RouteKeys).keys;

function misplaced(at: At, problem: string): never {
  throw ConfigError.misplaced(at.file, at.keyPath, problem);
}
