import '../protocols';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { readServConfig, type ServConfig } from '@serv/core';
import type { FlagValues } from '../args/command-spec';
import { didYouMean } from '../args/suggest';
import { UsageError } from '../args/usage-error';
import { CliError } from '../cli-error';
import { ask, canPrompt } from './prompt';

/** The config file a command works on: --config, else `<cwd>/serv.config.yaml`. */
export function configFileFrom(flags: FlagValues, cwd: string = process.cwd()): string {
  const given = flags.config as string | undefined;
  return resolve(cwd, given ?? 'serv.config.yaml');
}

/** Reads and validates the app's config through @serv/core (environment overrides ignored: we edit the file). */
export function readProjectConfig(configFile: string): ServConfig {
  return readServConfig(configFile, {});
}

/** Extension folders (those holding an extension.yaml) directly under `extensionDir`, sorted by name. */
export function availableExtensions(extensionDir: string): string[] {
  if (!existsSync(extensionDir)) return [];
  return readdirSync(extensionDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(extensionDir, entry.name, 'extension.yaml')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * "No extension "chatt" in extensions/ (there are: chat, news). Did you mean "chat"? …": a mistyped or missing
 * extension name, with the nearest existing one and how to create it.
 */
export function noSuchExtension(name: string, extensionDir: string, available: readonly string[], cwd: string = process.cwd()): CliError {
  const shownDir = relative(cwd, extensionDir) || '.';
  const list = available.length === 0 ? 'there are none yet' : `there are: ${available.join(', ')}`;
  const guess = didYouMean(name, available);
  const create = `create it with "serv create extension --name ${basename(name)}"`;
  return new CliError('SERV_CLI_NO_EXTENSION', `No extension "${name}" in ${shownDir}/ (${list}).${guess}${guess === '' ? ' To add it, ' : ' Otherwise '}${create}.`);
}

/**
 * The extension folder a `serv create route|websocket|listener|middleware` adds to: --extension, else the current
 * folder when it is an extension, else the only extension of the app (asked on a terminal when there are several).
 */
export async function chooseExtensionDir(flags: FlagValues, where: string, cwd: string = process.cwd()): Promise<string> {
  const named = flags.extension as string | undefined;
  if (named === undefined && existsSync(join(cwd, 'extension.yaml'))) return cwd;
  const config = readProjectConfig(configFileFrom(flags, cwd));
  const extensionDir = config.settings.extensionDir;
  const shownDir = relative(cwd, extensionDir) || '.';
  const available = availableExtensions(extensionDir);
  if (named !== undefined) {
    const dir = resolve(extensionDir, named);
    if (existsSync(join(dir, 'extension.yaml'))) return dir;
    throw noSuchExtension(named, extensionDir, available, cwd);
  }
  if (available.length === 1) return join(extensionDir, available[0]!);
  if (available.length === 0) {
    throw new CliError('SERV_CLI_NO_EXTENSION', `No extensions in ${shownDir}/ yet; create one first with "serv create extension --name NAME"`);
  }
  if (canPrompt(flags)) {
    const answer = await ask(`Extension (${available.join(', ')})`, available[0]!);
    if (available.includes(answer)) return join(extensionDir, answer);
    throw new CliError('SERV_CLI_NO_EXTENSION', `No extension "${answer}" in ${shownDir}/ (there are: ${available.join(', ')})`);
  }
  throw new UsageError(`Several extensions in ${shownDir}/ (${available.join(', ')}); pass --extension NAME.`, where);
}
