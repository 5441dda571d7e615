import { resolve } from 'node:path';
import type { CommandAction } from '../args/command-spec';
import { filesCheckTarget, projectCheckTarget } from '../check/project-target';
import { typeCheck, typeCheckSummary } from '../check/type-check';

/**
 * `serv check [FILES...]`: type-checks the project once, like `tsc --noEmit`, printing each error with
 * file:line:column and a code frame; exit 1 when there is any.
 */
export const checkCommand: CommandAction = async (parsed) => {
  const cwd = process.cwd();
  const configPath = parsed.flags.config as string | undefined;
  const target =
    parsed.positionals.length > 0
      ? filesCheckTarget(parsed.positionals, cwd)
      : projectCheckTarget({ cwd, configPath: configPath === undefined ? undefined : resolve(cwd, configPath) });
  const result = typeCheck(target);
  if (result.errorCount === 0) {
    process.stdout.write(`${typeCheckSummary(result)}\n`);
    return 0;
  }
  process.stderr.write(`${result.reports.join('\n')}\n${typeCheckSummary(result)}\n`);
  return 1;
};
