import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where compiled TypeScript is kept between runs: `$SERV_TS_CACHE_DIR`, else `<cwd>/node_modules/.cache/serv-ts`
 * when the project has a node_modules folder, else a per-user folder under the OS temp dir.
 */
export function defaultCacheDir(cwd: string = process.cwd()): string {
  const fromEnv = process.env.SERV_TS_CACHE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const nodeModules = join(cwd, 'node_modules');
  if (existsSync(nodeModules)) return join(nodeModules, '.cache', 'serv-ts');
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return join(tmpdir(), `serv-ts-cache-${user}`);
}

/** The cache key of one compilation: everything that can change the emitted JavaScript. */
export function compileCacheKey(parts: { filename: string; source: string; compilerVersion: string; optionsJson: string }): string {
  return createHash('sha256')
    .update(parts.compilerVersion)
    .update('\0')
    .update(parts.optionsJson)
    .update('\0')
    .update(parts.filename)
    .update('\0')
    .update(parts.source)
    .digest('hex');
}

/** A content-addressed folder of compiled modules; safe for several processes (cluster workers) at once. */
export class CompileCache {
  private ready = false;
  private warned = false;

  constructor(readonly dir: string) {}

  /** The cached JavaScript for `key`, or undefined on a miss. */
  get(key: string): string | undefined {
    try {
      return readFileSync(this.file(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Stores `code` under `key`; a read-only disk only costs speed, so it warns once instead of failing the load. */
  set(key: string, code: string): void {
    const target = this.file(key);
    // Write then rename: a concurrent reader sees either nothing or the whole file.
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      this.write(temporary, target, code);
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        process.emitWarning(`Could not write the TypeScript cache in ${this.dir} (${(error as Error).message}); set SERV_TS_CACHE_DIR to a writable folder`);
      }
    }
  }

  private write(temporary: string, target: string, code: string): void {
    if (!this.ready) {
      mkdirSync(this.dir, { recursive: true });
      this.ready = true;
    }
    try {
      writeFileSync(temporary, code);
    } catch (error) {
      // The folder was removed while we ran (someone cleared the cache): make it again once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temporary, code);
    }
    renameSync(temporary, target);
  }

  private file(key: string): string {
    return join(this.dir, `${key}.js`);
  }
}
