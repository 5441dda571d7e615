import '../protocols';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseExtensionSpec, parseServConfig } from '@serv/core';
import type { ParsedCommand } from '../args/command-spec';
import { UsageError } from '../args/usage-error';
import { applyPlan } from './file-plan';
import { nameForms } from './names';
import { configFileFrom, readProjectConfig } from './project';
import { ask, canPrompt } from './prompt';
import { extensionMainTemplate, extensionYamlTemplate } from './templates';
import { enableInDocument } from './enable-extension';
import { editableDocument, renderDocument } from './yaml-edit';

/** `serv create extension`: writes `<extension_dir>/<snake>/extension.yaml` and `main.ts`, and enables it. */
export async function createExtension(parsed: ParsedCommand): Promise<number> {
  const { flags } = parsed;
  const where = 'serv create extension';
  const configFile = configFileFrom(flags);
  const config = readProjectConfig(configFile);
  const prompt = canPrompt(flags);
  let rawName = flags.name as string | undefined;
  if (rawName === undefined && prompt) rawName = await ask('Extension name', '');
  if (rawName === undefined || rawName.trim() === '') {
    throw new UsageError(`"${where}" needs --name NAME (or run it in a terminal to be asked).`, where);
  }
  const name = nameForms(rawName, where);
  let description = `${name.display} extension`;
  let author = safeUserName();
  if (prompt) {
    description = await ask('Description', description);
    author = await ask('Author', author);
  }
  const dir = join(config.settings.extensionDir, name.snake);
  const specFile = join(dir, 'extension.yaml');
  const specText = extensionYamlTemplate(name, { description, author });
  parseExtensionSpec(specText, specFile, dir);

  const document = editableDocument(readFileSync(configFile, 'utf8'), configFile);
  const enabled = enableInDocument(document, name.snake);
  const configText = renderDocument(document);
  parseServConfig(configText, configFile, {});
  return applyPlan(
    [
      { path: specFile, text: specText, mode: 'new' },
      { path: join(dir, 'main.ts'), text: extensionMainTemplate(name), mode: 'new' },
      ...(enabled ? [{ path: configFile, text: configText, mode: 'update' as const }] : []),
    ],
    { force: flags.force === true },
  );
}

// The OS user is a better default author than a placeholder; some containers have no passwd entry.
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'Unknown';
  }
}
