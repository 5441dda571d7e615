import '../protocols';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseServConfig } from '@serv/core';
import type { ParsedCommand } from '../args/command-spec';
import { createStandaloneApp } from './create-standalone';
import { applyPlan } from './file-plan';
import { configFileFrom } from './project';
import { ask, canPrompt } from './prompt';
import { APP_TSCONFIG_TEMPLATE, appConfigTemplate } from './templates';

const DEFAULT_SITE_NAME = 'My Serv Site';
const DEFAULT_SITE_DESCRIPTION = 'A new website powered by Serv';

/**
 * `serv create app`: writes serv.config.yaml, an empty extensions/ folder and (if absent) a tsconfig.json; with
 * `--standalone DIR`, a whole project with its own package.json (see create-standalone.ts).
 */
export async function createApp(parsed: ParsedCommand): Promise<number> {
  const { flags } = parsed;
  if (typeof flags.standalone === 'string') return createStandaloneApp(parsed, flags.standalone);
  const configFile = configFileFrom(flags);
  const root = dirname(configFile);
  const prompt = canPrompt(flags);
  let name = (flags.name as string | undefined) ?? DEFAULT_SITE_NAME;
  let description = DEFAULT_SITE_DESCRIPTION;
  if (prompt && flags.name === undefined) name = await ask('Site name', name);
  if (prompt) description = await ask('Site description', description);
  const text = appConfigTemplate({ name, description });
  parseServConfig(text, configFile, {});
  const code = applyPlan(
    [
      { path: configFile, text, mode: 'new' },
      { path: join(root, 'tsconfig.json'), text: APP_TSCONFIG_TEMPLATE, mode: 'if-missing' },
    ],
    { force: flags.force === true },
  );
  if (code !== 0) return code;
  mkdirSync(join(root, 'extensions'), { recursive: true });
  const where = relative(process.cwd(), root);
  const cd = where === '' ? '' : `cd ${where} && `;
  process.stdout.write(`\nNext: ${cd}serv create extension --name NAME, then serv create websocket --name echo, then serv launch\n`);
  return 0;
}
