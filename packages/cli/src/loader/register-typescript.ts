import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { CompileCache, compileCacheKey, defaultCacheDir } from './compile-cache';
import { installSharedModuleResolution, sharedPackagePath } from './shared-modules';
import { topLevelAwaitAt, wrapTopLevelAwait } from './top-level-await';
import { TRANSPILE_OPTIONS, transpile, TypeScriptSyntaxError, typescriptVersion } from './transpile';

/** Options of registerTypeScript. */
export interface RegisterTypeScriptOptions {
  /** Folder for compiled output (default: see defaultCacheDir). */
  readonly cacheDir?: string;
  /** Project folder used to pick the default cache folder (default: process.cwd()). */
  readonly cwd?: string;
}

/** What registerTypeScript installed, for diagnostics and tests. */
export interface TypeScriptRegistration {
  readonly cacheDir: string;
  /** Modules served from the cache since registration. */
  readonly hits: () => number;
  /** Modules compiled since registration. */
  readonly misses: () => number;
  /** Milliseconds spent reading the cache, loading the compiler and compiling (not running the modules). */
  readonly loaderMs: () => number;
}

type CompilableModule = NodeModule & { _compile(code: string, filename: string): void };

let registration: TypeScriptRegistration | undefined;

/**
 * Lets `require()` load `.ts` files: compiles them with TypeScript's transpileModule (CommonJS, ES2022, decorator
 * metadata kept, inline source maps), caches the output on disk, makes @serv/core, @serv/websocket,
 * reflect-metadata and tsyringe resolve to the CLI's copies, and loads reflect-metadata. Idempotent.
 * @example registerTypeScript(); require('./extensions/chat/main.ts');
 */
export function registerTypeScript(options: RegisterTypeScriptOptions = {}): TypeScriptRegistration {
  if (registration !== undefined) return registration;
  process.setSourceMapsEnabled(true);
  installSharedModuleResolution();
  const reflectMetadata = sharedPackagePath('reflect-metadata');
  if (reflectMetadata !== null) require(reflectMetadata);

  const cache = new CompileCache(options.cacheDir ?? defaultCacheDir(options.cwd));
  const compilerVersion = typescriptVersion();
  // The leading number versions the loader's output format (2: top-level await marker), so old entries miss.
  const optionsJson = JSON.stringify([2, TRANSPILE_OPTIONS]);
  let hits = 0;
  let misses = 0;
  let loaderMs = 0;

  require.extensions['.ts'] = (module: NodeModule, filename: string): void => {
    const started = performance.now();
    const source = readFileSync(filename, 'utf8');
    const key = compileCacheKey({ filename, source, compilerVersion, optionsJson });
    let code = cache.get(key);
    if (code === undefined) {
      misses += 1;
      code = transpile(filename, source);
      cache.set(key, code);
    } else {
      hits += 1;
    }
    loaderMs += performance.now() - started;
    const awaitsAt = topLevelAwaitAt(code);
    if (awaitsAt !== undefined) {
      // Node loads the entry file with id '.': only there can a top-level await finish before anything imports it.
      if (module.id !== '.') {
        const shown = relative(process.cwd(), filename) || filename;
        throw new TypeScriptSyntaxError(
          `${shown}:${awaitsAt.line}:${awaitsAt.column}: top-level await works only in the file you run (serv run FILE), because modules are compiled to CommonJS; move it into an async function and call that from the entry file`,
        );
      }
      code = wrapTopLevelAwait(code);
    }
    (module as CompilableModule)._compile(code, filename);
  };

  registration = { cacheDir: cache.dir, hits: () => hits, misses: () => misses, loaderMs: () => loaderMs };
  return registration;
}
