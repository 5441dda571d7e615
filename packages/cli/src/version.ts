import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version of @serv/cli, read from its package.json (one level above src/ and dist/). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${join(__dirname, '..', 'package.json')} has no "version" string`);
  return manifest.version;
}
