/** The kinds of value a flag takes: booleans take none, the others take exactly one. */
export type FlagType = 'boolean' | 'string' | 'int';

/** One `--flag` a command accepts. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `port` for `--port`. */
  readonly name: string;
  /** Single-letter alias without the dash, e.g. `p` for `-p`. */
  readonly alias?: string;
  readonly type: FlagType;
  /** Placeholder shown in help, e.g. `PORT`. */
  readonly valueName?: string;
  /** When true the flag may be given several times and its values are collected in order. */
  readonly repeatable?: boolean;
  /** Allowed values for a string flag. */
  readonly choices?: readonly string[];
  readonly description: string;
}

/** One positional argument of a command. */
export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  /** The last positional only: it takes every remaining positional argument (`serv check [FILES...]`). */
  readonly variadic?: boolean;
  /**
   * The last positional only: it takes every remaining argument untouched, flags included, as `node app.js --x`
   * hands `--x` to the script (`serv run FILE [ARGS...]`). Implies `variadic`.
   */
  readonly passThrough?: boolean;
}

/** Parsed flag values keyed by long flag name. */
export type FlagValues = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** What a command action receives after parsing. */
export interface ParsedCommand {
  /** Path of command names, e.g. `['config', 'set']`. */
  readonly path: readonly string[];
  readonly flags: FlagValues;
  readonly positionals: readonly string[];
}

/** A command action: resolves with the process exit code. */
export type CommandAction = (parsed: ParsedCommand) => Promise<number>;

/** A command or a group of subcommands in the `serv` command tree. */
export interface CommandSpec {
  readonly name: string;
  /** One line shown in command lists. */
  readonly summary: string;
  readonly flags?: readonly FlagSpec[];
  readonly positionals?: readonly PositionalSpec[];
  readonly examples: readonly string[];
  /** Subcommands; a group without `defaultSubcommand` requires one. */
  readonly subcommands?: readonly CommandSpec[];
  /** Loads the action lazily so `serv --help` does not pay for `ws`, `yaml` or the app loader. */
  readonly load?: () => Promise<CommandAction>;
}
