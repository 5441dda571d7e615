import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { displayPath, type ExtensionSpec, type ImportRef } from '../config';
import type { App } from '../app/app';
import { meta, type Constructor } from '../metadata/store';
import { importModule, resolveModuleFile } from './import-ref';

/** What YAML already registered in one extension: its handler values and the modules it named. */
export interface YamlRegistrations {
  /** Handler values a YAML route names: each is registered by that route, never again at its decorator path. */
  readonly claimed: Set<unknown>;
  /** Module references (`main`, `routes/items`) that YAML routes name; their exports are scanned too. */
  readonly modules: Map<string, ImportRef>;
}

/**
 * Registers, at its decorator path, every `@Route()` / `@WebSocketRoute()` class exported by the extension's `main`
 * module and by each module a YAML route names — except the classes a YAML route already registered. The source
 * shown by `serv routes` and in conflicts is the decorator's `file:line`.
 */
export function discoverRoutes(app: App, spec: ExtensionSpec, settings: Record<string, unknown>, yaml: YamlRegistrations): void {
  const refs = new Map(yaml.modules);
  const main: ImportRef = { module: 'main', exportName: '*', keyPath: 'discover', file: spec.file };
  if (!refs.has('main') && hasModule(spec.dir, main)) refs.set('main', main);
  const seen = new Set<unknown>(yaml.claimed);
  for (const ref of refs.values()) {
    const { file, exports } = importModule(spec.dir, ref);
    for (const [name, value] of Object.entries(exports)) {
      if (seen.has(value) || !isDecoratedRoute(value)) continue;
      seen.add(value);
      app.register(value, { settings, source: sourceOf(value, file, name) });
    }
  }
}

// A class whose own decorator gives it a path: `@Route('/x')` or `@WebSocketRoute('/ws')` (any protocol's).
function isDecoratedRoute(value: unknown): value is Constructor {
  if (typeof value !== 'function') return false;
  const cls = value as Constructor;
  return meta.getProtocolRoute(cls) !== undefined || meta.getRoute(cls)?.path !== undefined;
}

function hasModule(dir: string, ref: ImportRef): boolean {
  try {
    return existsSync(resolveModuleFile(dir, ref));
  } catch {
    return false;
  }
}

// `extensions/chat/main.ts:12`: where the decorator ran, shown like every other path (relative to the cwd).
function sourceOf(cls: Constructor, file: string, exportName: string): string {
  const declared = meta.getProtocolRoute(cls)?.declaredAt ?? meta.getRoute(cls)?.declaredAt;
  const match = declared === undefined ? null : /^(.*):(\d+)$/.exec(declared);
  if (match === null) return `${displayPath(file)} export ${exportName}`;
  const declaredFile = isAbsolute(match[1]) ? match[1] : resolve(process.cwd(), match[1]);
  return `${displayPath(declaredFile)}:${match[2]}`;
}
