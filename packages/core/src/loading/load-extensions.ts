import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath, readExtensionSpec, type ExtensionEntry, type ExtensionSpec, type ImportRef, type RouterSpec, type RouteSpec } from '../config';
import { nearestName } from '../config/suggest';
import { serveStatic } from '../http/serve-static';
import { joinPaths } from '../routing/path-pattern';
import type { App } from '../app/app';
import type { HttpMiddleware } from '../app/middleware';
import { isClass } from '../app/route-declaration';
import { guardProblem } from '../guards/guard';
import { ServError } from '../errors/serv-error';
import { meta, type Constructor, type GuardRef, type HttpMethod } from '../metadata/store';
import { getProtocol, registeredProtocols } from '../protocol/registry';
import { discoverRoutes, type YamlRegistrations } from './discover-routes';
import { extensionFolder, importRef } from './import-ref';

/** A missing extension folder: names the nearest existing one when the name looks mistyped, else how to create it. */
function extensionNotFound(name: string, dir: string, extensionDir: string): ServError {
  const guess = nearestName(name, extensionFolders(extensionDir));
  const fix =
    guess === undefined
      ? `create it with "serv create extension --name ${name}" or remove it from extensions`
      : `did you mean "${guess}"? Fix the name in extensions, or create it with "serv create extension --name ${name}"`;
  return new ServError('SERV_EXTENSION_LOAD', `extension "${name}" not found: ${displayPath(dir)} does not exist (settings.extension_dir is ${displayPath(extensionDir)}); ${fix}`);
}

// Folders of extension_dir that hold an extension.yaml: the names a mistyped one is compared with.
function extensionFolders(extensionDir: string): string[] {
  if (!existsSync(extensionDir)) return [];
  return readdirSync(extensionDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(extensionDir, entry.name, 'extension.yaml')))
    .map((entry) => entry.name);
}

/** Load the listed extensions into `app`: routers (HTTP and protocol routes), listeners and middleware; every error is reported. */
export function loadExtensions(app: App, entries: readonly ExtensionEntry[], extensionDir: string): ExtensionSpec[] {
  const errors: Error[] = [];
  const specs: ExtensionSpec[] = [];
  for (const entry of entries) {
    const dir = extensionFolder(extensionDir, entry.name);
    if (!existsSync(dir)) {
      errors.push(extensionNotFound(entry.name, dir, extensionDir));
      continue;
    }
    try {
      const spec = readExtensionSpec(dir);
      specs.push(spec);
      const settings = { ...spec.settings, ...entry.settings };
      collect(errors, () => loadRouters(app, spec, settings));
      for (const ref of spec.middleware) collect(errors, () => app.use(expectFunction(spec, ref, 'middleware') as HttpMiddleware));
      for (const ref of spec.listeners) collect(errors, () => app.addListener(expectClass(spec, ref, 'listener')));
    } catch (err) {
      errors.push(err as Error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new ServError('SERV_EXTENSION_LOAD', `${errors.length} problems loading extensions:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`, {
      cause: new AggregateError(errors),
    });
  }
  return specs;
}

function collect(errors: Error[], fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    errors.push(err as Error);
  }
}

function loadRouters(app: App, spec: ExtensionSpec, extensionSettings: Record<string, unknown>): void {
  const yaml: YamlRegistrations = { claimed: new Set(), modules: new Map() };
  for (const router of spec.routers) {
    loadStatics(app, spec, router);
    const routerGuards = (router.guards ?? []).map((ref) => expectGuard(spec, ref));
    for (const route of router.routes) {
      const handler = importRef(spec.dir, route.handler);
      yaml.modules.set(route.handler.module, route.handler);
      const source = `${displayPath(spec.file)} ${route.keyPath}`;
      if (typeof handler !== 'function') {
        throw new ServError('SERV_EXTENSION_LOAD', `${source}.handler: "${route.handler.module}:${route.handler.exportName}" is a ${typeof handler}, expected a class or a function`);
      }
      const kind = routeKind(spec, route, handler as Constructor);
      yaml.claimed.add(handler);
      app.addRoute({
        kind,
        path: route.path,
        mount: router.mount === '' ? undefined : router.mount,
        methods: route.methods as HttpMethod[] | undefined,
        settings: { ...extensionSettings, ...router.config, ...route.config },
        options: kind === 'http' ? undefined : route.options,
        guards: [...routerGuards, ...(route.guards ?? []).map((ref) => expectGuard(spec, ref))],
        source,
        handler: handler as Constructor,
      });
    }
  }
  if (spec.discover) discoverRoutes(app, spec, extensionSettings, yaml);
}

// The kind YAML wrote, else the handler decorator's; a contradiction between the two names the file and key.
function routeKind(spec: ExtensionSpec, route: RouteSpec, handler: Constructor): string {
  const declared = meta.getProtocolRoute(handler)?.kind ?? (meta.getRoute(handler) === undefined ? undefined : 'http');
  const at = `${displayPath(spec.file)}: ${route.keyPath}`;
  const name = `${route.handler.module}:${route.handler.exportName}`;
  const decoratorOf = (kind: string): string => (kind === 'http' ? 'Route' : getProtocol(kind)?.decorator ?? kind);
  if (route.kind !== undefined && declared !== undefined && route.kind !== declared) {
    const written = route.kindKey === 'methods' ? 'methods' : `${route.kindKey}: ${String(route.kind !== 'http')}`;
    throw new ServError(
      'SERV_EXTENSION_LOAD',
      `${at}.${written} contradicts @${decoratorOf(declared)} on ${name}; remove "${written}" (a @${decoratorOf(declared)} class is always ${declared === 'http' ? 'an HTTP' : `a ${decoratorOf(declared).replace(/Route$/, '')}`} route)`,
    );
  }
  const kind = route.kind ?? declared ?? 'http';
  const stray = kind === 'http' ? route.optionKeys[0] : undefined;
  if (stray !== undefined) {
    const flag = registeredProtocols().find((p) => p.routeKeys?.keys.some((k) => k.key === stray))?.routeKeys?.flag ?? 'websocket';
    throw new ServError('SERV_EXTENSION_LOAD', `${at}.${stray} is only allowed on a ${flag} route, and ${name} is an HTTP handler; remove ${stray}, or add "${flag}: true" for a function handler`);
  }
  return kind;
}

function expectGuard(spec: ExtensionSpec, ref: ImportRef): GuardRef {
  const value = importRef(spec.dir, ref);
  const problem = guardProblem(value);
  if (problem !== null) {
    throw new ServError('SERV_EXTENSION_LOAD', `${displayPath(spec.file)}: ${ref.keyPath}: guard "${ref.module}:${ref.exportName}" must be ${problem}`);
  }
  return value as GuardRef;
}

/** A router's `static:` folders: `path` serves the folder's index, `path/{path:path}` the files below it. */
function loadStatics(app: App, spec: ExtensionSpec, router: RouterSpec): void {
  for (const entry of router.statics) {
    const handler = serveStatic(entry.root, { index: entry.index, maxAgeS: entry.maxAgeS, immutable: entry.immutable });
    const source = `${displayPath(spec.file)} ${entry.keyPath}`;
    const mount = router.mount === '' ? undefined : router.mount;
    app.addRoute({ path: entry.path, mount, methods: ['GET'], source, handler });
    app.addRoute({ path: joinPaths(entry.path, '{path:path}'), mount, methods: ['GET'], source, handler });
  }
}

function expectFunction(spec: ExtensionSpec, ref: ImportRef, what: string): unknown {
  const value = importRef(spec.dir, ref);
  if (typeof value !== 'function' || isClass(value)) {
    throw new ServError('SERV_EXTENSION_LOAD', `${displayPath(spec.file)}: ${ref.keyPath}: ${what} "${ref.module}:${ref.exportName}" must be a function (ctx, next) => …`);
  }
  return value;
}

function expectClass(spec: ExtensionSpec, ref: ImportRef, what: string): Constructor {
  const value = importRef(spec.dir, ref);
  if (!isClass(value)) {
    throw new ServError('SERV_EXTENSION_LOAD', `${displayPath(spec.file)}: ${ref.keyPath}: ${what} "${ref.module}:${ref.exportName}" must be a class with @On(event) methods`);
  }
  return value as Constructor;
}
