import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The package boundaries and the file-size rule of docs/architecture.md, read from the sources themselves: @serv/core
 * never reaches @serv/websocket (a protocol plugs into core, never the other way round), and no source file grows
 * past 350 lines.
 */

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const PACKAGES = join(ROOT, 'packages');
const CORE_SRC = join(PACKAGES, 'core', 'src');
const WEBSOCKET_DIR = join(PACKAGES, 'websocket');
const MAX_LINES = 350;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mts|cts)$/.test(entry.name) ? [path] : [];
  });
}

// Every module specifier a file names, read by TypeScript's own pre-processor (so a specifier quoted inside a string
// or a comment does not count): static and type imports, re-exports, require(), import() and `declare module`.
function specifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return [...info.importedFiles.map((f) => f.fileName), ...(info.ambientExternalModules ?? [])];
}

function reachesWebsocket(file: string, specifier: string): boolean {
  if (specifier === '@serv/websocket' || specifier.startsWith('@serv/websocket/')) return true;
  if (!specifier.startsWith('.')) return false;
  const target = resolve(dirname(file), specifier);
  return target === WEBSOCKET_DIR || target.startsWith(WEBSOCKET_DIR + sep);
}

describe('package boundaries', () => {
  it('finds every module reference form the check relies on', () => {
    const sample = [
      "import { a } from '@serv/websocket';",
      "import type { B } from '../../../websocket/src/index';",
      "export * from '@serv/websocket';",
      "const ws = require('@serv/websocket');",
      "const lazy = await import('@serv/websocket/client');",
      "import '@serv/websocket';",
      "declare module '@serv/websocket' {}",
      "const text = \"import '@serv/websocket' first\"; // require('@serv/websocket') in a comment",
    ].join('\n');
    const file = join(CORE_SRC, 'app', 'x.ts');
    expect(specifiers(sample).map((s) => reachesWebsocket(file, s))).toEqual([true, true, true, true, true, true, true]);
    expect(reachesWebsocket(file, '../protocol/registry')).toBe(false);
  });

  it('keeps @serv/core free of any import or require of @serv/websocket', () => {
    const offenders = sourceFiles(CORE_SRC).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => reachesWebsocket(file, specifier))
        .map((specifier) => `${relative(ROOT, file)} -> ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it(`keeps every file under packages/*/src at ${MAX_LINES} lines or fewer`, () => {
    const packages = readdirSync(PACKAGES, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const tooLong = packages.flatMap((pkg) => {
      const src = join(PACKAGES, pkg.name, 'src');
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        return [];
      }
      return files
        .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length }))
        .filter(({ lines }) => lines > MAX_LINES)
        .map(({ file, lines }) => `${file}: ${lines} lines`);
    });
    expect(tooLong).toEqual([]);
  });
});
