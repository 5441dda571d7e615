import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandSpec } from '../../src/args/command-spec';
import { SERV_COMMAND_TREE } from '../../src/commands/command-tree';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

function leafPaths(spec: CommandSpec, path: string[] = []): string[][] {
  const here = path.length === 0 ? [] : [path];
  return [...here, ...(spec.subcommands ?? []).flatMap((child) => leafPaths(child, [...path, child.name]))];
}

describe('serv usage', () => {
  let dir: string;
  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it('prints the package version with --version', async () => {
    const version = (JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(await runServ(['--version'], { cwd: dir })).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists every command with --help', async () => {
    const result = await runServ(['--help'], { cwd: dir });
    expect(result.code).toBe(0);
    for (const command of SERV_COMMAND_TREE.subcommands ?? []) expect(result.stdout).toContain(`  ${command.name} `);
    expect(result.stdout).toContain('Exit codes: 0 success, 1 failure, 2 usage error.');
  });

  it.each(leafPaths(SERV_COMMAND_TREE).map((path) => [path.join(' '), path]))('shows flags and an example for "serv %s --help"', async (_name, path) => {
    const result = await runServ([...(path as string[]), '--help'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^serv ${(path as string[]).join(' ')} — `));
    expect(result.stdout).toContain('\nFlags:\n');
    expect(result.stdout).toContain('  -h, --help');
    expect(result.stdout).toMatch(/\nExamples?:\n {2}serv /);
  });

  it('exits 2 and suggests the nearest command for a typo', async () => {
    expect(await runServ(['lanch'], { cwd: dir })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'Unknown command "lanch". Did you mean "launch"?\nRun "serv --help" for usage.\n',
    });
  });

  it('exits 2 and suggests the nearest flag for a typo', async () => {
    expect(await runServ(['launch', '--prot', '80'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: 'Unknown flag "--prot" for "serv launch". Did you mean "--port"?\nRun "serv launch --help" for usage.\n',
    });
  });

  it('exits 2 for out-of-range launch values', async () => {
    expect(await runServ(['launch', '--port', '70000'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'Flag "--port" must be from 0 to 65535, got 70000.\nRun "serv launch --help" for usage.\n' });
    expect(await runServ(['launch', '--workers', '0'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'Flag "--workers" must be 1 or more, got 0.\nRun "serv launch --help" for usage.\n' });
  });
});
