import type { CommandSpec, FlagSpec } from './command-spec';
import { commandLine } from './parse-args';

/** Renders the `--help` text of a command: summary, usage, subcommands, positionals, flags and examples. */
export function formatHelp(spec: CommandSpec, path: readonly string[]): string {
  const name = commandLine(path);
  const lines = [`${name} — ${spec.summary}`, '', `Usage: ${usage(spec, name)}`];
  if (spec.subcommands !== undefined) {
    lines.push('', 'Commands:');
    lines.push(...table(spec.subcommands.map((command) => [command.name, command.summary])));
  }
  if (spec.positionals !== undefined && spec.positionals.length > 0) {
    lines.push('', 'Arguments:');
    lines.push(...table(spec.positionals.map((positional) => [positional.name.toUpperCase(), positional.description])));
  }
  const flags: FlagSpec[] = [
    ...(spec.flags ?? []),
    { name: 'help', alias: 'h', type: 'boolean', description: 'Show this help and exit' },
  ];
  if (path.length === 0) {
    flags.push({ name: 'version', alias: 'V', type: 'boolean', description: 'Print the version and exit' });
  }
  lines.push('', 'Flags:');
  lines.push(...table(flags.map((flag) => [flagLabel(flag), flagDescription(flag)])));
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:');
  lines.push(...spec.examples.map((example) => `  ${example}`));
  if (spec.subcommands !== undefined) {
    lines.push('', `Run "${name} COMMAND --help" for the flags of a command.`);
  }
  lines.push('', 'Exit codes: 0 success, 1 failure, 2 usage error.');
  return `${lines.join('\n')}\n`;
}

function usage(spec: CommandSpec, name: string): string {
  if (spec.subcommands !== undefined) return `${name} COMMAND [flags]`;
  const positionals = (spec.positionals ?? []).map((positional) => {
    const label = positional.name.toUpperCase() + (positional.variadic === true || positional.passThrough === true ? '...' : '');
    return positional.required ? label : `[${label}]`;
  });
  const flags = (spec.flags ?? []).map((flag) => `[${flagLabel(flag).replace(/^-\w, /, '')}]`);
  // Flags go first when the last positional passes everything after it through to the script.
  const passThrough = spec.positionals?.some((positional) => positional.passThrough === true) === true;
  return (passThrough ? [name, ...flags, ...positionals] : [name, ...positionals, ...flags]).join(' ');
}

function flagLabel(flag: FlagSpec): string {
  const long = flag.type === 'boolean' ? `--${flag.name}` : `--${flag.name} ${flag.valueName ?? 'VALUE'}`;
  return flag.alias === undefined ? long : `-${flag.alias}, ${long}`;
}

function flagDescription(flag: FlagSpec): string {
  const notes: string[] = [];
  if (flag.choices !== undefined) notes.push(`one of: ${flag.choices.join(', ')}`);
  if (flag.repeatable) notes.push('repeatable');
  return notes.length === 0 ? flag.description : `${flag.description} (${notes.join('; ')})`;
}

function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
