import type { CommandSpec, FlagSpec, ParsedCommand } from './command-spec';
import { didYouMean } from './suggest';
import { UsageError } from './usage-error';

/** The outcome of parsing argv: show help, show the version, or run a command. */
export type ParseResult =
  | { readonly kind: 'help'; readonly spec: CommandSpec; readonly path: readonly string[] }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly spec: CommandSpec; readonly parsed: ParsedCommand };

const HELP_FLAGS = new Set(['--help', '-h']);
const VERSION_FLAGS = new Set(['--version', '-V']);

/**
 * Parses `argv` (without node and script) against the command tree rooted at `root`.
 * `defaultCommand` is used when the root is followed by flags or nothing (`serv` alone means `serv launch`).
 * Throws UsageError for anything the tree does not describe.
 */
export function parseArgs(argv: readonly string[], root: CommandSpec, defaultCommand: string): ParseResult {
  const path: string[] = [];
  let spec = root;
  let index = 0;
  while (spec.subcommands !== undefined) {
    const token = argv[index];
    if (token !== undefined && HELP_FLAGS.has(token)) return { kind: 'help', spec, path };
    if (spec === root && token !== undefined && VERSION_FLAGS.has(token)) return { kind: 'version' };
    const names = spec.subcommands.map((command) => command.name);
    if (token === undefined || token.startsWith('-')) {
      if (spec !== root) {
        throw new UsageError(`"${commandLine(path)}" needs a subcommand: ${names.join(', ')}.`, commandLine(path));
      }
      spec = findCommand(spec, defaultCommand);
      path.push(defaultCommand);
      continue;
    }
    const next = spec.subcommands.find((command) => command.name === token);
    if (next === undefined) {
      const where = spec === root ? '' : ` for "${commandLine(path)}"`;
      throw new UsageError(`Unknown command "${token}"${where}.${didYouMean(token, names)}`, commandLine(path));
    }
    spec = next;
    path.push(token);
    index += 1;
  }
  return parseLeaf(argv.slice(index), spec, path);
}

function parseLeaf(tokens: readonly string[], spec: CommandSpec, path: readonly string[]): ParseResult {
  const flags: Record<string, string | number | boolean | string[]> = {};
  const positionals: string[] = [];
  const known = spec.flags ?? [];
  const where = commandLine(path);
  let onlyPositionals = false;
  const passThroughAt = (spec.positionals ?? []).findIndex((positional) => positional.passThrough === true);
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (passThroughAt !== -1 && positionals.length >= passThroughAt) {
      positionals.push(token);
      continue;
    }
    if (onlyPositionals || !token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    if (HELP_FLAGS.has(token)) return { kind: 'help', spec, path };
    const equals = token.indexOf('=');
    const rawName = equals === -1 ? token : token.slice(0, equals);
    const flag = findFlag(known, rawName);
    if (flag === undefined) {
      const names = known.map((candidate) => candidate.name);
      const hint = rawName.startsWith('--') ? didYouMean(rawName.slice(2), names, '--') : '';
      throw new UsageError(`Unknown flag "${rawName}" for "${where}".${hint}`, where);
    }
    let raw: string | undefined;
    if (flag.type === 'boolean') {
      if (equals !== -1) throw new UsageError(`Flag "--${flag.name}" of "${where}" takes no value.`, where);
    } else if (equals !== -1) {
      raw = token.slice(equals + 1);
    } else {
      raw = tokens[i + 1];
      if (raw === undefined) {
        throw new UsageError(`Flag "--${flag.name}" of "${where}" needs a value (${flag.valueName ?? 'VALUE'}).`, where);
      }
      i += 1;
    }
    store(flags, flag, raw === undefined ? true : convert(flag, raw, where), where);
  }
  checkPositionals(spec, positionals, where);
  return { kind: 'run', spec, parsed: { path, flags, positionals } };
}

function store(
  flags: Record<string, string | number | boolean | string[]>,
  flag: FlagSpec,
  value: string | number | boolean,
  where: string,
): void {
  if (flag.repeatable) {
    const list = (flags[flag.name] as string[] | undefined) ?? [];
    list.push(String(value));
    flags[flag.name] = list;
    return;
  }
  if (flags[flag.name] !== undefined) {
    throw new UsageError(`Flag "--${flag.name}" of "${where}" was given twice.`, where);
  }
  flags[flag.name] = value;
}

function convert(flag: FlagSpec, raw: string, where: string): string | number {
  if (flag.type === 'int') {
    if (!/^-?\d+$/.test(raw)) {
      throw new UsageError(`Flag "--${flag.name}" of "${where}" expects an integer, got "${raw}".`, where);
    }
    return Number(raw);
  }
  if (flag.choices !== undefined && !flag.choices.includes(raw)) {
    throw new UsageError(
      `Flag "--${flag.name}" of "${where}" must be one of ${flag.choices.join(', ')}, got "${raw}".${didYouMean(raw, flag.choices)}`,
      where,
    );
  }
  return raw;
}

function checkPositionals(spec: CommandSpec, positionals: readonly string[], where: string): void {
  const expected = spec.positionals ?? [];
  const missing = expected.slice(positionals.length).find((positional) => positional.required);
  if (missing !== undefined) {
    throw new UsageError(`"${where}" needs ${missing.name.toUpperCase()} (${missing.description}).`, where);
  }
  const last = expected[expected.length - 1];
  const takesTheRest = last !== undefined && (last.variadic === true || last.passThrough === true);
  if (positionals.length > expected.length && !takesTheRest) {
    const extra = positionals[expected.length]!;
    const names = spec.subcommands?.map((command) => command.name) ?? [];
    throw new UsageError(`Unexpected argument "${extra}" for "${where}".${didYouMean(extra, names)}`, where);
  }
}

function findFlag(flags: readonly FlagSpec[], raw: string): FlagSpec | undefined {
  if (raw.startsWith('--')) return flags.find((flag) => flag.name === raw.slice(2));
  return flags.find((flag) => flag.alias !== undefined && `-${flag.alias}` === raw);
}

function findCommand(spec: CommandSpec, name: string): CommandSpec {
  const found = spec.subcommands?.find((command) => command.name === name);
  if (found === undefined) throw new Error(`The command tree has no "${name}" command under "${spec.name}"`);
  return found;
}

/** `serv config set` for the path `['config', 'set']`. */
export function commandLine(path: readonly string[]): string {
  return ['serv', ...path].join(' ');
}
