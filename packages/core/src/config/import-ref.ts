import { fail, type At } from './validate';

/** A `"module:Export"` reference from extension.yaml, resolved later relative to the extension folder. */
export interface ImportRef {
  /** Module path relative to the extension folder, without extension (`main` → `main.ts` or `main.js`). */
  readonly module: string;
  /** Export to take from the module; may be dotted (`Outer.Inner`) to reach a nested member. */
  readonly exportName: string;
  /** Where the reference sits, e.g. `routers[0].routes[1].handler`, for errors raised while importing it. */
  readonly keyPath: string;
  /** Absolute path of the YAML file that holds the reference. */
  readonly file: string;
}

// A module is a relative path made of ordinary path characters; no absolute paths, no drive letters, no spaces.
const MODULE = /^(?!\/)[A-Za-z0-9_.@\-/]+$/;
const EXPORT = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

/** Parses a `"module:Export"` string at `at` into an ImportRef, or throws `must look like "module:Export"`. */
export function parseImportRef(value: unknown, at: At, file: string): ImportRef {
  if (typeof value !== 'string') fail(at, 'look like "module:Export"', value);
  const colon = value.indexOf(':');
  const module = value.slice(0, colon).trim();
  const exportName = value.slice(colon + 1).trim();
  if (colon === -1 || !MODULE.test(module) || !EXPORT.test(exportName)) fail(at, 'look like "module:Export"', value);
  return { module, exportName, keyPath: at.keyPath, file };
}
