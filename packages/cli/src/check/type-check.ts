import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SHARED_PACKAGES } from '../loader/shared-modules';
import { codeFrame } from './code-frame';

type TypeScriptModule = typeof import('typescript');

/** What to type-check. */
export interface TypeCheckTarget {
  /** The project folder: where tsconfig.json is looked for, and what paths are shown relative to. */
  readonly projectDir: string;
  /** Files to check instead of the tsconfig's (e.g. the file given to `serv run`). */
  readonly files?: readonly string[];
  /** Folder whose .ts files are checked when there is neither a tsconfig.json nor `files` (the extension folder). */
  readonly fallbackDir?: string;
}

/** The outcome of one type check. */
export interface TypeCheckResult {
  readonly errorCount: number;
  /** Files with at least one error, relative to the project folder. */
  readonly filesWithErrors: readonly string[];
  /** One entry per diagnostic: `file:line:col - error TSnnnn: message` and a code frame. */
  readonly reports: readonly string[];
  /** The user's own source files that were checked (declaration files and node_modules excluded). */
  readonly checkedFiles: number;
  /** The tsconfig.json used, or undefined when the loader's defaults were. */
  readonly tsconfig: string | undefined;
}

/**
 * The options `serv launch` compiles with (see loader/transpile.ts), plus `strict`, for projects without a
 * tsconfig.json; the same file `serv create app` writes.
 */
const DEFAULT_OPTIONS = {
  target: 'es2022',
  module: 'commonjs',
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

const TOP_LEVEL_AWAIT_CODES = new Set([1378, 1432]);

/**
 * Type-checks a project the way `tsc --noEmit` would: with its tsconfig.json when there is one (unless `files` are
 * given), else with the loader's options over `fallbackDir`. @serv/core, @serv/websocket, reflect-metadata and
 * tsyringe resolve to the CLI's own copies when the project does not have them, as they do at run time.
 */
export function typeCheck(target: TypeCheckTarget): TypeCheckResult {
  const ts = require('typescript') as TypeScriptModule;
  const projectDir = resolve(target.projectDir);
  const tsconfig = join(projectDir, 'tsconfig.json');
  const hasTsconfig = existsSync(tsconfig);
  let options: import('typescript').CompilerOptions;
  let rootNames: string[];
  const configErrors: import('typescript').Diagnostic[] = [];
  if (hasTsconfig) {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (read.error !== undefined) configErrors.push(read.error);
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, projectDir, undefined, tsconfig);
    configErrors.push(...parsed.errors.filter((error) => !(target.files !== undefined && error.code === 18003)));
    options = parsed.options;
    rootNames = parsed.fileNames;
  } else {
    const converted = ts.convertCompilerOptionsFromJson(DEFAULT_OPTIONS, projectDir);
    options = converted.options;
    rootNames = target.fallbackDir === undefined ? [] : typeScriptFilesIn(target.fallbackDir);
  }
  if (target.files !== undefined) rootNames = target.files.map((file) => resolve(projectDir, file));
  options = { ...options, noEmit: true };

  const host = ts.createCompilerHost(options);
  const anchor = join(__dirname, 'anchor.ts');
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions) =>
    literals.map((literal) => {
      const found = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, undefined, redirected);
      if (found.resolvedModule !== undefined || !SHARED_PACKAGES.includes(literal.text)) return found;
      return ts.resolveModuleName(literal.text, anchor, compilerOptions, host);
    });
  // Type packages (`types: ["node"]`, `/// <reference types>`) fall back the same way, so a project checks before
  // its own `npm install` as it runs before it.
  host.resolveTypeReferenceDirectiveReferences = (references, containingFile, redirected, compilerOptions) =>
    references.map((reference) => {
      const name = typeof reference === 'string' ? reference : reference.fileName.toLowerCase();
      const found = ts.resolveTypeReferenceDirective(name, containingFile, compilerOptions, host, redirected);
      if (found.resolvedTypeReferenceDirective !== undefined) return found;
      return ts.resolveTypeReferenceDirective(name, anchor, compilerOptions, host);
    });
  const program = ts.createProgram({ rootNames, options, host });
  // `serv run FILE` runs FILE's top-level await (see loader/top-level-await.ts), so tsc's module-kind complaint about
  // it (TS1378 await, TS1432 for await) does not apply to the files given explicitly.
  const entries = new Set(target.files === undefined ? [] : rootNames);
  const diagnostics = [...configErrors, ...ts.getPreEmitDiagnostics(program)].filter(
    (diagnostic) =>
      diagnostic.category === ts.DiagnosticCategory.Error &&
      !(TOP_LEVEL_AWAIT_CODES.has(diagnostic.code) && diagnostic.file !== undefined && entries.has(resolve(diagnostic.file.fileName))),
  );
  const shown = (file: string): string => {
    const rel = relative(projectDir, file);
    return rel.startsWith('..') ? file : rel;
  };
  const filesWithErrors = new Set<string>();
  const reports = diagnostics.map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined || diagnostic.start === undefined) return `error TS${diagnostic.code}: ${text}`;
    const file = shown(diagnostic.file.fileName);
    filesWithErrors.add(file);
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const frame = codeFrame(diagnostic.file.text, line + 1, character + 1, diagnostic.length ?? 1);
    return `${file}:${line + 1}:${character + 1} - error TS${diagnostic.code}: ${text}\n\n${frame}\n`;
  });
  const checkedFiles = program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/')).length;
  return { errorCount: diagnostics.length, filesWithErrors: [...filesWithErrors], reports, checkedFiles, tsconfig: hasTsconfig ? tsconfig : undefined };
}

/** `Found 2 errors in 1 file: extensions/chat/main.ts` or `No type errors (3 files checked)`. */
export function typeCheckSummary(result: TypeCheckResult): string {
  if (result.errorCount === 0) return `No type errors (${result.checkedFiles} ${result.checkedFiles === 1 ? 'file' : 'files'} checked).`;
  const errors = `${result.errorCount} ${result.errorCount === 1 ? 'error' : 'errors'}`;
  const files = result.filesWithErrors;
  if (files.length === 0) return `Found ${errors}.`;
  return `Found ${errors} in ${files.length} ${files.length === 1 ? 'file' : 'files'}: ${files.join(', ')}`;
}

function typeScriptFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...typeScriptFilesIn(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}
