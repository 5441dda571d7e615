import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { markTopLevelAwait, topLevelAwaitFinder } from './top-level-await';

/**
 * The compiler options every TypeScript module is compiled with, in tsconfig JSON form (so they can be hashed
 * without loading the compiler). Decorator metadata is the reason this loader exists: esbuild, tsx and swc's
 * defaults drop `design:paramtypes`, which constructor and method-parameter injection read.
 */
export const TRANSPILE_OPTIONS = Object.freeze({
  module: 'commonjs',
  target: 'es2022',
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: false,
});

/** A TypeScript file that does not parse; names the file, line and column. */
export class TypeScriptSyntaxError extends Error {
  /** Stable code for callers that branch on the kind of error. */
  readonly code = 'TS_SYNTAX';

  constructor(message: string) {
    super(message);
    this.name = 'TypeScriptSyntaxError';
  }
}

type TypeScriptModule = typeof import('typescript');
let compiler: TypeScriptModule | undefined;

/** The installed TypeScript version, read from its package.json without loading the (slow to load) compiler. */
export function typescriptVersion(): string {
  const manifestPath = require.resolve('typescript/package.json');
  return (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
}

/** True once the compiler has been loaded in this process (a cache miss happened). */
export function compilerLoaded(): boolean {
  return compiler !== undefined;
}

/**
 * Compiles one module to CommonJS with decorator metadata and an inline source map; throws on syntax errors.
 * A module that awaits at its top level comes back marked (see top-level-await.ts).
 */
export function transpile(filename: string, source: string): string {
  // Loading typescript costs ~300 ms, so only a cache miss pays for it.
  compiler ??= require('typescript') as TypeScriptModule;
  const ts = compiler;
  const converted = ts.convertCompilerOptionsFromJson(TRANSPILE_OPTIONS, process.cwd());
  let awaitsAt: { line: number; column: number } | undefined;
  const output = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: converted.options,
    reportDiagnostics: true,
    transformers: { before: [topLevelAwaitFinder(ts, (position) => (awaitsAt ??= position))] },
  });
  const errors = (output.diagnostics ?? []).filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const shown = relative(process.cwd(), filename) || filename;
    const lines = errors.map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (diagnostic.file === undefined || diagnostic.start === undefined) return `${shown}: error TS${diagnostic.code}: ${text}`;
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${shown}:${line + 1}:${character + 1}: error TS${diagnostic.code}: ${text}`;
    });
    // One line: callers (the extension loader) quote only the first line of a cause.
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more syntax error${lines.length > 2 ? 's' : ''})` : '';
    throw new TypeScriptSyntaxError(`${lines[0]}${more}`);
  }
  return awaitsAt === undefined ? output.outputText : markTopLevelAwait(output.outputText, awaitsAt);
}
