import { formatHelp } from './args/format-help';
import { parseArgs } from './args/parse-args';
import { UsageError } from './args/usage-error';
import { formatError } from './cli-error';
import { SERV_COMMAND_TREE } from './commands/command-tree';
import { cliVersion } from './version';

/** Exit codes of the contract. */
export const EXIT_OK = 0;
/** Something failed: a load error, a refused handshake, an invalid file. */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong. */
export const EXIT_USAGE = 2;

/**
 * Runs the `serv` command line for `argv` (without node and the script path) and resolves with the exit code.
 * For `serv launch` it resolves only after the server has shut down.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[]): Promise<number> {
  const dev = argv.includes('--dev');
  try {
    const result = parseArgs(argv, SERV_COMMAND_TREE, 'launch');
    if (result.kind === 'version') {
      process.stdout.write(`${cliVersion()}\n`);
      return EXIT_OK;
    }
    if (result.kind === 'help') {
      process.stdout.write(formatHelp(result.spec, result.path));
      return EXIT_OK;
    }
    if (result.spec.load === undefined) throw new Error(`Command "${result.parsed.path.join(' ')}" has no action`);
    const action = await result.spec.load();
    return await action(result.parsed);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nRun "${error.helpFor} --help" for usage.\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`${formatError(error, dev)}\n`);
    return EXIT_FAILURE;
  }
}
