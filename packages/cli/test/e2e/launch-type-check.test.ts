import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEnv, scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';

jest.setTimeout(60_000);

const NOTE =
  'Note: serv launch runs your TypeScript without type-checking it. Run "serv check" to see type errors, or "serv launch --dev" to check in the background.\n';

describe('serv launch and type errors', () => {
  let dir: string;
  let server: ServProcess | undefined;

  beforeAll(() => assertBuilt());
  beforeEach(async () => {
    dir = makeTempDir('serv-cli-tc-');
    await scaffoldEchoApp(dir);
  });
  afterEach(async () => {
    if (server !== undefined) await server.stop();
    server = undefined;
    removeTempDir(dir);
  });

  const addTypeError = (): number => {
    const file = join(dir, 'extensions', 'chat', 'main.ts');
    const line = readFileSync(file, 'utf8').split('\n').length + 1;
    appendFileSync(file, "\nexport const port: number = 'eighty';\n");
    return line;
  };

  it('--dev prints each type error with file:line and a code frame while the server keeps serving', async () => {
    const line = addTypeError();
    server = new ServProcess(['launch', '--dev', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
    const { port } = await server.listening();
    await server.waitFor(/Type check: Found 1 error/, 'stderr');
    expect(server.stderr).toContain(
      `extensions/chat/main.ts:${line}:14 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n` +
        `    ${line - 1} |\n` +
        `  > ${line} | export const port: number = 'eighty';\n` +
        `       |              ^^^^\n`,
    );
    expect(server.stderr).toContain(
      'Type check: Found 1 error in 1 file: extensions/chat/main.ts. The server is running anyway; fix them and save (or run "serv check").\n',
    );
    expect(server.stderr).not.toContain('Note: serv launch runs your TypeScript without type-checking it');
    // Still serving after the report.
    const reply = await runServ(['ws', `ws://127.0.0.1:${port}/ws/echo`, '--send', 'still here'], { cwd: dir });
    expect(reply).toMatchObject({ code: 0, stdout: '< Echo: still here\n' });
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('--dev says the project is clean when it is', async () => {
    server = new ServProcess(['launch', '--dev', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
    await server.listening();
    await server.waitFor(/Type check: No type errors \(\d+ files checked\)\.\n/);
    expect(server.stderr).toBe('');
  });

  it('without --dev, serves a project with a type error and says once, after the listening line, that it does not type-check, and how to', async () => {
    addTypeError();
    server = new ServProcess(['launch', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
    const { port } = await server.listening();
    await server.waitFor(/^Note: /, 'stderr');
    expect(server.stderr).toBe(NOTE);
    const reply = await runServ(['ws', `ws://127.0.0.1:${port}/ws/echo`, '--send', 'hi'], { cwd: dir });
    expect(reply).toMatchObject({ code: 0, stdout: '< Echo: hi\n' });
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stderr).toBe(NOTE);
  });

  it('with --reload, says it once however often the server restarts', async () => {
    server = new ServProcess(['launch', '--reload', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
    await server.listening();
    await server.waitFor(/^Note: /, 'stderr');
    appendFileSync(join(dir, 'extensions', 'chat', 'main.ts'), '\nexport const touched = true;\n');
    await server.waitFor(/Restarting: /);
    await server.listening(server.stdout.indexOf('Restarting: '));
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stderr).toBe(NOTE);
  });

  it('says nothing about type-checking when the project fails to load', async () => {
    writeFileSync(join(dir, 'serv.config.yaml'), 'settings:\n  port: eighty\n');
    const result = await runServ(['launch', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('type-check');
  });
});
