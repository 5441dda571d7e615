import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

jest.setTimeout(20_000);

describe('serv config', () => {
  let dir: string;
  const serv = (...args: string[]) => runServ(args, { cwd: dir });
  const configText = () => readFileSync(join(dir, 'serv.config.yaml'), 'utf8');

  beforeAll(assertBuilt);
  beforeEach(async () => {
    dir = makeTempDir();
    await scaffoldEchoApp(dir);
  });
  afterEach(() => removeTempDir(dir));

  it('shows the file as written, or as JSON', async () => {
    expect(await serv('config', 'show')).toMatchObject({ code: 0, stdout: configText() });
    const json = await serv('config', 'show', '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      site_info: { name: 'My Serv Site', description: 'A new website powered by Serv' },
      extensions: ['chat'],
      settings: { host: '127.0.0.1', port: 8000, debug: false, extension_dir: './extensions' },
    });
  });

  it('validates the config and the enabled extensions', async () => {
    expect(await serv('config', 'validate')).toMatchObject({ code: 0, stdout: 'serv.config.yaml is valid (1 enabled: chat)\n' });
    const spec = join(dir, 'extensions', 'chat', 'extension.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('version: "1.0.0"\n', ''));
    expect(await serv('config', 'validate')).toMatchObject({
      code: 1,
      stderr: 'extensions/chat/extension.yaml: version must be a non-empty string such as "1.0.0", got nothing\n',
    });
  });

  it('knows the WebSocket settings and route keys: the CLI installs @serv/websocket before reading the config', async () => {
    writeFileSync(join(dir, 'serv.config.yaml'), `${configText()}  max_connections: 5\n  permessage_deflate: true\n`);
    const spec = join(dir, 'extensions', 'chat', 'extension.yaml');
    const route = '      - handler: websocket_echo:EchoHandler\n';
    expect(readFileSync(spec, 'utf8')).toContain(route);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(route, `${route}        websocket: true\n        max_message_bytes: 1024\n`));
    expect(await serv('config', 'validate')).toMatchObject({ code: 0, stdout: 'serv.config.yaml is valid (1 enabled: chat)\n' });
    expect(await serv('config', 'set', 'settings.max_connections', '0')).toMatchObject({
      code: 1,
      stderr: 'serv.config.yaml: settings.max_connections must be a positive integer, got 0\n',
    });
  });

  it('reports a bad SERV_* variable when validating', async () => {
    const result = await runServ(['config', 'validate'], { cwd: dir, env: { SERV_PORT: 'abc' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SERV_PORT/);
  });

  it('gets scalars as text and mappings as YAML', async () => {
    expect(await serv('config', 'get', 'settings.port')).toMatchObject({ code: 0, stdout: '8000\n' });
    expect(await serv('config', 'get', 'extensions[0]')).toMatchObject({ code: 0, stdout: 'chat\n' });
    expect(await serv('config', 'get', 'site_info')).toMatchObject({ code: 0, stdout: 'name: My Serv Site\ndescription: A new website powered by Serv\n' });
    expect(await serv('config', 'get', 'settings.nope')).toMatchObject({
      code: 1,
      stderr: 'serv.config.yaml has no value at "settings.nope"; set one with "serv config set settings.nope VALUE"\n',
    });
  });

  it('sets a value keeping comments, reading numbers without --type', async () => {
    expect(await serv('config', 'set', 'settings.port', '9000')).toMatchObject({ code: 0, stdout: 'Set settings.port = 9000 in serv.config.yaml\n' });
    expect(configText()).toContain('  port: 9000\n');
    expect(configText()).toContain('# Serv application configuration.');
    expect(await serv('config', 'set', 'settings.debug', 'yes', '--type', 'bool')).toMatchObject({ code: 0, stdout: 'Set settings.debug = true in serv.config.yaml\n' });
    expect(await serv('config', 'set', 'settings.origins', 'http://a, http://b', '--type', 'list')).toMatchObject({ code: 0 });
    expect(await serv('config', 'get', 'settings.origins')).toMatchObject({ stdout: '- http://a\n- http://b\n' });
  });

  it('refuses an invalid value with exit 1 and leaves the file untouched', async () => {
    const before = configText();
    expect(await serv('config', 'set', 'settings.port', '9000', '--type', 'string')).toMatchObject({
      code: 1,
      stderr: 'serv.config.yaml: settings.port must be an integer from 0 to 65535, got "9000"\n',
    });
    expect(configText()).toBe(before);
  });

  it('exits 2 when VALUE does not fit --type', async () => {
    expect(await serv('config', 'set', 'settings.port', 'x', '--type', 'int')).toMatchObject({
      code: 2,
      stderr: 'VALUE must be an integer for --type int, got "x".\nRun "serv config set --help" for usage.\n',
    });
  });
});
