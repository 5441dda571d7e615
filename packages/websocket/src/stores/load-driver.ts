import { RoomsError } from '../rooms/rooms-error';

/**
 * Require an optional driver package only when the configured store needs it; a missing package is a startup error
 * naming the setting and the package to install.
 */
export function loadDriver<T>(pkg: 'better-sqlite3' | 'pg', kind: string, implicit = false): T {
  try {
    return require(pkg) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    const install = pkg === 'better-sqlite3' ? 'npm install better-sqlite3@12' : 'npm install pg';
    const setting = implicit ? `settings.store is not set, so history goes to the default { kind: ${kind} }` : `settings.store.kind is "${kind}"`;
    throw new RoomsError('SERV_ROOMS_STORE', `${setting}, which needs the ${pkg} package; install it next to @serv/websocket (${install})`, {
      cause: err,
    });
  }
}
