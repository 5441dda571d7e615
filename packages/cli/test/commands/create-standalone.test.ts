import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

jest.setTimeout(30_000);

describe('serv create app --standalone DIR', () => {
  let dir: string;

  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dir = makeTempDir('serv-standalone-');
  });
  afterEach(() => removeTempDir(dir));

  it('writes a project of its own, installs nothing and prints the next commands', async () => {
    const result = await runServ(['create', 'app', '--standalone', 'my-app'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const root = join(dir, 'my-app');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.name).toBe('my-app');
    expect(manifest.scripts).toEqual({
      start: 'serv launch',
      dev: 'serv launch --dev --reload',
      typecheck: 'serv check',
      test: 'node --require @serv/cli/register --test test/*.test.ts',
    });
    expect(Object.keys(manifest.dependencies)).toEqual(['@serv/cli', '@serv/core', '@serv/websocket']);
    expect(Object.keys(manifest.devDependencies)).toEqual(['@types/node', 'typescript']);
    for (const file of ['tsconfig.json', '.gitignore', 'serv.config.yaml', 'extensions/app/extension.yaml', 'extensions/app/main.ts', 'test/app.test.ts']) {
      expect({ file, exists: existsSync(join(root, file)) }).toEqual({ file, exists: true });
    }
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
    expect(existsSync(join(root, 'package-lock.json'))).toBe(false);
    expect(result.stdout).toContain('Created my-app/package.json\n');
    expect(result.stdout).toContain('\nNext:\n  cd my-app\n  npm install ');
    expect(result.stdout).toContain('see docs/install.md');
    expect(result.stdout).toContain('  npm run dev ');
    expect(result.stdout).toContain('  npm test ');
    expect(result.stdout).toContain('  npm run typecheck ');
  });

  it('type-checks and loads its routes before anything is installed (the CLI lends its own packages)', async () => {
    await runServ(['create', 'app', '--standalone', 'my-app'], { cwd: dir });
    const root = join(dir, 'my-app');
    expect(await runServ(['check'], { cwd: root })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No type errors/) });
    expect(await runServ(['routes'], { cwd: root })).toMatchObject({ code: 0, stdout: expect.stringContaining('2 routes: 1 HTTP, 1 WebSocket') });
  });

  it('refuses to overwrite an existing project without --force', async () => {
    await runServ(['create', 'app', '--standalone', 'my-app'], { cwd: dir });
    const again = await runServ(['create', 'app', '--standalone', 'my-app'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exist; nothing was written (use --force to overwrite).');
  });
});
