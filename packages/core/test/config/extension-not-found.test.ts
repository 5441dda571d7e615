import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayPath, loadProject } from '@serv/core';

describe('an extension listed in serv.config.yaml that does not exist', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serv-ext-missing-'));
    mkdirSync(join(dir, 'extensions', 'chat'), { recursive: true });
    writeFileSync(join(dir, 'extensions', 'chat', 'extension.yaml'), 'name: Chat\nversion: "1.0.0"\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const project = (extension: string) => {
    writeFileSync(join(dir, 'serv.config.yaml'), `extensions:\n  - ${extension}\n`);
    return loadProject({ cwd: dir, env: {} });
  };

  it('names the nearest existing extension when the name looks mistyped ("did you mean")', async () => {
    await expect(project('chatt')).rejects.toThrow(
      `extension "chatt" not found: ${displayPath(join(dir, 'extensions', 'chatt'))} does not exist (settings.extension_dir is ${displayPath(join(dir, 'extensions'))}); did you mean "chat"? Fix the name in extensions, or create it with "serv create extension --name chatt"`,
    );
  });

  it('says how to create it when no existing extension is close', async () => {
    await expect(project('payments')).rejects.toThrow(
      `; create it with "serv create extension --name payments" or remove it from extensions`,
    );
  });
});
