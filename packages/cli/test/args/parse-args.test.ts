import type { CommandSpec } from '../../src/args/command-spec';
import { parseArgs } from '../../src/args/parse-args';
import { UsageError } from '../../src/args/usage-error';
import { SERV_COMMAND_TREE } from '../../src/commands/command-tree';

const parse = (...argv: string[]) => parseArgs(argv, SERV_COMMAND_TREE, 'launch');

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('runs launch when no command is given', () => {
    const result = parse();
    expect(result.kind).toBe('run');
    if (result.kind === 'run') expect(result.parsed.path).toEqual(['launch']);
  });

  it('treats leading flags as launch flags', () => {
    const result = parse('--port', '0', '--dev');
    expect(result).toMatchObject({ kind: 'run', parsed: { path: ['launch'], flags: { port: 0, dev: true } } });
  });

  it('reads --flag=value, short aliases and repeatable flags', () => {
    const result = parse('ws', 'ws://x/ws', '-H', 'A: 1', '--header=B:2', '--timeout=250', '-s', 'hi');
    expect(result).toMatchObject({
      kind: 'run',
      parsed: { path: ['ws'], positionals: ['ws://x/ws'], flags: { header: ['A: 1', 'B:2'], timeout: 250, send: ['hi'] } },
    });
  });

  it('parses subcommands with positionals', () => {
    const result = parse('config', 'set', 'settings.port', '9000', '--type', 'int');
    expect(result).toMatchObject({ kind: 'run', parsed: { path: ['config', 'set'], positionals: ['settings.port', '9000'], flags: { type: 'int' } } });
  });

  it('returns help for --help at any level', () => {
    expect(parse('--help')).toMatchObject({ kind: 'help', path: [] });
    expect(parse('config', '--help')).toMatchObject({ kind: 'help', path: ['config'] });
    expect(parse('config', 'set', '--help')).toMatchObject({ kind: 'help', path: ['config', 'set'] });
    expect(parse('launch', '-h')).toMatchObject({ kind: 'help', path: ['launch'] });
  });

  it('returns version for --version and -V', () => {
    expect(parse('--version')).toEqual({ kind: 'version' });
    expect(parse('-V')).toEqual({ kind: 'version' });
  });

  it('suggests the nearest command for an unknown one', () => {
    expect(usageError(() => parse('lanch')).message).toBe('Unknown command "lanch". Did you mean "launch"?');
    expect(usageError(() => parse('config', 'shwo')).message).toBe('Unknown command "shwo" for "serv config". Did you mean "show"?');
  });

  it('gives no suggestion when nothing is close', () => {
    expect(usageError(() => parse('frobnicate')).message).toBe('Unknown command "frobnicate".');
  });

  it('suggests the nearest flag for an unknown one', () => {
    const error = usageError(() => parse('launch', '--prot', '80'));
    expect(error.message).toBe('Unknown flag "--prot" for "serv launch". Did you mean "--port"?');
    expect(error.helpFor).toBe('serv launch');
  });

  it('rejects a non-integer for an int flag', () => {
    expect(usageError(() => parse('--port', 'eighty')).message).toBe('Flag "--port" of "serv launch" expects an integer, got "eighty".');
  });

  it('rejects a value outside the choices', () => {
    expect(usageError(() => parse('config', 'show', '--format', 'jsn')).message).toBe(
      'Flag "--format" of "serv config show" must be one of yaml, json, got "jsn". Did you mean "json"?',
    );
  });

  it('rejects a missing flag value, a missing positional, an extra positional and a missing subcommand', () => {
    expect(usageError(() => parse('launch', '--host')).message).toBe('Flag "--host" of "serv launch" needs a value (HOST).');
    expect(usageError(() => parse('config', 'get')).message).toBe('"serv config get" needs KEY (dotted key, e.g. settings.port).');
    expect(usageError(() => parse('routes', 'extra')).message).toBe('Unexpected argument "extra" for "serv routes".');
    expect(usageError(() => parse('config')).message).toBe('"serv config" needs a subcommand: show, validate, get, set.');
  });

  it('rejects a boolean flag given a value and a flag given twice', () => {
    expect(usageError(() => parse('--dev=yes')).message).toBe('Flag "--dev" of "serv launch" takes no value.');
    expect(usageError(() => parse('--port', '1', '--port', '2')).message).toBe('Flag "--port" of "serv launch" was given twice.');
  });

  it('takes everything after -- as positionals', () => {
    const tree: CommandSpec = { name: 'serv', summary: '', examples: [], subcommands: [{ name: 'ws', summary: '', examples: [], positionals: [{ name: 'url', required: true, description: '' }] }] };
    expect(parseArgs(['ws', '--', '--odd'], tree, 'ws')).toMatchObject({ kind: 'run', parsed: { positionals: ['--odd'] } });
  });
});
