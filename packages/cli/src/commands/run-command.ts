import { existsSync } from 'node:fs';
import Module = require('node:module');
import { relative, resolve } from 'node:path';
import type { CommandAction } from '../args/command-spec';
import { startBackgroundTypeCheck } from '../check/background-check';
import { filesCheckTarget } from '../check/project-target';
import { CliError } from '../cli-error';
import { registerTypeScript } from '../loader/register-typescript';
import { topLevelAwaitOf } from '../loader/top-level-await';

type LoadModule = (request: string, parent: NodeModule | null, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: LoadModule };

/**
 * `serv run FILE [ARGS...]`: runs a TypeScript file as the main module, the way `node FILE` runs JavaScript, with
 * the loader of `serv launch` (decorator metadata, @serv/* shared with the CLI) and top-level await in FILE.
 * Like node, the process ends when the file's work is done: the returned promise settles only on an error, so
 * `bin.ts` does not exit while the app is serving, and the exit code is whatever the script set.
 */
export const runCommand: CommandAction = async (parsed) => {
  const [file, ...args] = parsed.positionals;
  const cwd = process.cwd();
  const entry = resolve(cwd, file ?? '');
  if (!existsSync(entry)) {
    throw new CliError('SERV_CLI_NO_FILE', `${file ?? ''} does not exist (looked for ${relative(cwd, entry) || entry} in ${cwd}); give the path of the file to run, e.g. "serv run app.ts".`);
  }
  registerTypeScript({ cwd });
  process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
  if (parsed.flags.dev === true && entry.endsWith('.ts')) startBackgroundTypeCheck(filesCheckTarget([entry], cwd));
  // isMain = true: the file becomes require.main with id '.', which is where the loader allows top-level await.
  moduleInternals._load(entry, null, true);
  await topLevelAwaitOf(require.cache[entry]);
  return new Promise<number>(() => undefined);
};
