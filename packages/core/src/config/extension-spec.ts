import * as path from 'node:path';
import { parseImportRef, type ImportRef } from './import-ref';
import { readRouters, type RouterSpec } from './router-spec';
import {
  expectBool, expectKnownKeys, expectList, expectMapping, expectString, fail, isUnset, itemAt, keyAt, optional, rootAt, type At,
} from './validate';
import { parseYaml, readConfigText } from './yaml-source';

/** A validated `extension.yaml`. */
export interface ExtensionSpec {
  /** Absolute path of the extension.yaml. */
  file: string;
  /** Absolute extension folder; modules in import refs resolve against it. */
  dir: string;
  /** Display name. */
  name: string;
  /** Version as written (`1.0` stays "1.0" even though YAML reads it as a number). */
  version: string;
  description?: string;
  author?: string;
  /** The extension's default settings; the app's `{ extension, settings }` entry overrides them. */
  settings: Record<string, unknown>;
  /** Listener classes to import and register. */
  listeners: ImportRef[];
  /** Middleware to import and install, in order. */
  middleware: ImportRef[];
  /** Declarative routers (HTTP and WebSocket routes). */
  routers: RouterSpec[];
  /** Register the `@Route`/`@WebSocketRoute` classes the extension's modules export (default true; `discover: false` leaves YAML as the only source). */
  discover: boolean;
}

/** Keys allowed at the top of extension.yaml. */
export const EXTENSION_SPEC_KEYS: readonly string[] = [
  'name', 'version', 'description', 'author', 'discover', 'settings', 'listeners', 'middleware', 'routers',
];

// Python Serv's extension.yaml spelled listeners these ways; point people at the new key.
const PYTHON_SERV_KEYS: Readonly<Record<string, string>> = { entry: 'listeners', entry_points: 'listeners' };

/** The file name every extension folder holds. */
export const EXTENSION_SPEC_FILE = 'extension.yaml';

/** Reads and validates `<dir>/extension.yaml`; a missing file is a SERV_CONFIG_NOT_FOUND error. */
export function readExtensionSpec(dir: string): ExtensionSpec {
  const file = path.join(dir, EXTENSION_SPEC_FILE);
  const hint = 'every extension folder needs an extension.yaml with at least "name" and "version"; "serv create extension" writes one';
  return parseExtensionSpec(readConfigText(file, hint), file, dir);
}

/** Parses and validates extension.yaml text; `file` names it in errors, `dir` is the extension folder. */
export function parseExtensionSpec(text: string, file: string, dir: string): ExtensionSpec {
  const absolute = path.resolve(file);
  const root = rootAt(file);
  const value = parseYaml(text, file);
  const block = isUnset(value) ? {} : expectMapping(value, root);
  expectKnownKeys(block, root, EXTENSION_SPEC_KEYS, PYTHON_SERV_KEYS);
  const spec: ExtensionSpec = {
    file: absolute,
    dir: path.resolve(dir),
    name: expectString(block.name, keyAt(root, 'name')),
    version: readVersion(block.version, text, keyAt(root, 'version')),
    settings: optional(block.settings, keyAt(root, 'settings'), expectMapping) ?? {},
    listeners: readRefs(block.listeners, keyAt(root, 'listeners'), absolute),
    middleware: readRefs(block.middleware, keyAt(root, 'middleware'), absolute),
    routers: readRouters(block.routers, keyAt(root, 'routers'), absolute),
    discover: optional(block.discover, keyAt(root, 'discover'), expectBool) ?? true,
  };
  const description = optional(block.description, keyAt(root, 'description'), expectString);
  const author = optional(block.author, keyAt(root, 'author'), expectString);
  if (description !== undefined) spec.description = description;
  if (author !== undefined) spec.author = author;
  return spec;
}

// `version: 1.0` is a float to YAML; take the number as written on the top-level line so it does not become "1".
function readVersion(value: unknown, text: string, at: At): string {
  if (typeof value === 'number') return /^version:[ \t]*([-+.\w]+)[ \t]*(?:#.*)?$/m.exec(text)?.[1] ?? String(value);
  if (typeof value !== 'string' || value.trim() === '') fail(at, 'be a non-empty string such as "1.0.0"', value);
  return value;
}

function readRefs(value: unknown, at: At, file: string): ImportRef[] {
  if (isUnset(value)) return [];
  return expectList(value, at).map((item, index) => parseImportRef(item, itemAt(at, index), file));
}
