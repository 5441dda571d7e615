import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

jest.setTimeout(30_000);

describe('serv run', () => {
  let dir: string;

  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dir = makeTempDir('serv-run-');
  });
  afterEach(() => removeTempDir(dir));

  const run = (args: readonly string[]) => runServ(['run', ...args], { cwd: dir, env: { SERV_TS_CACHE_DIR: join(dir, '.ts-cache') } });

  it('runs a TypeScript file as the main module: top-level await, decorator metadata, its own arguments and exit code', async () => {
    writeFileSync(
      join(dir, 'script.ts'),
      [
        "import { Injectable } from '@serv/core';",
        '@Injectable() class Clock { constructor(readonly zone: string) {} }',
        "const types = Reflect.getMetadata('design:paramtypes', Clock) as Function[];",
        'const value = await Promise.resolve(types.map((type) => type.name).join(","));',
        'console.log(`${value} ${process.argv.slice(2).join(" ")} main=${require.main === module}`);',
        'process.exitCode = 3;',
      ].join('\n'),
    );
    expect(await run(['script.ts', '--rows', '10'])).toMatchObject({ code: 3, stdout: 'String --rows 10 main=true\n', stderr: '' });
  });

  it('refuses top-level await in an imported module, saying where and what to do', async () => {
    writeFileSync(join(dir, 'helper.ts'), "export const ready = 1;\nawait Promise.resolve();\n");
    writeFileSync(join(dir, 'main.ts'), "import { ready } from './helper';\nconsole.log(ready);\n");
    const result = await run(['main.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'helper.ts:2:1: top-level await works only in the file you run (serv run FILE), because modules are compiled to CommonJS; move it into an async function and call that from the entry file\n',
    );
  });

  it('reports a rejected top-level await and exits 1', async () => {
    writeFileSync(join(dir, 'fail.ts'), "await Promise.reject(new Error('database is down'));\n");
    const result = await run(['fail.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('database is down\n(Run with --dev to see the stack trace.)\n');
  });

  it('names a missing file', async () => {
    const result = await run(['nope.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`nope.ts does not exist (looked for nope.ts in ${dir}); give the path of the file to run, e.g. "serv run app.ts".\n`);
  });
});
