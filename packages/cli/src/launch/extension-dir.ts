import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseYaml } from '@serv/core';

/**
 * The extension folder a config file names (`settings.extension_dir`, default `./extensions`), read leniently: it
 * is only a hint for watching and type-checking, and a file being edited may not parse — the loader reports that.
 */
export function extensionDirOf(configFile: string): string {
  let dir = './extensions';
  try {
    const document = parseYaml(readFileSync(configFile, 'utf8'), configFile) as { settings?: { extension_dir?: unknown } } | null;
    const configured = document?.settings?.extension_dir;
    if (typeof configured === 'string' && configured !== '') dir = configured;
  } catch {
    // Unreadable or invalid: the server reports it properly when it loads.
  }
  return resolve(dirname(configFile), dir);
}
