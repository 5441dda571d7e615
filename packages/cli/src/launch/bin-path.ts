import { join } from 'node:path';

/** The `serv` executable (dist/bin.js) that supervisors and cluster primaries fork. */
export function servBinPath(): string {
  return join(__dirname, '..', 'bin.js');
}
