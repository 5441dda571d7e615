import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../cli-error';
import { extensionDirOf } from '../launch/extension-dir';
import { configFileOf } from '../launch/launch-options';
import type { TypeCheckTarget } from './type-check';

/**
 * What `serv check` (no files) and `serv launch --dev` type-check: the project folder of the config file, through
 * its tsconfig.json, or else every .ts file of the extension folder with the loader's options.
 */
export function projectCheckTarget(options: { cwd: string; configPath: string | undefined }): TypeCheckTarget {
  const configFile = configFileOf(options);
  const projectDir = dirname(configFile);
  if (existsSync(join(projectDir, 'tsconfig.json'))) return { projectDir };
  if (!existsSync(configFile)) {
    throw new CliError(
      'SERV_CLI_NOTHING_TO_CHECK',
      `Nothing to type-check in ${projectDir}: there is neither a tsconfig.json nor a serv.config.yaml; pass the files to check ("serv check app.ts") or run it in a project folder ("serv create app" writes both).`,
    );
  }
  return { projectDir, fallbackDir: extensionDirOf(configFile) };
}

/** The target for explicit files (`serv check app.ts`, `serv run`): checked with the tsconfig.json of `cwd` if any. */
export function filesCheckTarget(files: readonly string[], cwd: string): TypeCheckTarget {
  return { projectDir: cwd, files: files.map((file) => resolve(cwd, file)) };
}
