import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

jest.setTimeout(60_000);

describe('serv check', () => {
  let dir: string;

  beforeAll(() => assertBuilt());
  beforeEach(async () => {
    dir = makeTempDir('serv-cli-check-');
    await scaffoldEchoApp(dir);
  });
  afterEach(() => removeTempDir(dir));

  const mainTs = (): string => join(dir, 'extensions', 'chat', 'main.ts');

  it('exits 0 and says so when the project has no type errors', async () => {
    const result = await runServ(['check'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^No type errors \(\d+ files checked\)\.\n$/);
  });

  it('exits 1 on a type error, printing file:line:column, the message and a code frame with a caret', async () => {
    const before = readFileSync(mainTs(), 'utf8').split('\n').length;
    appendFileSync(mainTs(), "\nexport function double(n: number): number {\n  return n * 2;\n}\nexport const count: number = 'zero';\n");
    const line = before + 4;
    const result = await runServ(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `extensions/chat/main.ts:${line}:14 - error TS2322: Type 'string' is not assignable to type 'number'.\n` +
        '\n' +
        `    ${line - 1} | }\n` +
        `  > ${line} | export const count: number = 'zero';\n` +
        `       |              ^^^^^\n` +
        `    ${line + 1} |\n` +
        '\n' +
        'Found 1 error in 1 file: extensions/chat/main.ts\n',
    );
  });

  it('checks the extension folder with the loader options when there is no tsconfig.json', async () => {
    rmSync(join(dir, 'tsconfig.json'));
    appendFileSync(mainTs(), "\nexport const flag: boolean = 1;\n");
    const result = await runServ(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("extensions/chat/main.ts:");
    expect(result.stderr).toContain("error TS2322: Type 'number' is not assignable to type 'boolean'.");
  });

  it('checks only the files given, allowing top-level await in them (serv run runs it)', async () => {
    writeFileSync(join(dir, 'app.ts'), "import { createApp } from '@serv/core';\nconst app = createApp({ routes: [] });\nawait app.start();\nawait app.close();\n");
    expect(await runServ(['check', 'app.ts'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'No type errors (1 file checked).\n' });
    writeFileSync(join(dir, 'app.ts'), "import { createApp } from '@serv/core';\nconst app = createApp({ routes: 'none' });\nawait app.close();\n");
    const failed = await runServ(['check', 'app.ts'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^app\.ts:2:/);
  });

  it('says what to do when there is nothing to check', async () => {
    const empty = makeTempDir('serv-cli-check-empty-');
    try {
      const result = await runServ(['check'], { cwd: empty });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Nothing to type-check in ${empty}: there is neither a tsconfig.json nor a serv.config.yaml; pass the files to check ("serv check app.ts") or run it in a project folder ("serv create app" writes both).\n`,
      );
    } finally {
      removeTempDir(empty);
    }
  });
});
