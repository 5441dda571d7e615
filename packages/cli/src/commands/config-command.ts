import '../protocols';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getConfigValue, readExtensionSpec, readServConfig } from '@serv/core';
import { stringify } from 'yaml';
import type { CommandAction } from '../args/command-spec';
import { CliError } from '../cli-error';
import { parseConfigValue, type ConfigValueType } from '../config/config-value';
import { setConfigValue } from '../config/set-config-value';
import { configFileFrom } from '../scaffold/project';

/** `serv config show|validate|get|set`. */
export const configCommand: CommandAction = async (parsed) => {
  const file = configFileFrom(parsed.flags);
  const shown = relative(process.cwd(), file) || file;
  switch (parsed.path[1]) {
    case 'show': {
      const config = readServConfig(file);
      const text = parsed.flags.format === 'json' ? `${JSON.stringify(config.raw, null, 2)}\n` : readFileSync(file, 'utf8');
      process.stdout.write(text);
      return 0;
    }
    case 'validate': {
      // With the environment: a bad SERV_PORT breaks the launch just like a bad file does.
      const config = readServConfig(file);
      for (const extension of config.extensions) readExtensionSpec(join(config.settings.extensionDir, extension.name));
      const names = config.extensions.map((extension) => extension.name);
      const enabled = names.length === 0 ? 'no extensions enabled' : `${names.length} enabled: ${names.join(', ')}`;
      process.stdout.write(`${shown} is valid (${enabled})\n`);
      return 0;
    }
    case 'get': {
      const key = parsed.positionals[0]!;
      const config = readServConfig(file, {});
      const value = getConfigValue(config.raw, key);
      if (value === undefined) {
        throw new CliError('SERV_CLI_CONFIG_KEY', `${shown} has no value at "${key}"; set one with "serv config set ${key} VALUE"`);
      }
      process.stdout.write(typeof value === 'object' && value !== null ? stringify(value) : `${String(value)}\n`);
      return 0;
    }
    case 'set': {
      const [key, raw] = parsed.positionals as [string, string];
      const value = parseConfigValue(raw, parsed.flags.type as ConfigValueType | undefined);
      setConfigValue(file, key, value);
      process.stdout.write(`Set ${key} = ${JSON.stringify(value)} in ${shown}\n`);
      return 0;
    }
    default:
      throw new Error(`serv config has no "${String(parsed.path[1])}" action`);
  }
};
