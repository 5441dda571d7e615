import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

jest.setTimeout(20_000);

describe('serv extension', () => {
  let dir: string;
  const serv = (...args: string[]) => runServ(args, { cwd: dir });
  const configText = () => readFileSync(join(dir, 'serv.config.yaml'), 'utf8');

  beforeAll(assertBuilt);
  beforeEach(async () => {
    dir = makeTempDir();
    await scaffoldEchoApp(dir, [['create', 'extension', '--name', 'Other Thing', '--non-interactive']]);
  });
  afterEach(() => removeTempDir(dir));

  it('lists enabled extensions, and with --available every extension folder', async () => {
    expect(await serv('extension', 'list')).toMatchObject({
      code: 0,
      stdout: 'Enabled extensions (2):\n  chat  chat 1.0.0 — chat extension\n  other_thing  Other Thing 1.0.0 — Other Thing extension\n',
    });
    await serv('extension', 'disable', 'other_thing');
    expect(await serv('extension', 'list', '--available')).toMatchObject({
      code: 0,
      stdout:
        'Enabled extensions (1):\n  chat  chat 1.0.0 — chat extension\n' +
        'Available extensions (2):\n  chat  chat 1.0.0 — chat extension [enabled]\n  other_thing  Other Thing 1.0.0 — Other Thing extension\n',
    });
  });

  it('says so when nothing is enabled', async () => {
    await serv('extension', 'disable', 'chat');
    await serv('extension', 'disable', 'other_thing');
    expect(await serv('extension', 'list')).toMatchObject({ code: 0, stdout: 'No extensions are currently enabled.\n' });
  });

  it('disables and enables an extension, keeping comments', async () => {
    expect(await serv('extension', 'disable', 'chat')).toMatchObject({ code: 0, stdout: 'Disabled extension "chat" in serv.config.yaml\n' });
    expect(configText()).toContain('extensions:\n  - other_thing\n');
    expect(await serv('extension', 'enable', 'chat')).toMatchObject({ code: 0, stdout: 'Enabled extension "chat" in serv.config.yaml\n' });
    expect(configText()).toContain('extensions:\n  - other_thing\n  - chat\n');
    expect(configText()).toContain('# Extension folders under settings.extension_dir');
    expect(await serv('extension', 'enable', 'chat')).toMatchObject({ code: 0, stdout: 'Extension "chat" is already enabled in serv.config.yaml\n' });
  });

  it('exits 1 for an unknown extension or one that is not enabled, naming the nearest one ("did you mean")', async () => {
    expect(await serv('extension', 'enable', 'chta')).toMatchObject({
      code: 1,
      stderr: 'No extension "chta" in extensions/ (there are: chat, other_thing). Did you mean "chat"? Otherwise create it with "serv create extension --name chta".\n',
    });
    await serv('extension', 'disable', 'chat');
    expect(await serv('extension', 'disable', 'chat')).toMatchObject({
      code: 1,
      stderr: 'Extension "chat" is not enabled in serv.config.yaml (enabled: other_thing).\n',
    });
    expect(await serv('extension', 'disable', 'other_thng')).toMatchObject({
      code: 1,
      stderr: 'Extension "other_thng" is not enabled in serv.config.yaml (enabled: other_thing). Did you mean "other_thing"?\n',
    });
  });

  it('validates enabled extensions, one by id, or all with --all', async () => {
    expect(await serv('extension', 'validate')).toMatchObject({ code: 0, stdout: '✓ chat (chat 1.0.0)\n✓ other_thing (Other Thing 1.0.0)\n' });
    const spec = join(dir, 'extensions', 'other_thing', 'extension.yaml');
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}listeners:\n  - nowhere:Thing\n`);
    await serv('extension', 'disable', 'other_thing');
    expect(await serv('extension', 'validate')).toMatchObject({ code: 0, stdout: '✓ chat (chat 1.0.0)\n' });
    const all = await serv('extension', 'validate', '--all');
    expect(all).toMatchObject({
      code: 1,
      stdout:
        '✓ chat (chat 1.0.0)\n✗ other_thing\n' +
        '  extensions/other_thing/extension.yaml: listeners[0] names module "nowhere", but neither nowhere.ts nor nowhere.js exists in extensions/other_thing\n',
      stderr: '1 of 2 extensions failed validation.\n',
    });
    expect(await serv('extension', 'validate', 'chat')).toMatchObject({ code: 0, stdout: '✓ chat (chat 1.0.0)\n' });
  });

  it('refuses to enable an extension whose extension.yaml is invalid', async () => {
    await serv('extension', 'disable', 'other_thing');
    const spec = join(dir, 'extensions', 'other_thing', 'extension.yaml');
    writeFileSync(spec, 'name: 5\nversion: "1"\n');
    expect(await serv('extension', 'enable', 'other_thing')).toMatchObject({
      code: 1,
      stderr: 'extensions/other_thing/extension.yaml: name must be a non-empty string, got 5\n',
    });
    expect(configText()).not.toContain('- other_thing');
  });
});
