import { ServError } from '../errors/serv-error';

/**
 * Load an optional driver package (`better-sqlite3`, `redis`) only when a setting asks for it; when it is not
 * installed, a startup error names the setting and the package to install.
 */
export function requireDriver<T>(pkg: string, install: string, setting: string): T {
  try {
    return require(pkg) as T;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'MODULE_NOT_FOUND' || !String((err as Error).message).includes(`'${pkg}'`)) throw err;
    throw new ServError(
      'SERV_DRIVER_MISSING',
      `${setting} needs the "${pkg}" package, which is not installed; run: npm install ${install} (or choose another store)`,
      { cause: err },
    );
  }
}
