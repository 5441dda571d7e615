import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { displayPath, type ImportRef } from '../config';
import { ServError } from '../errors/serv-error';

const CANDIDATES = ['.ts', '.js', '.cjs', '/index.ts', '/index.js'];

function where(ref: ImportRef): string {
  return `${displayPath(ref.file)}: ${ref.keyPath}`;
}

/** Find the file a module reference names, relative to the extension folder (`main` → `main.ts` or `main.js`). */
export function resolveModuleFile(dir: string, ref: ImportRef): string {
  const base = resolve(dir, ref.module);
  if (extname(base) !== '' && existsSync(base)) return base;
  for (const suffix of CANDIDATES) {
    const file = base + suffix;
    if (existsSync(file)) return file;
  }
  throw new ServError(
    'SERV_EXTENSION_LOAD',
    `${where(ref)}: module "${ref.module}" not found: neither ${ref.module}.ts nor ${ref.module}.js exists in ${displayPath(dir)}; create it or fix the "module:Export" reference`,
  );
}

/** Import the module an `extension.yaml` reference names, with errors naming the file and key. */
export function importModule(dir: string, ref: ImportRef): { file: string; exports: Record<string, unknown> } {
  const file = resolveModuleFile(dir, ref);
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>;
  } catch (err) {
    if (file.endsWith('.ts') && err instanceof SyntaxError && require.extensions['.ts'] === undefined) {
      throw new ServError(
        'SERV_EXTENSION_LOAD',
        `${where(ref)}: ${displayPath(file)} is TypeScript and no TypeScript loader is registered; start the app with "serv launch" ` +
          `(it compiles TypeScript with decorator metadata) or run node with "-r @serv/cli/register"`,
        { cause: err },
      );
    }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ServError('SERV_EXTENSION_LOAD', `${where(ref)}: loading ${displayPath(file)} failed: ${message}`, { cause: err });
  }
  return { file, exports: mod };
}

/** Import the export an `extension.yaml` reference names (`"main:ChatPageRoute"`), with errors naming the file and key. */
export function importRef(dir: string, ref: ImportRef): unknown {
  const { file, exports: mod } = importModule(dir, ref);
  let value: unknown = mod;
  for (const part of ref.exportName.split('.')) {
    value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[part];
  }
  if (value === undefined) {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new ServError(
      'SERV_EXTENSION_LOAD',
      `${where(ref)}: ${displayPath(file)} has no export "${ref.exportName}" (it exports: ${names.length === 0 ? 'nothing' : names.join(', ')})`,
    );
  }
  return value;
}

/** The folder of an extension by name. */
export const extensionFolder = (extensionDir: string, name: string): string => join(extensionDir, name);
