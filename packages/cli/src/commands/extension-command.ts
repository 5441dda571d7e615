import '../protocols';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseServConfig, readExtensionSpec, type ServConfig } from '@serv/core';
import type { CommandAction, ParsedCommand } from '../args/command-spec';
import { didYouMean } from '../args/suggest';
import { CliError, formatError } from '../cli-error';
import { missingModules } from '../config/extension-modules';
import { disableInDocument, enableInDocument } from '../scaffold/enable-extension';
import { availableExtensions, configFileFrom, noSuchExtension, readProjectConfig } from '../scaffold/project';
import { editableDocument, renderDocument, writeAtomically } from '../scaffold/yaml-edit';

/** `serv extension list|enable|disable|validate`. */
export const extensionCommand: CommandAction = async (parsed) => {
  const file = configFileFrom(parsed.flags);
  const config = readProjectConfig(file);
  switch (parsed.path[1]) {
    case 'list':
      return list(config, parsed.flags.available === true);
    case 'enable':
      return toggle(config, parsed.positionals[0]!, true);
    case 'disable':
      return toggle(config, parsed.positionals[0]!, false);
    case 'validate':
      return validate(config, parsed);
    default:
      throw new Error(`serv extension has no "${String(parsed.path[1])}" action`);
  }
};

function list(config: ServConfig, available: boolean): number {
  const enabled = config.extensions.map((extension) => extension.name);
  if (enabled.length === 0) process.stdout.write('No extensions are currently enabled.\n');
  else {
    process.stdout.write(`Enabled extensions (${enabled.length}):\n`);
    for (const id of enabled) process.stdout.write(`  ${describe(config, id)}\n`);
  }
  if (available) {
    const found = availableExtensions(config.settings.extensionDir);
    process.stdout.write(`Available extensions (${found.length}):\n`);
    for (const id of found) process.stdout.write(`  ${describe(config, id)}${enabled.includes(id) ? ' [enabled]' : ''}\n`);
  }
  return 0;
}

// `chat_room  Chat Room 1.0.0 — what it does`, or the reason its extension.yaml cannot be read.
function describe(config: ServConfig, id: string): string {
  try {
    const spec = readExtensionSpec(join(config.settings.extensionDir, id));
    return `${id}  ${spec.name} ${spec.version}${spec.description === undefined ? '' : ` — ${spec.description}`}`;
  } catch (error) {
    return `${id}  (invalid: ${(error as Error).message})`;
  }
}

function toggle(config: ServConfig, id: string, enable: boolean): number {
  const shownConfig = relative(process.cwd(), config.file) || config.file;
  const enabled = config.extensions.map((extension) => extension.name);
  if (enable) {
    const found = availableExtensions(config.settings.extensionDir);
    if (!found.includes(id)) throw noSuchExtension(id, config.settings.extensionDir, found);
    // Refuse to enable a broken extension: the next launch would fail on it.
    readExtensionSpec(join(config.settings.extensionDir, id));
  } else if (!enabled.includes(id)) {
    const list = enabled.length === 0 ? 'none are enabled' : `enabled: ${enabled.join(', ')}`;
    throw new CliError('SERV_CLI_NOT_ENABLED', `Extension "${id}" is not enabled in ${shownConfig} (${list}).${didYouMean(id, enabled)}`);
  }
  const document = editableDocument(readFileSync(config.file, 'utf8'), config.file);
  const changed = enable ? enableInDocument(document, id) : disableInDocument(document, id);
  if (!changed) {
    process.stdout.write(`Extension "${id}" is already enabled in ${shownConfig}\n`);
    return 0;
  }
  const text = renderDocument(document);
  parseServConfig(text, config.file, {});
  writeAtomically(config.file, text);
  process.stdout.write(`${enable ? 'Enabled' : 'Disabled'} extension "${id}" in ${shownConfig}\n`);
  return 0;
}

function validate(config: ServConfig, parsed: ParsedCommand): number {
  const id = parsed.positionals[0];
  const ids = id !== undefined ? [id] : parsed.flags.all === true ? availableExtensions(config.settings.extensionDir) : config.extensions.map((extension) => extension.name);
  if (ids.length === 0) {
    process.stdout.write('No extensions to validate.\n');
    return 0;
  }
  let failures = 0;
  for (const each of ids) {
    const dir = join(config.settings.extensionDir, each);
    try {
      const spec = readExtensionSpec(dir);
      const problems = missingModules(spec);
      const warnings = [spec.description === undefined ? 'no description' : '', spec.author === undefined ? 'no author' : ''].filter((text) => text !== '');
      if (problems.length > 0) {
        failures += 1;
        process.stdout.write(`✗ ${each}\n${problems.map((problem) => `  ${problem}`).join('\n')}\n`);
      } else {
        process.stdout.write(`✓ ${each} (${spec.name} ${spec.version})${warnings.length > 0 ? ` — recommended: ${warnings.join(', ')}` : ''}\n`);
      }
    } catch (error) {
      failures += 1;
      process.stdout.write(`✗ ${each}\n  ${formatError(error, false).replace(/\n/g, '\n  ')}\n`);
    }
  }
  if (failures > 0) {
    process.stderr.write(`${failures} of ${ids.length} extension${ids.length === 1 ? '' : 's'} failed validation.\n`);
    return 1;
  }
  return 0;
}
