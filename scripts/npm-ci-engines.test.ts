/**
 * `npm ci` of the repository prints no EBADENGINE warning on the Node it runs on (Node 20 is supported): a dry run of
 * the root package.json and lock in a temporary folder reads every locked package's `engines` without installing.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(120_000);

const REPO_ROOT = resolve(__dirname, '..');

describe('npm ci', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serv-npm-ci-'));
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(REPO_ROOT, file), join(dir, file));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(`warns about no package's engines on Node ${process.versions.node}`, async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
    const output = await new Promise<{ code: number | null; text: string }>((resolveRun, reject) => {
      const child = spawn('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      child.once('error', reject);
      child.once('close', (code) => resolveRun({ code, text }));
    });
    expect(output.code).toBe(0);
    expect(output.text.split('\n').filter((line) => line.includes('EBADENGINE'))).toEqual([]);
  });
});
